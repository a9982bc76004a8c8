-- Portable SQL (SQLite and PostgreSQL). Which node holds inbox sockets of which agent,
-- renewed by each node every few seconds: an agent is offline once no node holds a
-- live row for them, so a dead node's agents go offline within seconds
-- (src/cluster/presence.rs).
CREATE TABLE presence (
    agent_id TEXT NOT NULL,
    node_id TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    PRIMARY KEY (agent_id, node_id)
);
