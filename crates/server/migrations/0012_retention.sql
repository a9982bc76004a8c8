-- How long each kind of data is kept, per site (docs/privacy.md). Portable SQL. A site
-- without a row keeps each kind 90 days.
CREATE TABLE retention (
    site_id TEXT PRIMARY KEY,
    transcripts_days INTEGER NOT NULL,
    leads_days INTEGER NOT NULL,
    events_days INTEGER NOT NULL,
    meetings_days INTEGER NOT NULL,
    updated_at BIGINT NOT NULL
);
