-- Surveys (issue 8): the definitions, who took part, and the answers. Times are Unix
-- milliseconds. Booleans are INTEGER 0/1 on both engines.

-- questions: the ordered questions as JSON (surveys/survey.h). audience_kind 'everyone',
-- 'topic' (audience_ref = the topic's key) or 'segment' (audience_ref = the segment's id).
CREATE TABLE surveys (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    opens_at BIGINT,
    closes_at BIGINT,
    audience_kind TEXT NOT NULL DEFAULT 'everyone'
        CHECK (audience_kind IN ('everyone', 'topic', 'segment')),
    audience_ref TEXT NOT NULL DEFAULT '',
    anonymous INTEGER NOT NULL DEFAULT 0,
    department_id BIGINT,
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'closed')),
    questions TEXT NOT NULL DEFAULT '[]',
    created_by TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX surveys_status ON surveys(status, id);

-- Who took part and when: one row per person and survey (the database refuses a second one).
-- It is what earns the points (the activity survey.completed) and is personal data (GDPR).
CREATE TABLE survey_participations (
    id INTEGER PRIMARY KEY,
    survey_id INTEGER NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    citizen_id INTEGER NOT NULL REFERENCES citizens(id) ON DELETE CASCADE,
    via TEXT NOT NULL DEFAULT 'portal',
    completed_at BIGINT NOT NULL,
    UNIQUE (survey_id, citizen_id)
);
CREATE INDEX survey_participations_citizen ON survey_participations(citizen_id);

-- The answers. For a named survey citizen_id and submitted_at say whose they are. For an
-- anonymous survey both are NULL and nothing else links a row to a participation: the key is
-- random (so the order of the rows is not the order of the answers: WITHOUT ROWID stores them
-- by key), and there is no time (docs/decisions.md "Surveys").
CREATE TABLE survey_responses (
    id TEXT PRIMARY KEY,
    survey_id INTEGER NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    citizen_id INTEGER REFERENCES citizens(id) ON DELETE CASCADE,
    submitted_at BIGINT,
    answers TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX survey_responses_survey ON survey_responses(survey_id);
CREATE INDEX survey_responses_citizen ON survey_responses(citizen_id);
