-- Webhooks (docs/webhooks.md), per the Standard Webhooks specification. Portable SQL.

CREATE TABLE webhook_endpoints (
    id TEXT PRIMARY KEY,
    site_id TEXT NOT NULL,
    url TEXT NOT NULL,
    description TEXT NOT NULL,
    events TEXT NOT NULL, -- JSON list of event types; ["*"]: all
    secrets TEXT NOT NULL, -- sealed JSON: the current secret first, then one rotating out with its end
    status TEXT NOT NULL, -- 'enabled' or 'disabled'
    disabled_reason TEXT,
    created_at BIGINT NOT NULL
);

-- The outbox: each message is written in the same transaction as the change it
-- describes, so a change is never without its message, nor a message without its change.
CREATE TABLE webhook_messages (
    id TEXT PRIMARY KEY, -- msg_…: the webhook-id receivers de-duplicate by
    site_id TEXT NOT NULL,
    type TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX webhook_messages_site ON webhook_messages (site_id, created_at);

-- One per message and endpoint (and one more per replay).
CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY,
    message_id TEXT NOT NULL,
    endpoint_id TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_at BIGINT NOT NULL,
    status TEXT NOT NULL, -- 'pending', 'delivered' or 'failed' (given up)
    last_status INTEGER,
    last_error TEXT,
    last_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_at);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, created_at);
