-- The offer shop, vouchers and the Stadttaler (issue 7). The points and money themselves are in
-- the ledger (0017); these tables say what was bought, with which voucher, and which payment
-- request, top-up or settlement a ledger transfer belongs to. Times are Unix milliseconds.

-- Partner organisations (the VHS cashier, the pool desk, a local shop).
CREATE TABLE partners (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Which partner a staff account or API key with the role Partner acts for. `principal` is the
-- actor string ("staff:3", "apikey:2"), so src/staff needs no change (docs/decisions.md).
CREATE TABLE partner_members (
    principal TEXT PRIMARY KEY,
    partner_id INTEGER NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL
);

-- stock NULL: unlimited. per_person_limit NULL: no limit. valid_until NULL: no end.
CREATE TABLE offers (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    price_points BIGINT NOT NULL CHECK (price_points > 0),
    stock BIGINT CHECK (stock IS NULL OR stock >= 0),
    per_person_limit BIGINT CHECK (per_person_limit IS NULL OR per_person_limit > 0),
    valid_from BIGINT,
    valid_until BIGINT,
    partner_id INTEGER REFERENCES partners(id),
    department_id BIGINT,
    active INTEGER NOT NULL DEFAULT 1,
    created_by TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX offers_active ON offers(active, id);

-- An offer's picture, kept in the database (one file to back up), base64 of at most 512 KiB.
CREATE TABLE offer_images (
    offer_id INTEGER PRIMARY KEY REFERENCES offers(id) ON DELETE CASCADE,
    content_type TEXT NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg', 'image/webp')),
    data_base64 TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- code: normalised (no dashes). request_key: the redeeming request's Idempotency-Key.
-- transfer_id: the ledger transfer that paid for it (reversed on cancellation).
CREATE TABLE vouchers (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    offer_id INTEGER NOT NULL REFERENCES offers(id),
    citizen_id BIGINT,
    request_key TEXT NOT NULL UNIQUE,
    price_points BIGINT NOT NULL,
    status TEXT NOT NULL DEFAULT 'issued' CHECK (status IN ('issued', 'redeemed', 'cancelled')),
    transfer_id BIGINT NOT NULL,
    issued_at BIGINT NOT NULL,
    redeemed_at BIGINT,
    redeemed_by TEXT,
    cancelled_at BIGINT,
    cancelled_by TEXT
);
CREATE INDEX vouchers_citizen ON vouchers(citizen_id, id);
CREATE INDEX vouchers_offer_citizen ON vouchers(offer_id, citizen_id);

-- One wallet per person; `code` is what the person shows at a partner's till.
CREATE TABLE stadttaler_wallets (
    citizen_id BIGINT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);

-- A partner asks, the person accepts in the portal (or declines); only then money moves.
CREATE TABLE stadttaler_payment_requests (
    id INTEGER PRIMARY KEY,
    partner_id INTEGER NOT NULL REFERENCES partners(id),
    citizen_id BIGINT,
    amount_cents BIGINT NOT NULL CHECK (amount_cents > 0),
    note TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'accepted', 'declined', 'expired')),
    transfer_id BIGINT,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    decided_at BIGINT
);
CREATE INDEX stadttaler_requests_citizen ON stadttaler_payment_requests(citizen_id, status);
CREATE INDEX stadttaler_requests_partner ON stadttaler_payment_requests(partner_id, decided_at);

-- Top-ups: at the desk (source 'desk') or confirmed by the payment provider ('provider', unique
-- by the provider's payment id, so a repeated webhook books nothing twice).
CREATE TABLE stadttaler_topups (
    id INTEGER PRIMARY KEY,
    citizen_id BIGINT,
    amount_cents BIGINT NOT NULL CHECK (amount_cents > 0),
    source TEXT NOT NULL CHECK (source IN ('desk', 'provider')),
    provider_payment_id TEXT UNIQUE,
    transfer_id BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX stadttaler_topups_citizen ON stadttaler_topups(citizen_id, id);

-- A settled period of a partner: what the partner took in Stadttaler, paid out by the town.
CREATE TABLE stadttaler_settlements (
    id INTEGER PRIMARY KEY,
    partner_id INTEGER NOT NULL REFERENCES partners(id),
    period_from BIGINT NOT NULL,
    period_to BIGINT NOT NULL,
    amount_cents BIGINT NOT NULL,
    transfer_id BIGINT,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (partner_id, period_from, period_to)
);
