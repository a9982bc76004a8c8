-- Search (docs/inbox.md, "Search"): every line an agent may look for, one row each:
-- messages and notes (kind 'message', 'note'; seq: the event) and the visitor's name
-- and email (kind 'visitor', seq 0). Full text by SQLite's FTS5, with secure-delete on,
-- so a line erased or past retention leaves no trace in the index either.
CREATE VIRTUAL TABLE search_lines USING fts5(
    text,
    conversation_id UNINDEXED,
    seq UNINDEXED,
    kind UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO search_lines (search_lines, rank) VALUES ('secure-delete', 1);
INSERT INTO search_lines (text, conversation_id, seq, kind)
    SELECT json_extract(body, '$.message.text'), conversation_id, seq, 'message' FROM events
    WHERE json_extract(body, '$.message.text') IS NOT NULL;
INSERT INTO search_lines (text, conversation_id, seq, kind)
    SELECT json_extract(body, '$.note.text'), conversation_id, seq, 'note' FROM events
    WHERE json_extract(body, '$.note.text') IS NOT NULL;
INSERT INTO search_lines (text, conversation_id, seq, kind)
    SELECT trim(coalesce(json_extract(attributes, '$.first_name'), '') || ' ' || coalesce(json_extract(attributes, '$.last_name'), '') || ' ' || coalesce(json_extract(attributes, '$.email'), '')), id, 0, 'visitor'
    FROM conversations;
