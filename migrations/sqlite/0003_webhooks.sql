-- Webhooks out for activities (issue 3): subscriptions, one delivery per subscription and
-- activity (or test ping), and every attempt to deliver it. Times are Unix milliseconds.

-- event_types: JSON array of activity types ("library.loan") or prefixes ("pool.*"); empty =
-- every activity. The secret signs each delivery (Standard Webhooks, "whsec_" + base64); it is
-- stored as it is because signing needs it, and shown once, when it is made.
CREATE TABLE webhooks (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    event_types TEXT NOT NULL DEFAULT '[]',
    secret TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    created_by TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- activity_id is NULL for a test ping. citizen_id says whom the event was about (personal data:
-- listed in gdpr/personal_data.cpp, deleted on erasure). status: pending -> delivered, or
-- failed after the last attempt, or cancelled (webhook switched off, processing restricted).
CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY,
    webhook_id INTEGER NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
    activity_id BIGINT,
    event_type TEXT NOT NULL,
    citizen_id BIGINT,
    status TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'delivered', 'failed', 'cancelled')),
    attempts INTEGER NOT NULL DEFAULT 0,
    response_status INTEGER,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    last_attempt_at BIGINT,
    finished_at BIGINT,
    UNIQUE (webhook_id, activity_id)
);
CREATE INDEX webhook_deliveries_recent ON webhook_deliveries(webhook_id, id);
CREATE INDEX webhook_deliveries_citizen ON webhook_deliveries(citizen_id);
CREATE INDEX webhook_deliveries_finished ON webhook_deliveries(finished_at);

-- Every attempt: when, the receiver's HTTP status (NULL when none came: refused, timed out),
-- what went wrong, how long it took.
CREATE TABLE webhook_attempts (
    id INTEGER PRIMARY KEY,
    delivery_id INTEGER NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
    attempted_at BIGINT NOT NULL,
    response_status INTEGER,
    error TEXT,
    duration_ms BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts(delivery_id, id);
