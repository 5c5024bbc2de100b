-- The activity log takes a row for every click, sign-up and award; each index is written on every
-- row (issue 4: the tracked-link redirect records one activity per request).
-- 1. Only activities appended with an Idempotency-Key (the API's POST) have one; the column's
--    UNIQUE constraint kept an index entry for every row without a key too. A partial unique
--    index keeps only the keyed rows. SQLite cannot drop a column constraint, so the table is
--    rebuilt (no other table refers to it).
-- 2. activities_order (tx_order, id) serves PostgreSQL's commit order; on SQLite tx_order is
--    always 0 and the consumers read by id (activity/activity_store.cpp), so it is not rebuilt.
CREATE TABLE activities_rebuilt (
    id INTEGER PRIMARY KEY,
    tx_order BIGINT NOT NULL DEFAULT 0,
    type TEXT NOT NULL,
    citizen_id BIGINT,
    actor TEXT NOT NULL,
    object TEXT NOT NULL DEFAULT '',
    props TEXT NOT NULL DEFAULT '{}',
    occurred_at BIGINT NOT NULL,
    recorded_at BIGINT NOT NULL,
    idempotency_key TEXT
);
INSERT INTO activities_rebuilt (id, tx_order, type, citizen_id, actor, object, props, occurred_at, recorded_at,
                                idempotency_key)
    SELECT id, tx_order, type, citizen_id, actor, object, props, occurred_at, recorded_at, idempotency_key
    FROM activities ORDER BY id;
DROP TABLE activities;
ALTER TABLE activities_rebuilt RENAME TO activities;
CREATE UNIQUE INDEX activities_idempotency ON activities(idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX activities_citizen ON activities(citizen_id, occurred_at);
CREATE INDEX activities_citizen_type ON activities(citizen_id, type, occurred_at);
