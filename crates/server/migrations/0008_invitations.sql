-- One-time links an admin sends a new agent to set their own password. Only a hash of
-- the token is kept; a link works once, for 7 days.
CREATE TABLE agent_invitations (
    token_hash TEXT PRIMARY KEY,
    agent_id TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
