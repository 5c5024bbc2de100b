// /admin/events: the list (with an empty state), the form for a new event and for changes (no
// script needed), cancelling an event after a confirmation, and the participants with the
// waiting list and their export.

#include "delivery/wakeup.h"
#include "events/event_store.h"
#include "events/page_support.h"
#include "events/pages.h"
#include "events/registration_store.h"
#include "shop/voucher_code.h"
#include "web/respond.h"

#include <fmt/format.h>
#include <map>

namespace teilhabe::events::pages {

using namespace detail;
using nlohmann::json;
using web::RouteContext;

namespace {

struct EventForm {
    std::string title, description, place, starts_at, ends_at, capacity, deadline, department,
        points, status{"draft"};
    bool waiting_list{true};
};

EventForm read_form(const RouteContext& ctx) {
    auto form = http::parse_form(ctx.req.body);
    auto v = [&](std::string_view n) { return web::form_value(form, n); };
    return {v("title"),    v("description"), v("place"),         v("starts_at"),
            v("ends_at"),  v("capacity"),    v("registration_deadline"), v("department_id"),
            v("points"),   v("status"),      v("waiting_list") == "yes"};
}

EventForm form_of(const Event& e) {
    return {e.title,
            e.description,
            e.place,
            local_input(e.starts_at_ms),
            local_input(e.ends_at_ms),
            e.capacity ? std::to_string(*e.capacity) : "",
            e.deadline_ms ? local_input(*e.deadline_ms) : "",
            e.department_id ? std::to_string(*e.department_id) : "",
            std::to_string(e.points),
            to_string(e.status),
            e.waiting_list};
}

using Errors = std::map<std::string, std::string>;

std::optional<std::int64_t> whole(std::string_view s, std::int64_t min, std::int64_t max, bool& bad) {
    if (s.empty())
        return std::nullopt;
    auto n = parse_id(s);
    if (s == "0" && min == 0)
        return 0;
    if (!n || *n < min || *n > max) {
        bad = true;
        return std::nullopt;
    }
    return n;
}

// The form's values onto the event; messages beside the fields that do not fit.
Event to_event(const RouteContext& ctx, Event e, const EventForm& f, Errors& errors) {
    e.title = f.title;
    e.description = f.description;
    e.place = f.place;
    e.waiting_list = f.waiting_list;
    if (f.title.empty() || f.title.size() > 200)
        errors["title"] = tr(ctx, "events.error_title");
    if (f.description.size() > 10000)
        errors["description"] = tr(ctx, "events.error_description");
    if (f.place.size() > 300)
        errors["place"] = tr(ctx, "events.error_place");
    auto starts = parse_local_time(f.starts_at, "starts_at");
    if (!starts || !*starts)
        errors["starts_at"] = tr(ctx, "events.error_time");
    else
        e.starts_at_ms = **starts;
    auto ends = parse_local_time(f.ends_at, "ends_at");
    if (!ends || !*ends)
        errors["ends_at"] = tr(ctx, "events.error_time");
    else if (starts && *starts && **ends <= **starts)
        errors["ends_at"] = tr(ctx, "events.error_end");
    else
        e.ends_at_ms = **ends;
    auto deadline = parse_local_time(f.deadline, "registration_deadline");
    if (!deadline)
        errors["registration_deadline"] = tr(ctx, "events.error_time");
    else if (*deadline && starts && *starts && **deadline > **starts)
        errors["registration_deadline"] = tr(ctx, "events.error_deadline");
    else
        e.deadline_ms = *deadline;
    bool bad = false;
    e.capacity = whole(f.capacity, 1, 100000, bad);
    if (bad)
        errors["capacity"] = tr(ctx, "events.error_capacity");
    bad = false;
    e.points = whole(f.points, 0, 100000, bad).value_or(0);
    if (bad)
        errors["points"] = tr(ctx, "events.error_points");
    e.department_id = f.department.empty() ? std::nullopt : parse_id(f.department);
    if (f.status == "draft" || f.status == "published")
        e.status = *status_from(f.status);
    return e;
}

http::Response render_form(RouteContext& ctx, int status, std::optional<std::int64_t> id,
                           const EventForm& f, const Errors& errors) {
    auto data = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) -> Result<json> {
        auto scope = TRY(scope_of(c, ctx.who));
        json departments = json::array();
        if (!scope.limited)
            for (const auto& d : TRY(store::list_departments(c)))
                departments.push_back(
                    {{"id", d.id},
                     {"name", ctx.locale == web::Locale::En ? d.name_en : d.name_de},
                     {"selected", std::to_string(d.id) == f.department}});
        return json{{"departments", departments}, {"choose_department", !scope.limited}};
    });
    if (!data)
        return failure(ctx, data.error(), "event form");
    auto err = [&](const char* k) { return errors.contains(k) ? errors.at(k) : std::string(); };
    json summary = json::array();
    for (const auto& [k, v] : errors)
        summary.push_back({{"href", "#" + k}, {"message", v}});
    json& d = *data;
    d["action"] = id ? fmt::format("/admin/events/{}", *id) : "/admin/events/new";
    d["editing"] = id.has_value();
    d["has_errors"] = !errors.empty();
    d["errors"] = summary;
    d["title"] = field(f.title, err("title"));
    d["description"] = field(f.description, err("description"));
    d["place"] = field(f.place, err("place"));
    d["starts_at"] = field(f.starts_at, err("starts_at"));
    d["ends_at"] = field(f.ends_at, err("ends_at"));
    d["capacity"] = field(f.capacity, err("capacity"));
    d["registration_deadline"] = field(f.deadline, err("registration_deadline"));
    d["points"] = field(f.points, err("points"));
    d["department_error"] = opt(err("department_id"));
    d["waiting_list"] = f.waiting_list;
    d["draft"] = f.status != "published";
    d["published"] = f.status == "published";
    if (id)
        d["participants_href"] = fmt::format("/admin/events/{}/participants", *id);
    return web::page(ctx, status, "event_form", d,
                     tr(ctx, id ? "events.edit_title" : "events.new_title"));
}

