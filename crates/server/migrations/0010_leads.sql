-- Leads, companies and what each did (docs/leads.md). Portable SQL.

-- A person who gave an email on a site: one per site and email, whatever the visit or
-- device.
CREATE TABLE leads (
    id TEXT PRIMARY KEY,
    site_id TEXT NOT NULL,
    email TEXT NOT NULL, -- trimmed, lower case
    company_id TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (site_id, email)
);

-- Each attribute's latest value, with where and when it was captured and whether a
-- signed identity vouched for it (an unverified value never replaces a verified one).
CREATE TABLE lead_attributes (
    lead_id TEXT NOT NULL,
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    source TEXT NOT NULL,
    verified INTEGER NOT NULL,
    captured_at BIGINT NOT NULL,
    PRIMARY KEY (lead_id, name)
);

-- From the `company` attribute, or the email's domain (not a free mail provider's).
CREATE TABLE companies (
    id TEXT PRIMARY KEY,
    site_id TEXT NOT NULL,
    name TEXT NOT NULL,
    domain TEXT NOT NULL, -- '' when known by name only
    created_at BIGINT NOT NULL,
    UNIQUE (site_id, name)
);

ALTER TABLE activity_runs ADD COLUMN lead_id TEXT;
ALTER TABLE conversations ADD COLUMN lead_id TEXT;
ALTER TABLE meetings ADD COLUMN lead_id TEXT;
CREATE INDEX activity_runs_lead ON activity_runs (lead_id);
CREATE INDEX conversations_lead ON conversations (lead_id);
CREATE INDEX meetings_lead ON meetings (lead_id);
