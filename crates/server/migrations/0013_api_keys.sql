-- Per-site API keys for the REST API (docs/api.md). Portable SQL. Only a SHA-256 of the
-- key's secret is kept: a key is shown once, when made.
CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    site_id TEXT NOT NULL,
    name TEXT NOT NULL,
    scope TEXT NOT NULL, -- 'read' or 'write' (write can read)
    hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);
CREATE INDEX api_keys_site ON api_keys (site_id);