// Saves a new or changed event in one transaction.
http::Response save(RouteContext& ctx, std::optional<std::int64_t> id,
                    const PromotionMailer& mailer = {}) {
    auto f = read_form(ctx);
    Errors errors;
    auto saved = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<Event> {
        Event base;
        if (id) {
            TRY(store::find_event(c, *id, store::Lock::ForUpdate));
            base = TRY(event_in_scope(c, ctx.who, *id));
        }
        auto e = to_event(ctx, base, f, errors);
        if (base.status == Status::Cancelled)
            e.status = Status::Cancelled; // cancelled stays cancelled
        auto scope = TRY(scope_of(c, ctx.who));
        if (scope.limited) {
            // An account of the Department role without a department: its events would be
            // nobody's; said beside the form, not as a refusal of the page.
            if (!scope.department_id)
                errors["department_id"] = tr(ctx, "events.error_no_department");
            e.department_id = scope.department_id;
        }
        if (!errors.empty())
            return fail(Error::invalid("form"));
        auto now = ctx.app.clock.now_ms();
        if (!id)
            return store::create_event(c, e, ctx.who.actor(), now);
        auto saved = TRY(store::update_event(c, e, now));
        // More places: the waiting list moves up at once.
        TRY(store::fill_free_places(c, saved.id, ctx.who.actor(), ctx.app.clock, mailer));
        return saved;
    });
    if (!saved) {
        const auto& e = saved.error();
        if (e.code != ErrorCode::InvalidArgument)
            return failure(ctx, e, "event save");
        if (!e.field.empty() && !errors.contains(e.field))
            errors[e.field] = tr(ctx, "events.error_invalid");
        return render_form(ctx, 422, id, f, errors);
    }
    return http::Response::redirect("/admin/events?done=saved");
}

