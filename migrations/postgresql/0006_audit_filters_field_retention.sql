-- The data-protection officer's audit screen (issue 3): filters by person (subject), actor,
-- action and client address, each newest first, so that one page of a filtered log is one
-- range of an index however long the log grows. The time-only view keeps audit_log_at.
-- Byte-wise comparison (as SQLite compares), so an address prefix is a range of the index
-- (ip >= '192.0.2.' AND ip < '192.0.2/') whatever the database's locale.
ALTER TABLE audit_log ALTER COLUMN actor TYPE TEXT COLLATE "C";
ALTER TABLE audit_log ALTER COLUMN action TYPE TEXT COLLATE "C";
ALTER TABLE audit_log ALTER COLUMN subject TYPE TEXT COLLATE "C";
ALTER TABLE audit_log ALTER COLUMN ip TYPE TEXT COLLATE "C";
CREATE INDEX audit_log_subject ON audit_log(subject, at, id);
CREATE INDEX audit_log_actor ON audit_log(actor, at, id);
CREATE INDEX audit_log_action ON audit_log(action, at, id);
CREATE INDEX audit_log_ip ON audit_log(ip, at, id);

-- A field's retention period (GDPR Art. 5(1)(e)) in calendar months, the unit retention rules
-- are usually written in; retention_days stays for periods given in days. At most one is set.
ALTER TABLE fields ADD COLUMN retention_months INTEGER
    CHECK (retention_months IS NULL OR (retention_months BETWEEN 1 AND 1200 AND retention_days IS NULL));
