-- Mail waiting to be sent, and sent (docs/inbox.md, "Transcripts by email"): the worker
-- sends what is due, retrying with backoff; every failure is kept. Erasure and
-- retention remove a conversation's mail with it.
CREATE TABLE mail_outbox (
    id TEXT PRIMARY KEY,
    conversation_id TEXT,
    to_address TEXT NOT NULL,
    to_name TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at BIGINT NOT NULL,
    sent_at BIGINT,
    error TEXT
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_at) WHERE sent_at IS NULL;
CREATE INDEX mail_outbox_conversation ON mail_outbox (conversation_id);
