#include "events/registration_store.h"

#include "activity/activity_store.h"
#include "db/rows.h"
#include "events/event_store.h"
#include "shop/voucher_code.h"

#include <fmt/format.h>

namespace teilhabe::events::store {

namespace {

constexpr const char* kColumns =
    "r.id, r.event_id, r.citizen_id, r.status, r.ticket_code, r.registered_at, r.promoted_at, "
    "r.cancelled_at, r.checked_in_at, e.title, e.starts_at, e.ends_at, "
    "COALESCE(p.first_name, ''), COALESCE(p.last_name, ''), COALESCE(p.email, '')";
constexpr const char* kFrom = " FROM event_registrations r JOIN events e ON e.id = r.event_id "
                              "LEFT JOIN citizens p ON p.id = r.citizen_id ";
// Registered first, then the waiting list in its order, then the cancelled.
constexpr const char* kOrder =
    " ORDER BY CASE r.status WHEN 'registered' THEN 0 WHEN 'waitlisted' THEN 1 ELSE 2 END, r.id";

Registration registration_of(const db::Row& row) {
    Registration r;
    r.id = row.get_int(0);
    r.event_id = row.get_int(1);
    r.citizen_id = row.get_opt_int(2);
    r.status = reg_status_from(row.get_text(3)).value_or(RegStatus::Cancelled);
    r.ticket_code = row.get_text(4);
    r.registered_at_ms = row.get_int(5);
    r.promoted_at_ms = row.get_opt_int(6);
    r.cancelled_at_ms = row.get_opt_int(7);
    r.checked_in_at_ms = row.get_opt_int(8);
    r.event_title = row.get_text(9);
    r.starts_at_ms = row.get_int(10);
    r.ends_at_ms = row.get_int(11);
    r.first_name = row.get_text(12);
    r.last_name = row.get_text(13);
    r.email = row.get_text(14);
    return r;
}

Result<std::vector<Registration>> select(db::Connection& c, const std::string& where,
                                         const db::Params& params) {
    return db::query_as(c, fmt::format("SELECT {}{}{}", kColumns, kFrom, where), params,
                        registration_of);
}

Result<std::optional<Registration>> select_one(db::Connection& c, const std::string& where,
                                               const db::Params& params) {
    return db::query_first_as(c, fmt::format("SELECT {}{}{}", kColumns, kFrom, where), params,
                              registration_of);
}

// The contract of issue 8: props {event_id, title, starts_at (RFC 3339 UTC)}, object
// "event:{id}" — the reminder journey waits until starts_at - 2d, the points rule for
// event.attended pays once per object.
Result<void> record(db::Connection& c, const Event& e, const Registration& r, std::string type,
                    const std::string& actor, const Clock& clock) {
    activity::Activity a;
    a.type = std::move(type);
    a.citizen_id = r.citizen_id;
    a.actor = actor;
    a.object = fmt::format("event:{}", e.id);
    a.props = nlohmann::json{{"event_id", e.id},
                             {"registration_id", r.id},
                             {"title", e.title},
                             {"starts_at", iso_time(e.starts_at_ms)},
                             {"points", e.points}}
                  .dump();
    TRY(activity::append(c, std::move(a), clock));
    return {};
}

Result<Event> locked_event(db::Connection& c, std::int64_t event_id) {
    auto e = TRY(find_event(c, event_id, Lock::ForUpdate));
    if (!e)
        return fail(Error::not_found(fmt::format("There is no event {}.", event_id)));
    return *e;
}

// Queues the mail about the registration `r` of `e` in the caller's transaction, in the person's
// language; nothing for an erased person (no address).
Result<void> tell(db::Connection& c, PromotionMail::Kind kind, const Event& e,
                  const Registration& r, const PromotionMailer& mailer) {
    if (!r.citizen_id || r.email.empty())
        return {};
    if (!mailer)
        return fail(Error::unavailable("no mailer for the events is set up"));
    auto lang = TRY(c.query_one("SELECT language FROM citizens WHERE id = ?", {*r.citizen_id}));
    return mailer(c, PromotionMail{.kind = kind,
                                   .citizen_id = *r.citizen_id,
                                   .registration_id = r.id,
                                   .to_email = r.email,
                                   .language = lang.get_text(0),
                                   .first_name = r.first_name,
                                   .event_title = e.title,
                                   .place = e.place,
                                   .starts_at_ms = e.starts_at_ms});
}

// Moves the first on the waiting list up while there is a free place; each is told by e-mail.
Result<int> promote_waiting(db::Connection& c, const Event& before, const std::string& actor,
                            const Clock& clock, const PromotionMailer& mailer) {
    auto e = before;
    int moved_up = 0;
    while (e.waitlisted > 0 && (!e.capacity || e.registered < *e.capacity)) {
        auto next = TRY(select_one(c, "WHERE r.event_id = ? AND r.status = 'waitlisted' ORDER BY "
                                      "r.id LIMIT 1",
                                   {e.id}));
        if (!next)
            break;
        auto now = clock.now_ms();
        auto moved = TRY(c.query("UPDATE event_registrations SET status = 'registered', "
                                 "promoted_at = ? WHERE id = ? AND status = 'waitlisted'",
                                 {now, next->id}));
        if (moved.affected != 1)
            return fail(Error::internal("a waiting registration changed under the event's lock"));
        next->status = RegStatus::Registered;
        next->promoted_at_ms = now;
        // event.promoted says what happened; event.registered starts the reminder journey for
        // them as for everybody with a place (journeys/ready_made.cpp).
        TRY(record(c, e, *next, "event.promoted", actor, clock));
        TRY(record(c, e, *next, "event.registered", actor, clock));
        TRY(tell(c, PromotionMail::Kind::Promoted, e, *next, mailer));
        ++e.registered;
        --e.waitlisted;
        ++moved_up;
    }
    return moved_up;
}

Result<CheckIn> check_in(db::Connection& c, const Event& e, Registration r,
                         const std::string& actor, const Clock& clock) {
    if (e.status == Status::Cancelled)
        return fail(Error::precondition("The event has been cancelled."));
    if (r.status == RegStatus::Waitlisted)
        return fail(Error::precondition("This person is on the waiting list, not registered."));
    if (r.status == RegStatus::Cancelled)
        return fail(Error::precondition("This registration was cancelled."));
    auto now = clock.now_ms();
    auto done = TRY(c.query("UPDATE event_registrations SET checked_in_at = ?, checked_in_by = ? "
                            "WHERE id = ? AND status = 'registered' AND checked_in_at IS NULL",
                            {now, actor, r.id}));
    if (done.affected != 1)
        return CheckIn{TRY(find_registration(c, r.id)).value(), true};
    r.checked_in_at_ms = now;
    TRY(record(c, e, r, "event.attended", actor, clock));
    return CheckIn{r, false};
}

} // namespace

Result<Registration> register_person(db::Connection& c, std::int64_t event_id,
                                     std::int64_t citizen_id, const std::string& actor,
                                     const Clock& clock) {
    // The event's row lock makes registrations of one event take turns (PostgreSQL; SQLite has
    // one writer), so the count of places below is exact.
    auto e = TRY(locked_event(c, event_id));
    auto person = TRY(c.query("SELECT 1 FROM citizens WHERE id = ?", {citizen_id}));
    if (person.empty())
        return fail(Error::invalid("There is no such person.", "citizen_id"));
    auto now = clock.now_ms();
    if (auto no = registration_refusal(e, now))
        return fail(to_error(*no));
    if (auto held = TRY(active_registration(c, event_id, citizen_id)))
        return fail(Error::exists(held->status == RegStatus::Waitlisted
                                      ? "The person is on the waiting list for this event already."
                                      : "The person is registered for this event already."));
    bool full = e.capacity && e.registered >= *e.capacity;
    auto status = full ? RegStatus::Waitlisted : RegStatus::Registered;
    // The partial unique index (one active registration per person and event) is the last word
    // should two requests of one person ever get past the check above.
    auto row = TRY(c.query_one("INSERT INTO event_registrations (event_id, citizen_id, status, "
                               "ticket_code, registered_at, actor) VALUES (?, ?, ?, ?, ?, ?) "
                               "RETURNING id",
                               {event_id, citizen_id, std::string(to_string(status)),
                                shop::new_code(), now, actor}));
    auto r = TRY(find_registration(c, row.get_int(0))).value();
    TRY(record(c, e, r, full ? "event.waitlisted" : "event.registered", actor, clock));
    return r;
}

Result<Registration> cancel_registration(db::Connection& c, std::int64_t registration_id,
                                         const std::string& actor, const Clock& clock,
                                         const PromotionMailer& mailer) {
    auto found = TRY(find_registration(c, registration_id));
    if (!found)
        return fail(Error::not_found(fmt::format("There is no registration {}.", registration_id)));
    auto e = TRY(locked_event(c, found->event_id));
    auto r = TRY(find_registration(c, registration_id)).value(); // as of the lock
    if (r.status == RegStatus::Cancelled)
        return fail(Error::conflict("The registration was cancelled before."));
    auto now = clock.now_ms();
    if (now >= e.starts_at_ms)
        return fail(Error::precondition("The event has started; a registration can no longer be "
                                        "cancelled."));
    auto done = TRY(c.query("UPDATE event_registrations SET status = 'cancelled', cancelled_at = ? "
                            "WHERE id = ? AND status IN ('registered', 'waitlisted')",
                            {now, r.id}));
    if (done.affected != 1)
        return fail(Error::conflict("The registration was cancelled before."));
    bool held_place = r.status == RegStatus::Registered;
    r.status = RegStatus::Cancelled;
    r.cancelled_at_ms = now;
    TRY(record(c, e, r, "event.cancelled", actor, clock));
    if (held_place) {
        --e.registered;
        // Nobody moves up into a cancelled event (they were told it is cancelled).
        if (e.status != Status::Cancelled)
            TRY(promote_waiting(c, e, actor, clock, mailer));
    } else {
        --e.waitlisted;
    }
    return r;
}

Result<int> fill_free_places(db::Connection& c, std::int64_t event_id, const std::string& actor,
                             const Clock& clock, const PromotionMailer& mailer) {
    auto e = TRY(locked_event(c, event_id));
    if (e.status != Status::Published || clock.now_ms() >= e.starts_at_ms)
        return 0;
    return promote_waiting(c, e, actor, clock, mailer);
}

Result<std::vector<Registration>> people_to_tell_of_cancellation(db::Connection& c,
                                                                 const Event& e,
                                                                 const Clock& clock) {
    if (clock.now_ms() >= e.ends_at_ms)
        return std::vector<Registration>{};
    return select(c,
                  std::string("WHERE r.event_id = ? AND r.status IN ('registered', 'waitlisted') "
                              "AND r.citizen_id IS NOT NULL AND p.email <> ''") +
                      kOrder,
                  {e.id});
}

Result<int> cancel_event(db::Connection& c, std::int64_t event_id, const Clock& clock,
                         const PromotionMailer& mailer) {
    auto e = TRY(locked_event(c, event_id));
    if (e.status == Status::Cancelled)
        return 0;
    auto people = TRY(people_to_tell_of_cancellation(c, e, clock));
    TRY(c.query("UPDATE events SET status = 'cancelled', updated_at = ? WHERE id = ?",
                {clock.now_ms(), e.id}));
    e.status = Status::Cancelled;
    for (const auto& r : people)
        TRY(tell(c, PromotionMail::Kind::EventCancelled, e, r, mailer));
    return static_cast<int>(people.size());
}

Result<Removed> remove_event(db::Connection& c, std::int64_t id, const Clock& clock,
                             const PromotionMailer& mailer) {
    TRY(locked_event(c, id));
    auto used = TRY(c.query("SELECT 1 FROM event_registrations WHERE event_id = ? LIMIT 1", {id}));
    if (!used.empty()) {
        TRY(cancel_event(c, id, clock, mailer));
        return Removed::Cancelled;
    }
    TRY(c.query("DELETE FROM events WHERE id = ?", {id}));
    return Removed::Deleted;
}

Result<int> release_places_of(db::Connection& c, std::int64_t citizen_id, const std::string& actor,
                              const Clock& clock, const PromotionMailer& mailer) {
    auto held = TRY(c.query("SELECT r.id FROM event_registrations r JOIN events e ON e.id = "
                            "r.event_id WHERE r.citizen_id = ? AND r.status IN ('registered', "
                            "'waitlisted') AND e.status <> 'cancelled' AND e.starts_at > ? "
                            "ORDER BY r.id",
                            {citizen_id, clock.now_ms()}));
    int released = 0;
    for (const auto& row : held.rows) {
        TRY(cancel_registration(c, row.get_int(0), actor, clock, mailer));
        ++released;
    }
    return released;
}

Result<CheckIn> check_in_code(db::Connection& c, std::int64_t event_id, std::string_view typed,
                              const std::string& actor, const Clock& clock) {
    auto e = TRY(locked_event(c, event_id));
    auto code = shop::normalise_code(typed);
    if (!code)
        return fail(Error::not_found("This is not a ticket code (mistyped?)."));
    auto r = TRY(select_one(c, "WHERE r.ticket_code = ?", {*code}));
    if (!r)
        return fail(Error::not_found("There is no ticket with this code."));
    if (r->event_id != event_id)
        return fail(Error::not_found(fmt::format("This ticket is for another event: {}.",
                                                 r->event_title)));
    return check_in(c, e, *r, actor, clock);
}

Result<CheckIn> check_in_id(db::Connection& c, std::int64_t event_id, std::int64_t registration_id,
                            const std::string& actor, const Clock& clock) {
    auto e = TRY(locked_event(c, event_id));
    auto r = TRY(find_registration(c, registration_id));
    if (!r || r->event_id != event_id)
        return fail(Error::not_found("There is no such registration for this event."));
    return check_in(c, e, *r, actor, clock);
}

Result<std::optional<Registration>> find_registration(db::Connection& c, std::int64_t id) {
    return select_one(c, "WHERE r.id = ?", {id});
}

Result<std::vector<Registration>> registrations_of_event(db::Connection& c, std::int64_t event_id) {
    return select(c, std::string("WHERE r.event_id = ?") + kOrder, {event_id});
}

Result<std::vector<Registration>> registrations_page(db::Connection& c, std::int64_t event_id,
                                                     std::int64_t after_id, int limit) {
    return select(c, "WHERE r.event_id = ? AND r.id > ? ORDER BY r.id LIMIT ?",
                  {event_id, after_id, std::int64_t{limit}});
}

Result<std::vector<Registration>> registrations_of_citizen(db::Connection& c,
                                                           std::int64_t citizen_id) {
    return select(c, "WHERE r.citizen_id = ? ORDER BY e.starts_at DESC, r.id DESC", {citizen_id});
}

Result<std::optional<Registration>> active_registration(db::Connection& c, std::int64_t event_id,
                                                        std::int64_t citizen_id) {
    return select_one(c,
                      "WHERE r.event_id = ? AND r.citizen_id = ? AND r.status IN ('registered', "
                      "'waitlisted')",
                      {event_id, citizen_id});
}

} // namespace teilhabe::events::store
