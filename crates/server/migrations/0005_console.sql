-- The console (docs/console.md). Portable SQL.

-- Off: the site's loader gets no dialogue at all (one switch stops every dialogue).
ALTER TABLE sites ADD COLUMN chat_enabled INTEGER NOT NULL DEFAULT 1;

-- `dialogues` holds what visitors get: the published body, its version, and whether it
-- is on ('published') or switched off ('off').
ALTER TABLE dialogues ADD COLUMN status TEXT NOT NULL DEFAULT 'published';
ALTER TABLE dialogues ADD COLUMN version INTEGER NOT NULL DEFAULT 0;

-- Every published body, immutable, with who published it and when.
CREATE TABLE dialogue_versions (
    site_id TEXT NOT NULL,
    dialogue_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    body TEXT NOT NULL,
    author TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (site_id, dialogue_id, version)
);

-- The draft being edited: saved with the revision it was based on, so a stale save is
-- refused instead of overwriting someone else's (optimistic concurrency).
CREATE TABLE dialogue_drafts (
    site_id TEXT NOT NULL,
    dialogue_id TEXT NOT NULL,
    body TEXT NOT NULL,
    revision INTEGER NOT NULL,
    author TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (site_id, dialogue_id)
);

-- Who changed what, when: admins read it in the console.
CREATE TABLE audit_log (
    id TEXT PRIMARY KEY,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at);
