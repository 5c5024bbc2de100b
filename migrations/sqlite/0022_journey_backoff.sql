-- Journeys (issue 6): a step that fails for a passing reason (the outbox, a webhook queue, the
-- ledger unavailable) is tried again with exponential back-off; the enrolment keeps its count
-- (journey_enrolments.attempts) and next try (due_at), so a restart resumes the back-off. After
-- the last attempt the person leaves the journey there: counted here, apart from `exited`.
ALTER TABLE journey_step_stats ADD COLUMN failed BIGINT NOT NULL DEFAULT 0;
-- The statistics show each step's latest failure.
CREATE INDEX journey_enrolments_failures ON journey_enrolments(journey_id, id) WHERE attempts > 0;
