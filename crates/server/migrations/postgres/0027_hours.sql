-- Business hours (docs/inbox.md, "Business hours"): a team's time zone, weekly hours
-- and holidays, as the JSON of an availability (crates/scheduling); none: always open.
ALTER TABLE teams ADD COLUMN hours TEXT;
