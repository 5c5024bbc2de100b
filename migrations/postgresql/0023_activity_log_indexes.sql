-- The activity log takes a row for every click, sign-up and award; each index is written on every
-- row (issue 4: the tracked-link redirect records one activity per request). Only activities
-- appended with an Idempotency-Key (the API's POST) have one; the column's UNIQUE constraint
-- kept an index entry for every row without a key too. A partial unique index keeps only the
-- keyed rows. (activities_order stays: it is PostgreSQL's commit order.)
CREATE UNIQUE INDEX activities_idempotency ON activities(idempotency_key) WHERE idempotency_key IS NOT NULL;
ALTER TABLE activities DROP CONSTRAINT activities_idempotency_key_key;
