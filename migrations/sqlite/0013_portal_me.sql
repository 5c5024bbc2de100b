-- The citizen portal, what a signed-in citizen does (issue 5): progressive profiling remembers
-- when a person declined to answer a question (a custom field marked ask_in_portal), so that
-- it is not asked again before the pause (portal_ask_again_days) has passed. Personal data:
-- listed in gdpr/personal_data.cpp (exported, erased with the profile, merged by field).
CREATE TABLE portal_declines (
    citizen_id INTEGER NOT NULL REFERENCES citizens(id) ON DELETE CASCADE,
    field_id INTEGER NOT NULL REFERENCES fields(id) ON DELETE CASCADE,
    declined_at BIGINT NOT NULL,
    PRIMARY KEY (citizen_id, field_id)
);
CREATE INDEX portal_declines_field ON portal_declines(field_id);
