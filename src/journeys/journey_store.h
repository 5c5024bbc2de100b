#pragma once
// SQL of journey definitions and their counters (migration 0016). Every function runs inside
// the caller's transaction; changes are audited.

#include "db/connection.h"
#include "journeys/journey.h"

#include <vector>

namespace teilhabe::journeys::store {

struct Actor {
    std::string id; // "staff:3", "apikey:2", "system"
    std::string ip;
};

Result<Journey> create(db::Connection& c, const JourneyInput& in, const Actor& who, const Clock& clock);
Result<Journey> update(db::Connection& c, std::int64_t id, const JourneyInput& in, const Actor& who,
                       const Clock& clock);
// Removes the journey with everybody's place in it and its counters.
Result<void> remove(db::Connection& c, std::int64_t id, const Actor& who, const Clock& clock);
Result<std::optional<Journey>> find(db::Connection& c, std::int64_t id);
Result<std::vector<Journey>> list(db::Connection& c);
// Switched on, new people enter on its trigger and those in it walk on; switched off, nobody
// enters and those in it wait where they are until it is switched on again.
Result<Journey> set_active(db::Connection& c, std::int64_t id, bool active, const Actor& who,
                           const Clock& clock);
// The active journeys whose trigger is this activity type.
Result<std::vector<Journey>> active_for_activity(db::Connection& c, std::string_view type);
// The activity types that trigger an active journey (the enrolment consumer reads only these).
Result<std::vector<std::string>> active_trigger_types(db::Connection& c);
Result<std::vector<Journey>> active_date_journeys(db::Connection& c);
// id -> updated_at (ms) and active, to check cached definitions.
struct Version {
    std::int64_t id;
    std::int64_t updated_at;
    bool active;
};
Result<std::vector<Version>> versions(db::Connection& c);

struct StepStats {
    std::string step;
    std::string type;
    std::int64_t entered{0}, waiting{0}, done{0}, exited{0};
    // Gave up after the last attempt (engine.h); waiting for another attempt now; and the
    // latest failure's reason at this step, if any.
    std::int64_t failed{0}, retrying{0};
    std::optional<std::string> last_error;
};
// One entry per step of the definition, in order (counters of steps removed since are left out).
Result<std::vector<StepStats>> statistics(db::Connection& c, const Journey& j);
struct Totals {
    std::int64_t active{0}, done{0}, exited{0};
};
Result<Totals> totals(db::Connection& c, std::int64_t journey_id);

// Adds to a step's counters (upsert).
Result<void> count(db::Connection& c, std::int64_t journey_id, const std::string& step,
                   std::int64_t entered, std::int64_t done, std::int64_t exited, std::int64_t failed = 0);

// The ready-made journeys (ready_made.cpp), inserted switched off when missing.
Result<void> seed_ready_made(db::Connection& c, const Clock& clock);

} // namespace teilhabe::journeys::store
