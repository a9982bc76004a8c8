-- Portable SQL: runs on SQLite now and PostgreSQL later (multi-node).
CREATE TABLE sites (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    origins TEXT NOT NULL -- JSON array of allowed origins
);

CREATE TABLE dialogues (
    site_id TEXT NOT NULL,
    id TEXT NOT NULL,
    body TEXT NOT NULL, -- the dialogue JSON, validated before it is stored
    PRIMARY KEY (site_id, id)
);

CREATE TABLE agents (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL, -- 'admin' or 'agent'
    status TEXT NOT NULL DEFAULT 'offline'
);

CREATE TABLE teams (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL
);

CREATE TABLE team_members (
    team_id TEXT NOT NULL,
    agent_id TEXT NOT NULL,
    PRIMARY KEY (team_id, agent_id)
);

CREATE TABLE conversations (
    id TEXT PRIMARY KEY,
    site_id TEXT NOT NULL,
    dialogue_id TEXT NOT NULL,
    page_url TEXT NOT NULL,
    attributes TEXT NOT NULL, -- JSON object
    agent_id TEXT,
    status TEXT NOT NULL, -- 'open' or 'closed'
    last_seq BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

-- Every stored thing that happened in a conversation, in order.
CREATE TABLE events (
    conversation_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    at BIGINT NOT NULL,
    client_id TEXT,
    body TEXT NOT NULL, -- JSON of the protocol's EventKind
    PRIMARY KEY (conversation_id, seq)
);
-- A client id is stored once: resending a message never duplicates it.
CREATE UNIQUE INDEX events_client_id ON events (conversation_id, client_id) WHERE client_id IS NOT NULL;

-- Round-robin positions survive restarts, so fairness does too.
CREATE TABLE positions (
    pool TEXT PRIMARY KEY,
    agent_id TEXT NOT NULL
);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    agent_id TEXT NOT NULL,
    csrf TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
