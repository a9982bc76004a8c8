-- A site's appearance and language settings (chinwag-site's Appearance, as JSON).
ALTER TABLE sites ADD COLUMN appearance TEXT NOT NULL DEFAULT '{}';
