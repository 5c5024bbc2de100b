-- Tables of bench/points/pg_hot_row/run.sh: town issuing accounts 1..16 (the ledger uses one), people 1001..2000.
DROP TABLE IF EXISTS h_entries, h_transfers, h_accounts;
CREATE TABLE h_accounts (id BIGINT PRIMARY KEY, owner TEXT NOT NULL, balance BIGINT NOT NULL DEFAULT 0, updated_at BIGINT NOT NULL DEFAULT 0);
CREATE TABLE h_transfers (id BIGSERIAL PRIMARY KEY, idempotency_key TEXT UNIQUE NOT NULL, from_account BIGINT, to_account BIGINT, amount BIGINT, created_at BIGINT);
CREATE TABLE h_entries (id BIGSERIAL PRIMARY KEY, transfer_id BIGINT, account_id BIGINT, amount BIGINT, created_at BIGINT);
-- town issuing accounts: id 1..16 (one used when not sharded); citizens 1001..2000
INSERT INTO h_accounts (id, owner) SELECT g, 'town' FROM generate_series(1, 16) g;
INSERT INTO h_accounts (id, owner) SELECT g, 'citizen' FROM generate_series(1001, 2000) g;
