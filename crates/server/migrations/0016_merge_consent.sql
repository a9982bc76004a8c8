-- A site that asks visitors' consent before merging their visits into a known lead
-- (docs/leads.md). Portable SQL.
ALTER TABLE sites ADD COLUMN merge_consent INTEGER NOT NULL DEFAULT 0;
