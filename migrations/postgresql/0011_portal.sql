-- The citizen portal (issue 5): one account per profile, sessions stored as hashes of their
-- tokens (as staff sessions). Times are Unix milliseconds.

CREATE TABLE citizen_accounts (
    id BIGSERIAL PRIMARY KEY,
    citizen_id BIGINT NOT NULL UNIQUE REFERENCES citizens(id) ON DELETE CASCADE,
    -- The log-in address, normalised (lower case); may differ from the profile's contact address
    -- only while a change is being verified.
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    language TEXT NOT NULL DEFAULT 'de',
    verified_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    disabled_at BIGINT
);

CREATE TABLE citizen_sessions (
    token_hash TEXT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES citizen_accounts(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    ip TEXT NOT NULL DEFAULT '',
    user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX citizen_sessions_account ON citizen_sessions(account_id);
