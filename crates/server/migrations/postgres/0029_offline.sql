-- Replies by email when the visitor has left (docs/inbox.md, "When the visitor has
-- left"): when a visitor's socket last said it was there (milliseconds; its pings
-- renew it), and what kind each mail is, so a transcript and a reply are rate-limited
-- apart.
ALTER TABLE conversations ADD COLUMN visitor_seen_at BIGINT;
ALTER TABLE mail_outbox ADD COLUMN kind TEXT NOT NULL DEFAULT 'transcript';
