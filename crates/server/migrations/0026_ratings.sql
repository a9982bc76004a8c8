-- Ratings (docs/inbox.md, "Ratings"): the visitor's score of a closed chat (1 to 5),
-- their comment, and when; rating again replaces them. Reports count them.
ALTER TABLE conversations ADD COLUMN rating INTEGER;
ALTER TABLE conversations ADD COLUMN rating_comment TEXT;
ALTER TABLE conversations ADD COLUMN rated_at BIGINT;
