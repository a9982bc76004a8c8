-- Conversation states (docs/inbox.md, "States"): status is 'open', 'snoozed' (until
-- snoozed_until, milliseconds since the Unix epoch, or, when it is null, until the
-- visitor writes) or 'closed'. active_at is the time of its latest event, for the
-- lists' newest-activity-first order; it starts at the latest stored event's time.
ALTER TABLE conversations ADD COLUMN snoozed_until BIGINT;
ALTER TABLE conversations ADD COLUMN active_at BIGINT NOT NULL DEFAULT 0;
UPDATE conversations SET active_at = COALESCE((SELECT MAX(e.at) FROM events e WHERE e.conversation_id = conversations.id), created_at);
CREATE INDEX conversations_state_active ON conversations (status, active_at);
CREATE INDEX conversations_snoozed ON conversations (snoozed_until) WHERE status = 'snoozed';
