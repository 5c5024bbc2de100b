#pragma once
// SQL of events. Every function runs inside the caller's transaction.

#include "db/connection.h"
#include "events/event.h"

#include <optional>
#include <string>
#include <vector>

namespace teilhabe::events::store {

struct EventFilter {
    std::optional<std::int64_t> after_id; // cursor (by id)
    int limit{100};
    // Department staff see only their department's events (none: all).
    bool scoped{false};
    std::optional<std::int64_t> department_id;
    // The portal: published events that have not ended, soonest first.
    bool upcoming_published{false};
    std::int64_t now_ms{0};
};
Result<std::vector<Event>> list_events(db::Connection& c, const EventFilter& f);

// FOR UPDATE on PostgreSQL: registrations of one event take turns on its row (SQLite has one
// writer), so the count of places is read and changed without a race.
enum class Lock { None, ForUpdate };
Result<std::optional<Event>> find_event(db::Connection& c, std::int64_t id, Lock lock = Lock::None);
Result<Event> create_event(db::Connection& c, Event e, const std::string& actor, std::int64_t now_ms);
Result<Event> update_event(db::Connection& c, const Event& e, std::int64_t now_ms);
// Deleting an event: registration_store.h's remove_event (one with registrations is cancelled
// and its people are told).

} // namespace teilhabe::events::store

namespace teilhabe::events::store {
struct Department {
    std::int64_t id{0};
    std::string name_de, name_en;
};
Result<std::vector<Department>> list_departments(db::Connection& c);
} // namespace teilhabe::events::store
