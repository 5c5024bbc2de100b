-- Live segments (issue 6): the definitions, who is in each one now, and when a person's
-- result can next change without an activity of theirs (an activity window running out).
-- Times are Unix milliseconds.

-- rule is the canonical JSON definition (segments/rule_json.h). version grows with each edit of
-- the rule; status is 'computing' while the bulk job (segments.compute) walks every profile
-- for that version, up to computed_upto (the last citizen id done), then 'live'.
CREATE TABLE segments (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    rule TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    status TEXT NOT NULL DEFAULT 'computing' CHECK (status IN ('computing', 'live')),
    computed_upto BIGINT NOT NULL DEFAULT 0,
    computed_at BIGINT,
    created_by TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Counting a segment is a range of this primary key; a person's segments are the second index.
CREATE TABLE segment_members (
    segment_id INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
    citizen_id INTEGER NOT NULL REFERENCES citizens(id) ON DELETE CASCADE,
    entered_at BIGINT NOT NULL,
    PRIMARY KEY (segment_id, citizen_id)
) WITHOUT ROWID;
CREATE INDEX segment_members_citizen ON segment_members(citizen_id, segment_id);

-- The next moment a person's segments can change by time alone; the job segments.recheck
-- re-evaluates the people whose moment came.
CREATE TABLE segment_rechecks (
    citizen_id INTEGER PRIMARY KEY REFERENCES citizens(id) ON DELETE CASCADE,
    due_at BIGINT NOT NULL
);
CREATE INDEX segment_rechecks_due ON segment_rechecks(due_at);

-- Activity rules count a person's activities of a type: (citizen_id, type, occurred_at).
CREATE INDEX activities_citizen_type ON activities(citizen_id, type, occurred_at);

-- A campaign may go to a segment's members (campaigns/audience.cpp). A segment in use by a
-- campaign cannot be deleted (the store says so; the reference keeps it).
ALTER TABLE campaigns ADD COLUMN segment_id BIGINT REFERENCES segments(id);
CREATE INDEX campaigns_segment ON campaigns(segment_id) WHERE segment_id IS NOT NULL;