json event_row(const RouteContext& ctx, const Event& e) {
    return {{"href", fmt::format("/admin/events/{}", e.id)},
            {"participants_href", fmt::format("/admin/events/{}/participants", e.id)},
            {"checkin_href", fmt::format("/admin/events/{}/checkin", e.id)},
            {"title", e.title},
            {"starts", local_text(ctx, e.starts_at_ms)},
            {"place", e.place},
            {"registered", e.registered},
            {"capacity", e.capacity ? std::to_string(*e.capacity) : tr(ctx, "events.unlimited")},
            {"waitlisted", e.waitlisted},
            {"status", tr(ctx, std::string("events.status_") + to_string(e.status))}};
}

Result<Event> event_of_path(db::Connection& c, const RouteContext& ctx) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return fail(Error::not_found("no such event"));
    return event_in_scope(c, ctx.who, *id);
}

} // namespace

http::Response events(RouteContext& ctx) {
    auto data = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) -> Result<json> {
        auto scope = TRY(scope_of(c, ctx.who));
        json rows = json::array();
        for (const auto& e : TRY(store::list_events(c, {.limit = 500,
                                                        .scoped = scope.limited,
                                                        .department_id = scope.department_id})))
            rows.push_back(event_row(ctx, e));
        return json{{"rows", rows}, {"has_rows", !rows.empty()}};
    });
    if (!data)
        return failure(ctx, data.error(), "events page");
    auto done = ctx.req.query_param("done").value_or("");
    if (done == "saved")
        (*data)["notice"] = tr(ctx, "events.saved");
    else if (done == "cancelled")
        (*data)["notice"] = tr(ctx, "events.event_cancelled");
    return web::page(ctx, 200, "event_list", *data, tr(ctx, "events.title"));
}

http::Response event_new(RouteContext& ctx) { return render_form(ctx, 200, std::nullopt, {}, {}); }
http::Response event_create(RouteContext& ctx) { return save(ctx, std::nullopt); }

http::Response event_edit(RouteContext& ctx) {
    auto e = ctx.app.db.transaction(db::TxMode::Read,
                                    [&](db::Connection& c) { return event_of_path(c, ctx); });
    if (!e)
        return failure(ctx, e.error(), "event page");
    return render_form(ctx, 200, e->id, form_of(*e), {});
}

http::Response event_update(RouteContext& ctx, const PromotionMailer& mailer) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return not_found(ctx);
    return save(ctx, id, mailer);
}

http::Response event_cancel_confirm(RouteContext& ctx) {
    struct Seen {
        Event event;
        std::size_t told{0};
    };
    auto seen = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) -> Result<Seen> {
        auto e = TRY(event_of_path(c, ctx));
        auto people = TRY(store::people_to_tell_of_cancellation(c, e, ctx.app.clock));
        return Seen{e, people.size()};
    });
    if (!seen)
        return failure(ctx, seen.error(), "event cancel");
    const auto& e = seen->event;
    json data{{"title", e.title},
              {"back", fmt::format("/admin/events/{}", e.id)},
              {"action", fmt::format("/admin/events/{}/cancel", e.id)},
              {"registered", e.registered},
              {"waitlisted", e.waitlisted},
              {"told", seen->told},
              {"already", e.status == Status::Cancelled},
              {"question", fmt::format(fmt::runtime(tr(ctx, "events.cancel_question")), e.title)},
              {"counts", fmt::format(fmt::runtime(tr(ctx, "events.cancel_counts")), e.registered,
                                     e.waitlisted)},
              {"told_text", seen->told == 0 ? tr(ctx, "events.cancel_tells_nobody")
                            : seen->told == 1
                                ? tr(ctx, "events.cancel_tells_one")
                                : fmt::format(fmt::runtime(tr(ctx, "events.cancel_tells")),
                                              seen->told)}};
    return web::page(ctx, 200, "event_cancel", data, tr(ctx, "events.cancel_title"));
}

