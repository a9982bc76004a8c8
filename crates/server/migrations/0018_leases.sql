-- Portable SQL (SQLite and PostgreSQL). Work that one node at a time does (the webhook
-- deliveries, the invitations, the retention purge): the node named holds it until
-- `expires_at`, renewing as it works; another node takes over once a dead holder's
-- lease runs out (src/cluster/lease.rs).
CREATE TABLE leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
