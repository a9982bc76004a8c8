-- Capacity (docs/inbox.md, "Capacity"): the most open chats an agent takes at once;
-- routing passes over an agent at it. A chat that found everyone able to take it at
-- capacity waits in the queue (queued_at, its time there) and is given out, by the
-- route it was handed over with (route: the dialogue's route, JSON), when a slot frees.
ALTER TABLE agents ADD COLUMN max_chats INTEGER NOT NULL DEFAULT 5;
ALTER TABLE conversations ADD COLUMN route TEXT;
ALTER TABLE conversations ADD COLUMN queued_at BIGINT;
CREATE INDEX conversations_queued ON conversations (queued_at) WHERE queued_at IS NOT NULL;
CREATE INDEX conversations_agent ON conversations (agent_id, status);
