-- Citizen data hub (issue 3): profiles with channel and the GDPR Art. 18 restriction flag,
-- tags, interests (topics), the municipality's own fields and each person's values for them.
-- Times are Unix milliseconds (BIGINT). Searched and filtered text is COLLATE "C" (byte-wise,
-- as SQLite compares), so prefix searches are range scans on plain B-tree indexes
-- (col >= 'pre' AND col < 'prf') whatever the database's locale.

-- The e-mail column holds the normalised address (trimmed, lower-case), one profile per
-- address. Only the demo filled this table before, with addresses already in that form; were
-- two rows to collide, the migration fails and leaves nothing behind.
UPDATE citizens SET email = lower(btrim(email));
ALTER TABLE citizens ALTER COLUMN email TYPE TEXT COLLATE "C";

ALTER TABLE citizens ADD COLUMN preferred_channel TEXT NOT NULL DEFAULT 'email'
    CHECK (preferred_channel IN ('email', 'post', 'none'));
-- GDPR Art. 18: while set, the profile is only stored, not otherwise processed.
ALTER TABLE citizens ADD COLUMN restricted_at BIGINT;
-- Lower-cased names for prefix search, written by the application (citizens/text.h lower(),
-- which also folds Ä, Ö, Ü, İ ...), so both engines find the same people.
ALTER TABLE citizens ADD COLUMN first_name_search TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE citizens ADD COLUMN last_name_search TEXT COLLATE "C" NOT NULL DEFAULT '';
UPDATE citizens SET first_name_search = lower(first_name), last_name_search = lower(last_name);
ALTER TABLE citizens ALTER COLUMN district TYPE TEXT COLLATE "C";

-- The e-mail prefix search uses the UNIQUE index of email (rebuilt above with "C").
CREATE INDEX citizens_first_name_search ON citizens(first_name_search);
CREATE INDEX citizens_last_name_search ON citizens(last_name_search);
CREATE INDEX citizens_district ON citizens(district, id);

CREATE TABLE citizen_tags (
    citizen_id BIGINT NOT NULL REFERENCES citizens(id) ON DELETE CASCADE,
    tag TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (citizen_id, tag)
);
CREATE INDEX citizen_tags_tag ON citizen_tags(tag, citizen_id);

CREATE TABLE citizen_interests (
    citizen_id BIGINT NOT NULL REFERENCES citizens(id) ON DELETE CASCADE,
    topic_id BIGINT NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (citizen_id, topic_id)
);
CREATE INDEX citizen_interests_topic ON citizen_interests(topic_id, citizen_id);

-- Custom field definitions (citizens/field.h). min_value/max_value by type: number -> value,
-- text -> length, date -> days since 1970-01-01, multichoice -> how many options.
CREATE TABLE fields (
    id BIGSERIAL PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL CHECK (type IN ('text', 'number', 'date', 'bool', 'choice', 'multichoice')),
    label_de TEXT NOT NULL,
    label_en TEXT NOT NULL,
    options TEXT NOT NULL DEFAULT '[]', -- JSON array of strings
    required BOOLEAN NOT NULL DEFAULT FALSE,
    min_value DOUBLE PRECISION,
    max_value DOUBLE PRECISION,
    pattern TEXT,
    personal BOOLEAN NOT NULL DEFAULT TRUE,
    department_id BIGINT REFERENCES departments(id),
    retention_days INTEGER,
    ask_in_portal BOOLEAN NOT NULL DEFAULT FALSE,
    portal_order INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- One row per value, and per chosen option of a multichoice field, so that "field = value"
-- and "multichoice contains option" are both one index range (field_id, value) however many
-- people and fields there are. value is canonical text: numbers without a needless fraction,
-- dates YYYY-MM-DD, booleans true/false. number repeats a number field's value as a number,
-- for range comparisons (segments). recorded_at is when the value was set: retention periods
-- (GDPR Art. 5(1)(e)) count from it.
CREATE TABLE citizen_values (
    citizen_id BIGINT NOT NULL REFERENCES citizens(id) ON DELETE CASCADE,
    field_id BIGINT NOT NULL REFERENCES fields(id) ON DELETE CASCADE,
    value TEXT COLLATE "C" NOT NULL,
    number DOUBLE PRECISION,
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (citizen_id, field_id, value)
);
CREATE INDEX citizen_values_value ON citizen_values(field_id, value, citizen_id);
CREATE INDEX citizen_values_number ON citizen_values(field_id, number, citizen_id)
    WHERE number IS NOT NULL;
