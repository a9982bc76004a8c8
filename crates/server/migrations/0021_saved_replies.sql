-- Saved replies (docs/inbox.md): a team's (admins keep them) or one agent's own.
-- Exactly one of team_id and agent_id is set; `/shortcut` finds it in the reply box.
CREATE TABLE saved_replies (
    id TEXT PRIMARY KEY,
    team_id TEXT,
    agent_id TEXT,
    shortcut TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX saved_replies_team_shortcut ON saved_replies (team_id, shortcut) WHERE team_id IS NOT NULL;
CREATE UNIQUE INDEX saved_replies_agent_shortcut ON saved_replies (agent_id, shortcut) WHERE agent_id IS NOT NULL;
