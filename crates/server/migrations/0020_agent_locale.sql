-- Portable SQL (SQLite and PostgreSQL). The language of an agent's own meeting emails
-- (a built-in locale of chinwag_site: en, pt, it, sv, zh-Hans), set on the inbox's
-- My calendar page (PUT /api/me/locale); English until the agent picks one.
ALTER TABLE agents ADD COLUMN locale TEXT NOT NULL DEFAULT 'en';
