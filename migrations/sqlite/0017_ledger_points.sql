-- The ledger (issue 7, DESIGN.md "Ledger"): points and Stadttaler move only as double-entry
-- transfers. Each transfer has one debit and one credit entry of its amount; an account's
-- balance is kept equal to the sum of its entries (ledger::check verifies it). Only the town's
-- account may go below zero: it issues what is in circulation.
-- owner 'erased': a citizen's account after GDPR erasure. The entries stay so that everything
-- still balances; the owner is gone (owner_id becomes the account's own id, citizen_id NULL).
CREATE TABLE ledger_accounts (
    id INTEGER PRIMARY KEY,
    owner TEXT NOT NULL CHECK (owner IN ('citizen', 'town', 'partner', 'erased')),
    owner_id BIGINT NOT NULL,
    currency TEXT NOT NULL CHECK (currency IN ('points', 'stadttaler')),
    balance BIGINT NOT NULL DEFAULT 0 CHECK (owner = 'town' OR balance >= 0),
    citizen_id INTEGER REFERENCES citizens(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (owner, owner_id, currency)
);
CREATE INDEX ledger_accounts_citizen ON ledger_accounts(citizen_id);

-- One row per transfer. The idempotency key is unique: the same key again is either the same
-- request (the earlier transfer is the answer) or an error. A transfer is reversed at most once
-- (reverses is unique) and never edited.
CREATE TABLE ledger_transfers (
    id INTEGER PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    from_account BIGINT NOT NULL REFERENCES ledger_accounts(id),
    to_account BIGINT NOT NULL REFERENCES ledger_accounts(id),
    amount BIGINT NOT NULL CHECK (amount > 0),
    kind TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    object TEXT NOT NULL DEFAULT '',
    actor TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    reverses BIGINT UNIQUE REFERENCES ledger_transfers(id)
);

-- Two entries per transfer: -amount on the debited account, +amount on the credited one.
-- citizen_id repeats the account's citizen so that the GDPR export and erasure find them.
CREATE TABLE ledger_entries (
    id INTEGER PRIMARY KEY,
    transfer_id BIGINT NOT NULL REFERENCES ledger_transfers(id),
    account_id BIGINT NOT NULL REFERENCES ledger_accounts(id),
    amount BIGINT NOT NULL CHECK (amount <> 0),
    citizen_id INTEGER REFERENCES citizens(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX ledger_entries_account ON ledger_entries(account_id, transfer_id);
CREATE INDEX ledger_entries_transfer ON ledger_entries(transfer_id);
CREATE INDEX ledger_entries_citizen ON ledger_entries(citizen_id);

-- What remains of each points credit of a citizen: debits consume the oldest first, expiry
-- takes what remains of a lot when it is due. A lot with expires_at is its own durable due row
-- (the expiry worker claims the due ones; no nightly batch).
CREATE TABLE ledger_lots (
    id INTEGER PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES ledger_accounts(id),
    transfer_id BIGINT NOT NULL REFERENCES ledger_transfers(id),
    amount BIGINT NOT NULL CHECK (amount > 0),
    remaining BIGINT NOT NULL CHECK (remaining >= 0 AND remaining <= amount),
    expires_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX ledger_lots_account ON ledger_lots(account_id, remaining, id);
CREATE INDEX ledger_lots_due ON ledger_lots(expires_at) WHERE remaining > 0 AND expires_at IS NOT NULL;

-- Points rules (src/points): an activity type and a filter give points, with caps per day and
-- month (number of awards per person and rule) and once per object (once_key: a template over
-- the activity, e.g. "{props.campaign_id}/{object}"; empty = no such limit). Applied in order
-- of position.
CREATE TABLE points_rules (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    activity_type TEXT NOT NULL,
    filter TEXT NOT NULL DEFAULT '{}',
    points BIGINT NOT NULL CHECK (points > 0),
    cap_per_day INTEGER,
    cap_per_month INTEGER,
    once_key TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0,
    enabled INTEGER NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX points_rules_type ON points_rules(activity_type, enabled, position);

-- Which rule gave whom points for what: the caps and the once-per-object limit count these.
CREATE TABLE points_awards (
    id INTEGER PRIMARY KEY,
    rule_id BIGINT NOT NULL REFERENCES points_rules(id),
    citizen_id INTEGER REFERENCES citizens(id),
    activity_id BIGINT NOT NULL,
    once_key TEXT,
    transfer_id BIGINT NOT NULL REFERENCES ledger_transfers(id),
    awarded_at BIGINT NOT NULL,
    UNIQUE (rule_id, activity_id)
);
CREATE INDEX points_awards_caps ON points_awards(citizen_id, rule_id, awarded_at);
CREATE INDEX points_awards_once ON points_awards(citizen_id, rule_id, once_key);

-- Settings of the points programme: after how many days points expire (0 = never).
CREATE TABLE points_settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    expiry_days INTEGER NOT NULL DEFAULT 0 CHECK (expiry_days >= 0),
    updated_at BIGINT NOT NULL
);
INSERT INTO points_settings (id, expiry_days, updated_at) VALUES (1, 0, 0);

-- The defaults a town can change (admin /admin/points).
INSERT INTO points_rules (name, activity_type, filter, points, cap_per_day, cap_per_month, once_key, position, enabled, created_at, updated_at) VALUES
    ('Newsletter bestätigt', 'newsletter.confirmed', '{}', 10, NULL, NULL, '{object}', 10, 1, 0, 0),
    ('Thema im Newsletter angeklickt', 'email.clicked', '{"props.topic":"*"}', 2, 5, NULL, '{props.campaign_id}/{props.topic}', 20, 1, 0, 0),
    ('Umfrage beantwortet', 'survey.completed', '{}', 20, NULL, NULL, '{object}', 30, 1, 0, 0),
    ('An Veranstaltung teilgenommen', 'event.attended', '{}', 30, NULL, NULL, '{object}', 40, 1, 0, 0);
