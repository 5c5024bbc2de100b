#include "events/event_store.h"

#include "db/dialect.h"

#include <fmt/format.h>

namespace teilhabe::events::store {

namespace {

constexpr const char* kColumns =
    "e.id, e.title, e.description, e.place, e.starts_at, e.ends_at, e.capacity, e.waiting_list, "
    "e.registration_deadline, e.department_id, e.points, e.status, e.created_at, e.updated_at, "
    "(SELECT COUNT(*) FROM event_registrations r WHERE r.event_id = e.id AND r.status = "
    "'registered'), "
    "(SELECT COUNT(*) FROM event_registrations r WHERE r.event_id = e.id AND r.status = "
    "'waitlisted'), "
    "(SELECT COUNT(*) FROM event_registrations r WHERE r.event_id = e.id AND r.checked_in_at IS "
    "NOT NULL)";

Event event_of(const db::Row& r) {
    Event e;
    e.id = r.get_int(0);
    e.title = r.get_text(1);
    e.description = r.get_text(2);
    e.place = r.get_text(3);
    e.starts_at_ms = r.get_int(4);
    e.ends_at_ms = r.get_int(5);
    e.capacity = r.get_opt_int(6);
    e.waiting_list = r.get_int(7) != 0;
    e.deadline_ms = r.get_opt_int(8);
    e.department_id = r.get_opt_int(9);
    e.points = r.get_int(10);
    e.status = status_from(r.get_text(11)).value_or(Status::Draft);
    e.created_at_ms = r.get_int(12);
    e.updated_at_ms = r.get_int(13);
    e.registered = r.get_int(14);
    e.waitlisted = r.get_int(15);
    e.checked_in = r.get_int(16);
    return e;
}

Result<void> check_department(db::Connection& c, const std::optional<std::int64_t>& id) {
    if (!id)
        return {};
    auto rows = TRY(c.query("SELECT 1 FROM departments WHERE id = ?", {*id}));
    if (rows.empty())
        return fail(Error::invalid(fmt::format("There is no department {}.", *id), "department_id"));
    return {};
}

} // namespace

Result<std::vector<Event>> list_events(db::Connection& c, const EventFilter& f) {
    // One statement per shape, every value bound; "? = 0 OR" switches the scope off.
    std::int64_t scoped = f.scoped ? 1 : 0;
    std::int64_t department = f.department_id.value_or(-1);
    auto rows = f.upcoming_published
                    ? TRY(c.query(fmt::format("SELECT {} FROM events e WHERE e.id > ? AND (? = 0 "
                                              "OR e.department_id = ?) AND e.status = "
                                              "'published' AND e.ends_at > ? ORDER BY "
                                              "e.starts_at, e.id LIMIT ?",
                                              kColumns),
                                  {f.after_id.value_or(0), scoped, department, f.now_ms,
                                   std::int64_t{f.limit}}))
                    : TRY(c.query(fmt::format("SELECT {} FROM events e WHERE e.id > ? AND (? = 0 "
                                              "OR e.department_id = ?) ORDER BY e.id LIMIT ?",
                                              kColumns),
                                  {f.after_id.value_or(0), scoped, department,
                                   std::int64_t{f.limit}}));
    std::vector<Event> out;
    for (const auto& r : rows.rows)
        out.push_back(event_of(r));
    return out;
}

Result<std::optional<Event>> find_event(db::Connection& c, std::int64_t id, Lock lock) {
    if (lock == Lock::ForUpdate)
        TRY(c.query(fmt::format("SELECT id FROM events WHERE id = ?{}",
                                db::dialect::for_update(c.backend())),
                    {id}));
    auto rows = TRY(c.query(fmt::format("SELECT {} FROM events e WHERE e.id = ?", kColumns), {id}));
    if (rows.empty())
        return std::optional<Event>{};
    return std::optional<Event>{event_of(rows.first())};
}

Result<Event> create_event(db::Connection& c, Event e, const std::string& actor,
                           std::int64_t now_ms) {
    TRY(validate(e));
    TRY(check_department(c, e.department_id));
    auto row = TRY(c.query_one(
        "INSERT INTO events (title, description, place, starts_at, ends_at, capacity, "
        "waiting_list, registration_deadline, department_id, points, status, created_by, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {e.title, e.description, e.place, e.starts_at_ms, e.ends_at_ms, db::opt(e.capacity),
         std::int64_t{e.waiting_list ? 1 : 0}, db::opt(e.deadline_ms), db::opt(e.department_id),
         e.points, std::string(to_string(e.status)), actor, now_ms, now_ms}));
    return TRY(find_event(c, row.get_int(0))).value();
}

Result<Event> update_event(db::Connection& c, const Event& e, std::int64_t now_ms) {
    TRY(validate(e));
    TRY(check_department(c, e.department_id));
    TRY(c.query("UPDATE events SET title = ?, description = ?, place = ?, starts_at = ?, "
                "ends_at = ?, capacity = ?, waiting_list = ?, registration_deadline = ?, "
                "department_id = ?, points = ?, status = ?, updated_at = ? WHERE id = ?",
                {e.title, e.description, e.place, e.starts_at_ms, e.ends_at_ms,
                 db::opt(e.capacity), std::int64_t{e.waiting_list ? 1 : 0},
                 db::opt(e.deadline_ms), db::opt(e.department_id), e.points,
                 std::string(to_string(e.status)), now_ms, e.id}));
    return TRY(find_event(c, e.id)).value();
}

} // namespace teilhabe::events::store

namespace teilhabe::events::store {
Result<std::vector<Department>> list_departments(db::Connection& c) {
    auto rows = TRY(c.query("SELECT id, name_de, name_en FROM departments ORDER BY name_de, id"));
    std::vector<Department> out;
    for (const auto& r : rows.rows)
        out.push_back({r.get_int(0), r.get_text(1), r.get_text(2)});
    return out;
}
} // namespace teilhabe::events::store
