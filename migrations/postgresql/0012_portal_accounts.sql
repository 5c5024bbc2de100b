-- Portal accounts (issue 5): registrations waiting for their e-mail link, single-use links for
-- an account (password reset, change of e-mail), the optional second factor (TOTP) with its
-- recovery codes, for citizens and staff. Every token is stored as its SHA-256 only.

-- A registration before its address is verified: no profile and no account exist yet, so a
-- stranger who types someone's address creates nothing. Deleted when used or expired.
CREATE TABLE portal_registrations (
    id BIGSERIAL PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    language TEXT NOT NULL DEFAULT 'de',
    ip TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX portal_registrations_expiry ON portal_registrations(expires_at);

-- Links mailed for an account: 'reset' (a new password) and 'email' (the new address, mailed
-- to it). Single use, expiring; they go with the account.
CREATE TABLE portal_account_tokens (
    token_hash TEXT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES citizen_accounts(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('reset', 'email')),
    new_email TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX portal_account_tokens_account ON portal_account_tokens(account_id);

-- The second factor: the base32 secret, since when it is on, and the last 30-second step whose
-- code was accepted (a code is good once only, RFC 6238 section 5.2).
ALTER TABLE citizen_accounts ADD COLUMN totp_secret TEXT;
ALTER TABLE citizen_accounts ADD COLUMN totp_enabled_at BIGINT;
ALTER TABLE citizen_accounts ADD COLUMN totp_last_step BIGINT;

CREATE TABLE portal_recovery_codes (
    id BIGSERIAL PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES citizen_accounts(id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX portal_recovery_codes_account ON portal_recovery_codes(account_id);

ALTER TABLE staff_users ADD COLUMN totp_secret TEXT;
ALTER TABLE staff_users ADD COLUMN totp_enabled_at BIGINT;
ALTER TABLE staff_users ADD COLUMN totp_last_step BIGINT;
