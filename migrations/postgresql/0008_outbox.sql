-- The e-mail outbox (DESIGN.md "E-mail outbox", issue 4): one row per recipient and message.
-- state: queued -> claimed -> sent | bounced | suppressed | failed | cancelled (terminal; a sent
-- row can still become bounced when a delivery status notification arrives). A claim has a
-- lease (claim_until): rows of an instance that died are claimed again when it runs out.
-- campaign_id has no foreign key: campaigns come in a later migration. For campaign rows the
-- message is produced at send time (payload empty); a transactional row holds the complete
-- MIME message, cleared once the row is terminal (it can hold a one-time token).
CREATE TABLE outbox (
    id BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('campaign', 'transactional')),
    campaign_id BIGINT,
    citizen_id BIGINT REFERENCES citizens(id) ON DELETE SET NULL,
    email TEXT NOT NULL,
    payload TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN
        ('queued', 'claimed', 'sent', 'bounced', 'suppressed', 'failed', 'cancelled')),
    attempts INTEGER NOT NULL DEFAULT 0,
    due_at BIGINT NOT NULL,
    claimed_by TEXT,
    claim_until BIGINT,
    smtp_code INTEGER,
    smtp_status TEXT,
    smtp_reply TEXT,
    queue_id TEXT,
    error TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    finished_at BIGINT,
    UNIQUE (campaign_id, citizen_id)
);
CREATE INDEX outbox_due ON outbox(state, due_at);
CREATE INDEX outbox_claims ON outbox(state, claim_until);
CREATE INDEX outbox_campaign ON outbox(campaign_id, state);
CREATE INDEX outbox_citizen ON outbox(citizen_id);
CREATE INDEX outbox_email ON outbox(email, id);

-- Addresses never mailed again, keyed by the SHA-256 (hex) of the normalised address
-- (base/email.h), so that an erased person stays suppressed without their address being kept.
CREATE TABLE suppressions (
    email_hash TEXT PRIMARY KEY,
    reason TEXT NOT NULL CHECK (reason IN ('hard_bounce', 'complaint', 'erased', 'manual')),
    detail TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);

-- Temporary delivery failures reported by DSNs (4.x.x, Action: delayed): five within 30 days
-- suppress the address. Old rows are deleted when a new one is counted.
CREATE TABLE soft_bounces (
    id BIGSERIAL PRIMARY KEY,
    email_hash TEXT NOT NULL,
    at BIGINT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX soft_bounces_hash ON soft_bounces(email_hash, at);
