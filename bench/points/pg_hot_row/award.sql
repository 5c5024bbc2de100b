-- One award as the ledger writes it (bench/points/pg_hot_row/run.sh); :shards town rows to spread the debit over.
\set c random(1001, 2000)
\set town random(1, :shards)
BEGIN;
SELECT id FROM h_transfers WHERE idempotency_key = 'k' || :client_id || '-' || txid_current();
SELECT id, balance FROM h_accounts WHERE id = :c;
INSERT INTO h_transfers (idempotency_key, from_account, to_account, amount, created_at) VALUES ('k' || :client_id || '-' || txid_current(), :town, :c, 10, 0) RETURNING id;
UPDATE h_accounts SET balance = balance - 10, updated_at = 1 WHERE id = :town;
UPDATE h_accounts SET balance = balance + 10, updated_at = 1 WHERE id = :c;
INSERT INTO h_entries (transfer_id, account_id, amount, created_at) VALUES (currval('h_transfers_id_seq'), :town, -10, 0), (currval('h_transfers_id_seq'), :c, 10, 0);
SELECT balance FROM h_accounts WHERE id = :c;
COMMIT;
