-- Events and projects with registration, waiting list and check-in (issue 8). Times are Unix
-- milliseconds (UTC).

-- capacity NULL: unlimited. registration_deadline NULL: until the start. points: what the
-- attendance is worth, shown to people (the points themselves come from the rule for
-- event.attended, migration 0017).
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    place TEXT NOT NULL DEFAULT '',
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    capacity BIGINT CHECK (capacity IS NULL OR capacity > 0),
    waiting_list INTEGER NOT NULL DEFAULT 1,
    registration_deadline BIGINT,
    department_id INTEGER REFERENCES departments(id),
    points BIGINT NOT NULL DEFAULT 0 CHECK (points >= 0),
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'cancelled')),
    created_by TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX events_starts ON events(status, starts_at);

-- One row per registration; a person who cancelled and registers again gets a new row. At most
-- one active (registered or waitlisted) registration per person and event: the partial unique
-- index makes a second one fail even when two requests race. ticket_code: normalised, as the
-- shop's voucher codes (shop/voucher_code.h). citizen_id NULL: the person was erased.
CREATE TABLE event_registrations (
    id INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES events(id),
    citizen_id BIGINT,
    status TEXT NOT NULL CHECK (status IN ('registered', 'waitlisted', 'cancelled')),
    ticket_code TEXT NOT NULL UNIQUE,
    registered_at BIGINT NOT NULL,
    promoted_at BIGINT,
    cancelled_at BIGINT,
    checked_in_at BIGINT,
    checked_in_by TEXT,
    actor TEXT NOT NULL DEFAULT '',
    CHECK (checked_in_at IS NULL OR status = 'registered')
);
CREATE UNIQUE INDEX event_registrations_active ON event_registrations(event_id, citizen_id)
    WHERE status IN ('registered', 'waitlisted');
CREATE INDEX event_registrations_event ON event_registrations(event_id, status, id);
CREATE INDEX event_registrations_citizen ON event_registrations(citizen_id);