// Cancels the event and queues a mail to everyone registered or waiting, in one transaction.
http::Response event_cancel(RouteContext& ctx, const PromotionMailer& mailer) {
    auto done = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<int> {
        auto e = TRY(event_of_path(c, ctx));
        return store::cancel_event(c, e.id, ctx.app.clock, mailer);
    });
    if (!done)
        return failure(ctx, done.error(), "event cancel");
    if (*done > 0 && ctx.app.mail_wakeup)
        ctx.app.mail_wakeup->notify();
    return http::Response::redirect("/admin/events?done=cancelled");
}

http::Response participants(RouteContext& ctx) {
    auto data = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) -> Result<json> {
        auto e = TRY(event_of_path(c, ctx));
        json registered = json::array(), waiting = json::array(), cancelled = json::array();
        int position = 0;
        for (const auto& r : TRY(store::registrations_of_event(c, e.id))) {
            json row{{"id", r.id},
                     {"name", r.name()},
                     {"email", r.email},
                     {"code", shop::format_code(r.ticket_code)},
                     {"registered_at", local_text(ctx, r.registered_at_ms)},
                     {"checked_in", r.checked_in_at_ms.has_value()},
                     {"cancel_action", fmt::format("/admin/events/{}/registrations/{}/cancel", e.id, r.id)}};
            if (r.status == RegStatus::Registered)
                registered.push_back(row);
            else if (r.status == RegStatus::Waitlisted) {
                row["position"] = ++position;
                waiting.push_back(row);
            } else
                cancelled.push_back(row);
        }
        return json{{"event", event_row(ctx, e)},
                    {"registered", registered},
                    {"has_registered", !registered.empty()},
                    {"waiting", waiting},
                    {"has_waiting", !waiting.empty()},
                    {"cancelled", cancelled},
                    {"has_cancelled", !cancelled.empty()},
                    {"may_cancel", ctx.app.clock.now_ms() < e.starts_at_ms},
                    {"csv_href", fmt::format("/admin/events/{}/participants.csv", e.id)}};
    });
    if (!data)
        return failure(ctx, data.error(), "participants page");
    auto done = ctx.req.query_param("done").value_or("");
    if (done == "cancelled")
        (*data)["notice"] = tr(ctx, "events.registration_cancelled");
    else if (done == "refused")
        (*data)["warning"] = tr(ctx, "events.cancel_refused");
    return web::page(ctx, 200, "event_participants", *data, tr(ctx, "events.participants_title"));
}

http::Response participants_csv(RouteContext& ctx) {
    auto rs = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c)
                                                           -> Result<std::vector<Registration>> {
        auto e = TRY(event_of_path(c, ctx));
        return store::registrations_of_event(c, e.id);
    });
    if (!rs)
        return failure(ctx, rs.error(), "participants export");
    return csv_download(detail::participants_csv(*rs),
                        fmt::format("event-{}-participants.csv", ctx.req.param("id")));
}

http::Response registration_cancel(RouteContext& ctx, const PromotionMailer& mailer) {
    auto rid = parse_id(ctx.req.param("rid"));
    if (!rid)
        return not_found(ctx);
    std::int64_t event_id = 0;
    auto done = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<Registration> {
        auto e = TRY(event_of_path(c, ctx));
        event_id = e.id;
        auto r = TRY(store::find_registration(c, *rid));
        if (!r || r->event_id != e.id)
            return fail(Error::not_found("no such registration"));
        return store::cancel_registration(c, *rid, ctx.who.actor(), ctx.app.clock, mailer);
    });
    if (!done) {
        auto code = done.error().code;
        if (code == ErrorCode::Conflict || code == ErrorCode::FailedPrecondition)
            return http::Response::redirect(
                fmt::format("/admin/events/{}/participants?done=refused", event_id));
        return failure(ctx, done.error(), "registration cancel");
    }
    if (ctx.app.mail_wakeup)
        ctx.app.mail_wakeup->notify();
    return http::Response::redirect(fmt::format("/admin/events/{}/participants?done=cancelled", event_id));
}

} // namespace teilhabe::events::pages
