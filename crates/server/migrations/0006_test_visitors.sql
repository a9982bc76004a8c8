-- Test visitors of a dialogue (the console's regression tests): a JSON array of
-- chinwag_dialogue::rehearsal::TestVisitor, kept per dialogue, shared by the team.
CREATE TABLE dialogue_test_visitors (
    site_id TEXT NOT NULL,
    dialogue_id TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (site_id, dialogue_id)
);
