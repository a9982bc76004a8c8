-- Attachments (docs/inbox.md, "Attachments"): the bytes in the database, so they work
-- on one node and in a cluster alike. The id is 256 random bits: the file's address
-- (/files/ID) is its key. Erasure and retention remove a conversation's files with it.
CREATE TABLE files (
    id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL,
    name TEXT NOT NULL,
    mime TEXT NOT NULL,
    size BIGINT NOT NULL,
    bytes BLOB NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX files_conversation ON files (conversation_id);
