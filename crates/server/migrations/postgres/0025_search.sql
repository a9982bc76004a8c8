-- Search (docs/inbox.md, "Search"): every line an agent may look for, one row each:
-- messages and notes (kind 'message', 'note'; seq: the event) and the visitor's name
-- and email (kind 'visitor', seq 0). Full text by the tsvector of the 'simple'
-- configuration (no stemming: the words as written, in any language), indexed by GIN;
-- id: the order lines were written in (newest results first). An email's or a URL's
-- punctuation separates words, as in SQLite's tokenizer and the search's own words
-- (`search/terms.rs`): `vera@shop` finds vera@shop.test on both engines.
CREATE TABLE search_lines (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    conversation_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL
);
-- An index on the expression, not a tsvector column: every table reads back through
-- sqlx's Any driver, which knows no tsvector (`search/store.rs` writes the expression
-- exactly so, for the planner to use this index).
CREATE INDEX search_lines_words ON search_lines USING GIN (to_tsvector('simple', translate(text, '@./:_+-', '       ')));
CREATE INDEX search_lines_conversation ON search_lines (conversation_id);
INSERT INTO search_lines (text, conversation_id, seq, kind)
    SELECT (body::json) -> 'message' ->> 'text', conversation_id, seq, 'message' FROM events
    WHERE (body::json) -> 'message' ->> 'text' IS NOT NULL;
INSERT INTO search_lines (text, conversation_id, seq, kind)
    SELECT (body::json) -> 'note' ->> 'text', conversation_id, seq, 'note' FROM events
    WHERE (body::json) -> 'note' ->> 'text' IS NOT NULL;
INSERT INTO search_lines (text, conversation_id, seq, kind)
    SELECT trim(coalesce((attributes::json) ->> 'first_name', '') || ' ' || coalesce((attributes::json) ->> 'last_name', '') || ' ' || coalesce((attributes::json) ->> 'email', '')), id, 0, 'visitor'
    FROM conversations;
