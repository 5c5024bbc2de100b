-- The data-protection officer's audit screen (issue 3): filters by person (subject), actor,
-- action and client address, each newest first, so that one page of a filtered log is one
-- range of an index however long the log grows. The time-only view keeps audit_log_at.
CREATE INDEX audit_log_subject ON audit_log(subject, at, id);
CREATE INDEX audit_log_actor ON audit_log(actor, at, id);
CREATE INDEX audit_log_action ON audit_log(action, at, id);
CREATE INDEX audit_log_ip ON audit_log(ip, at, id);

-- A field's retention period (GDPR Art. 5(1)(e)) in calendar months, the unit retention rules
-- are usually written in; retention_days stays for periods given in days. At most one is set.
ALTER TABLE fields ADD COLUMN retention_months INTEGER
    CHECK (retention_months IS NULL OR (retention_months BETWEEN 1 AND 1200 AND retention_days IS NULL));
