-- Customer journeys (issue 6): definitions, each person's durable place in a journey, and the
-- counters per step. Times are Unix milliseconds.

-- definition: the JSON staff wrote (journeys/journey.h). trigger_type: the activity type the
-- consumer enrols on ('segment.entered' for a segment trigger, '' for a date field), copied out
-- of the JSON so that the consumer finds the journeys of an activity by index. key: the
-- ready-made journeys a town switches on ('welcome', 'event_reminder'); NULL for staff's own.
CREATE TABLE journeys (
    id INTEGER PRIMARY KEY,
    key TEXT UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    definition TEXT NOT NULL,
    trigger_type TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX journeys_trigger ON journeys(trigger_type) WHERE active;

-- One person's walk through a journey. state: active (at `step`, due at `due_at`) -> done
-- (walked to the end) | exited (an exit step or branch, no consent, an error). trigger_key
-- makes enrolment idempotent: the trigger activity's id, or 'date:<field>:<YYYY-MM-DD>'.
-- context: the trigger's props (an event's starts_at for the reminder).
CREATE TABLE journey_enrolments (
    id INTEGER PRIMARY KEY,
    journey_id INTEGER NOT NULL REFERENCES journeys(id) ON DELETE CASCADE,
    citizen_id INTEGER NOT NULL REFERENCES citizens(id) ON DELETE CASCADE,
    trigger_key TEXT NOT NULL,
    context TEXT NOT NULL DEFAULT '{}',
    step TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'done', 'exited')),
    due_at BIGINT,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    entered_at BIGINT NOT NULL,
    step_entered_at BIGINT NOT NULL,
    finished_at BIGINT,
    UNIQUE (journey_id, trigger_key)
);
CREATE INDEX journey_enrolments_due ON journey_enrolments(due_at, id) WHERE state = 'active';
CREATE INDEX journey_enrolments_person ON journey_enrolments(citizen_id, journey_id, entered_at);
CREATE INDEX journey_enrolments_waiting ON journey_enrolments(journey_id, step) WHERE state = 'active';

-- Counters per step, written in the transaction of the step: entered (reached it), done (left
-- it to the next step), exited (left the journey there). Waiting is counted from the
-- enrolments (journey_enrolments_waiting).
CREATE TABLE journey_step_stats (
    journey_id INTEGER NOT NULL REFERENCES journeys(id) ON DELETE CASCADE,
    step TEXT NOT NULL,
    entered BIGINT NOT NULL DEFAULT 0,
    done BIGINT NOT NULL DEFAULT 0,
    exited BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (journey_id, step)
);
