-- Labels on conversations (docs/inbox.md): an admin-kept list, each with a colour
-- (#rrggbb; the text on it is black or white, whichever reads better), put on
-- conversations by the agents who may see them.
CREATE TABLE labels (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    colour TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX labels_name ON labels (LOWER(name));
CREATE TABLE conversation_labels (
    conversation_id TEXT NOT NULL,
    label_id TEXT NOT NULL,
    PRIMARY KEY (conversation_id, label_id)
);
CREATE INDEX conversation_labels_label ON conversation_labels (label_id);
