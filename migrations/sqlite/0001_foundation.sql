-- Foundation: departments, staff accounts and sessions, API keys, log-in throttling,
-- the activity log with consumer positions, durable jobs, the audit log.
-- Times are Unix milliseconds (BIGINT) on both backends.

CREATE TABLE departments (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    name_de TEXT NOT NULL,
    name_en TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE staff_users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    department_id INTEGER REFERENCES departments(id),
    language TEXT NOT NULL DEFAULT 'de',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    disabled_at BIGINT
);

CREATE TABLE staff_sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES staff_users(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    ip TEXT NOT NULL DEFAULT '',
    user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX staff_sessions_user ON staff_sessions(user_id);

CREATE TABLE api_keys (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    prefix TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);

CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY,
    scope TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX login_failures_scope ON login_failures(scope, at);

CREATE TABLE activities (
    id INTEGER PRIMARY KEY,
    tx_order BIGINT NOT NULL DEFAULT 0,
    type TEXT NOT NULL,
    citizen_id BIGINT,
    actor TEXT NOT NULL,
    object TEXT NOT NULL DEFAULT '',
    props TEXT NOT NULL DEFAULT '{}',
    occurred_at BIGINT NOT NULL,
    recorded_at BIGINT NOT NULL,
    idempotency_key TEXT UNIQUE
);
CREATE INDEX activities_order ON activities(tx_order, id);
CREATE INDEX activities_citizen ON activities(citizen_id, occurred_at);

CREATE TABLE consumer_positions (
    consumer TEXT PRIMARY KEY,
    tx_order BIGINT NOT NULL DEFAULT 0,
    activity_id BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL
);

CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL DEFAULT '{}',
    unique_key TEXT UNIQUE,
    state TEXT NOT NULL DEFAULT 'queued',
    due_at BIGINT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL DEFAULT 10,
    locked_by TEXT,
    locked_until BIGINT,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    finished_at BIGINT
);
CREATE INDEX jobs_due ON jobs(state, due_at);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '',
    ip TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log(at);

-- Server-wide settings and secrets (e.g. the key that signs device cookies).
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- The first shape of the citizen profile and of topics, so that the demo town has people and
-- newsletters; the data hub and newsletter work extend them with later migrations.
CREATE TABLE citizens (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    first_name TEXT NOT NULL DEFAULT '',
    last_name TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL DEFAULT 'de',
    district TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE topics (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    name_de TEXT NOT NULL,
    name_en TEXT NOT NULL,
    department_id INTEGER REFERENCES departments(id),
    created_at BIGINT NOT NULL
);
