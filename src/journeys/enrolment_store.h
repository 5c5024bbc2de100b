#pragma once
// SQL of each person's place in a journey (journey_enrolments, migration 0016). Every function
// runs inside the caller's transaction.

#include "db/connection.h"
#include "journeys/journey.h"

#include <vector>

namespace teilhabe::journeys::enrolments {

enum class State { Active, Done, Exited };
const char* to_string(State s);

struct Enrolment {
    std::int64_t id{0};
    std::int64_t journey_id{0};
    std::int64_t citizen_id{0};
    std::string trigger_key;
    nlohmann::json context = nlohmann::json::object();
    std::string step;
    State state{State::Active};
    std::optional<std::int64_t> due_at;
    int attempts{0};
    std::optional<std::string> last_error;
    std::int64_t entered_at{0};
    std::int64_t step_entered_at{0};
};

// Whether the re-entry rule lets the person in now (a person already in the journey is let in
// again only under "always": two events, two reminders).
Result<bool> may_enter(db::Connection& c, std::int64_t journey_id, std::int64_t citizen_id,
                       const ReentryRule& rule, TimePoint now);
// A new enrolment at `step`; nothing when the trigger_key was enrolled before (a repeated
// activity, a date job that runs twice). Returns the new row's id.
Result<std::optional<std::int64_t>> insert(db::Connection& c, const Enrolment& e);

// Due enrolments of active journeys, oldest due first, locked for this transaction (SKIP
// LOCKED on PostgreSQL: other instances take the next ones; SQLite has one writer).
Result<std::vector<Enrolment>> claim_due(db::Connection& c, TimePoint now, int limit);
Result<std::optional<Enrolment>> find(db::Connection& c, std::int64_t id);
Result<std::vector<Enrolment>> of_journey(db::Connection& c, std::int64_t journey_id);
// Writes step, state, due_at, attempts, last_error, step_entered_at and finished_at.
Result<void> save(db::Connection& c, const Enrolment& e, std::int64_t now);
// The same for many (a batch of the engine): one UPDATE per 100 enrolments.
Result<void> save_all(db::Connection& c, const std::vector<Enrolment>& es, std::int64_t now);
// The earliest due time of an enrolment of an active journey (to sleep until then).
Result<std::optional<TimePoint>> next_due(db::Connection& c);

} // namespace teilhabe::journeys::enrolments
