-- Identity verification (docs/reliability.md). Portable SQL.
-- The site's identity secret, sealed with the server's key (secrets.rs); NULL: none yet.
ALTER TABLE sites ADD COLUMN identity_secret TEXT;
-- 1: routing decides on verified attributes only, whatever a rule says.
ALTER TABLE sites ADD COLUMN require_verification INTEGER NOT NULL DEFAULT 0;
-- The names of the conversation's attributes that came from a valid identity token.
ALTER TABLE conversations ADD COLUMN verified TEXT NOT NULL DEFAULT '[]';
