-- What dialogues do (docs/metrics.md). Portable SQL.

-- One visitor's run through one published version of a dialogue: the check state of
-- its marks (chinwag_dialogue::engine::Run, JSON) says what may come next.
CREATE TABLE activity_runs (
    id TEXT PRIMARY KEY,
    site_id TEXT NOT NULL,
    dialogue_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    visitor_id TEXT NOT NULL,
    locale TEXT NOT NULL,
    known INTEGER NOT NULL, -- 1: the page identified the visitor by email before the run
    started_at BIGINT NOT NULL,
    marks INTEGER NOT NULL, -- marks stored: the next one's index
    state TEXT NOT NULL
);
CREATE INDEX activity_runs_visitor ON activity_runs (visitor_id, started_at);

-- Every mark as reported (the raw events), kept for the raw-event window.
CREATE TABLE activity_marks (
    run_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    site_id TEXT NOT NULL,
    dialogue_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    kind TEXT NOT NULL,
    card TEXT, -- the card's path for reached, answered and goal
    at BIGINT NOT NULL,
    ms BIGINT, -- for answered: time since the card was reached
    PRIMARY KEY (run_id, seq)
);
CREATE INDEX activity_marks_dialogue ON activity_marks (site_id, dialogue_id, at);

-- Counts per day, kept when raw marks are purged, so metrics outlive them. `card` is
-- '' for marks that name none.
CREATE TABLE activity_daily (
    site_id TEXT NOT NULL,
    dialogue_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    day TEXT NOT NULL, -- YYYY-MM-DD, UTC
    locale TEXT NOT NULL,
    known INTEGER NOT NULL,
    kind TEXT NOT NULL,
    card TEXT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (site_id, dialogue_id, version, day, locale, known, kind, card)
);
