// The events' API (ManageParticipation): events, registrations, check-in and the participants'
// export. Department staff act on their own department's events only.

#include "events/api.h"

#include "delivery/wakeup.h"
#include "events/event.h"
#include "events/event_store.h"
#include "events/page_support.h"
#include "events/registration_store.h"
#include "http/problem.h"
#include "web/respond.h"

#include <fmt/format.h>

namespace teilhabe::events::api {

using namespace detail;
using nlohmann::json;
using web::RouteContext;

namespace {

constexpr int kDefaultPage = 50, kMaxPage = 200;

// Understood but not acceptable: 422 naming the member; malformed stays 400.
http::Response problem(const Error& e) {
    if (e.code == ErrorCode::InvalidArgument && !e.field.empty())
        return http::problem(422, "Unprocessable Content", e.message, e.field);
    if (e.code == ErrorCode::FailedPrecondition)
        return http::problem(422, "Unprocessable Content", e.message);
    return web::api_error(e, "events");
}

http::Response no_such_event() { return http::problem(404, "Not Found", "There is no such event."); }

struct Page {
    int limit{kDefaultPage};
    std::int64_t after{0};
};

Result<Page> page_of(const RouteContext& ctx) {
    Page p;
    if (auto l = ctx.req.query_param("limit")) {
        auto n = parse_id(*l);
        if (!n || *n > kMaxPage)
            return fail(Error::invalid(fmt::format("limit must be between 1 and {}", kMaxPage), "limit"));
        p.limit = static_cast<int>(*n);
    }
    if (auto cur = ctx.req.query_param("cursor"); cur && !cur->empty()) {
        auto n = parse_id(*cur);
        if (!n)
            return fail(Error::invalid("cursor is not one this server handed out", "cursor"));
        p.after = *n;
    }
    return p;
}

// Department staff: their own department, whatever was sent; another one is refused.
Result<Event> scoped(db::Connection& c, const RouteContext& ctx, Event e, bool department_sent) {
    auto scope = TRY(scope_of(c, ctx.who));
    if (!scope.limited)
        return e;
    if (!scope.department_id)
        return fail(Error::denied("This account belongs to no department."));
    if (department_sent && e.department_id != scope.department_id)
        return fail(Error::invalid("Department staff manage only their own department's events.",
                                   "department_id"));
    e.department_id = scope.department_id;
    return e;
}

template <class T> json page_json(std::vector<T> items, int want, auto id_of, auto to) {
    json out{{"items", json::array()}, {"next_cursor", nullptr}};
    bool more = static_cast<int>(items.size()) > want;
    if (more)
        items.pop_back();
    for (const auto& i : items)
        out["items"].push_back(to(i));
    if (more && !items.empty())
        out["next_cursor"] = std::to_string(id_of(items.back()));
    return out;
}

} // namespace

http::Response list_events(RouteContext& ctx) {
    auto page = page_of(ctx);
    if (!page)
        return problem(page.error());
    auto events = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c)
                                                               -> Result<std::vector<Event>> {
        auto scope = TRY(scope_of(c, ctx.who));
        return store::list_events(c, {.after_id = page->after,
                                      .limit = page->limit + 1,
                                      .scoped = scope.limited,
                                      .department_id = scope.department_id});
    });
    if (!events)
        return problem(events.error());
    return web::json(200, page_json(std::move(*events), page->limit,
                                    [](const Event& e) { return e.id; },
                                    [](const Event& e) { return to_json(e); }));
}

http::Response create_event(RouteContext& ctx) {
    auto body = web::read_json_object(ctx.req);
    if (!body)
        return problem(body.error());
    auto in = parse_event_input(*body, InputMode::Create);
    if (!in)
        return problem(in.error());
    auto created = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<Event> {
        auto e = TRY(scoped(c, ctx, apply(Event{}, *in), in->department_id.has_value()));
        return store::create_event(c, e, ctx.who.actor(), ctx.app.clock.now_ms());
    });
    if (!created)
        return problem(created.error());
    auto r = web::json(201, to_json(*created));
    r.set_header("Location", fmt::format("/api/v1/events/{}", created->id));
    return r;
}

http::Response get_event(RouteContext& ctx) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return no_such_event();
    auto e = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) {
        return event_in_scope(c, ctx.who, *id);
    });
    if (!e)
        return problem(e.error());
    return web::json(200, to_json(*e));
}

// A change that frees places (a larger capacity) moves waiting people up at once.
http::Response patch_event(RouteContext& ctx, const PromotionMailer& mailer) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return no_such_event();
    auto body = web::read_json_object(ctx.req);
    if (!body)
        return problem(body.error());
    auto in = parse_event_input(*body, InputMode::Patch);
    if (!in)
        return problem(in.error());
    auto updated = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<Event> {
        TRY(store::find_event(c, *id, store::Lock::ForUpdate));
        auto before = TRY(event_in_scope(c, ctx.who, *id));
        auto e = TRY(scoped(c, ctx, apply(before, *in), in->department_id.has_value()));
        // "status": "cancelled" cancels as DELETE and the admin page do: everyone registered or
        // waiting is told, once.
        bool cancelling = e.status == Status::Cancelled && before.status != Status::Cancelled;
        if (cancelling)
            e.status = before.status;
        auto saved = TRY(store::update_event(c, e, ctx.app.clock.now_ms()));
        if (cancelling)
            TRY(store::cancel_event(c, saved.id, ctx.app.clock, mailer));
        else
            TRY(store::fill_free_places(c, saved.id, ctx.who.actor(), ctx.app.clock, mailer));
        return TRY(store::find_event(c, saved.id)).value();
    });
    if (!updated)
        return problem(updated.error());
    if (ctx.app.mail_wakeup)
        ctx.app.mail_wakeup->notify();
    return web::json(200, to_json(*updated));
}

// 204 when the event had no registrations and is gone; 200 with the event when it had some and
// was cancelled instead (the tickets still name it; everyone registered or waiting is told).
http::Response delete_event(RouteContext& ctx, const PromotionMailer& mailer) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return no_such_event();
    auto done = ctx.app.db.transaction(db::TxMode::Write,
                                       [&](db::Connection& c) -> Result<std::optional<Event>> {
        TRY(event_in_scope(c, ctx.who, *id));
        if (TRY(store::remove_event(c, *id, ctx.app.clock, mailer)) == store::Removed::Deleted)
            return std::optional<Event>{};
        return store::find_event(c, *id);
    });
    if (!done)
        return problem(done.error());
    if (*done && ctx.app.mail_wakeup)
        ctx.app.mail_wakeup->notify();
    if (!*done)
        return http::Response::no_content();
    return web::json(200, to_json(**done));
}

http::Response list_registrations(RouteContext& ctx) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return no_such_event();
    auto page = page_of(ctx);
    if (!page)
        return problem(page.error());
    auto rs = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c)
                                                           -> Result<std::vector<Registration>> {
        TRY(event_in_scope(c, ctx.who, *id));
        return store::registrations_page(c, *id, page->after, page->limit + 1);
    });
    if (!rs)
        return problem(rs.error());
    return web::json(200, page_json(std::move(*rs), page->limit,
                                    [](const Registration& r) { return r.id; },
                                    [](const Registration& r) { return to_json(r); }));
}

// POST /api/v1/events/{id}/registrations {"citizen_id": n}: 201 registered or waitlisted
// (status says which); 409 when the person holds one already; 422 when registration is closed.
http::Response create_registration(RouteContext& ctx) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return no_such_event();
    auto body = web::read_json_object(ctx.req);
    if (!body)
        return problem(body.error());
    if (!body->contains("citizen_id") || !(*body)["citizen_id"].is_number_integer())
        return problem(Error::invalid("citizen_id must be a whole number", "citizen_id"));
    auto citizen = (*body)["citizen_id"].get<std::int64_t>();
    auto r = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<Registration> {
        TRY(event_in_scope(c, ctx.who, *id));
        return store::register_person(c, *id, citizen, ctx.who.actor(), ctx.app.clock);
    });
    if (!r)
        return problem(r.error());
    auto out = web::json(201, to_json(*r));
    out.set_header("Location", fmt::format("/api/v1/events/{}/registrations/{}", *id, r->id));
    return out;
}

http::Response cancel_registration(RouteContext& ctx, const PromotionMailer& mailer) {
    auto id = parse_id(ctx.req.param("id"));
    auto rid = parse_id(ctx.req.param("rid"));
    if (!id || !rid)
        return http::problem(404, "Not Found", "There is no such registration.");
    auto r = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<Registration> {
        TRY(event_in_scope(c, ctx.who, *id));
        auto found = TRY(store::find_registration(c, *rid));
        if (!found || found->event_id != *id)
            return fail(Error::not_found("There is no such registration."));
        return store::cancel_registration(c, *rid, ctx.who.actor(), ctx.app.clock, mailer);
    });
    if (!r)
        return problem(r.error());
    if (ctx.app.mail_wakeup) // someone may have moved up: their mail is queued
        ctx.app.mail_wakeup->notify();
    return web::json(200, to_json(*r));
}

// POST /api/v1/events/{id}/checkins {"ticket_code": "..."} or {"registration_id": n}: 200 with
// already_checked_in false the first time and true after; 404 for a code that is no ticket of
// this event; 422 for the waiting list or a cancelled registration.
http::Response check_in(RouteContext& ctx) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return no_such_event();
    auto body = web::read_json_object(ctx.req);
    if (!body)
        return problem(body.error());
    bool by_code = body->contains("ticket_code") && (*body)["ticket_code"].is_string();
    bool by_id = body->contains("registration_id") && (*body)["registration_id"].is_number_integer();
    if (by_code == by_id)
        return problem(Error::invalid("send either ticket_code (a string) or registration_id (a "
                                      "whole number)",
                                      "ticket_code"));
    auto done = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<store::CheckIn> {
        TRY(event_in_scope(c, ctx.who, *id));
        if (by_code)
            return store::check_in_code(c, *id, (*body)["ticket_code"].get<std::string>(),
                                        ctx.who.actor(), ctx.app.clock);
        return store::check_in_id(c, *id, (*body)["registration_id"].get<std::int64_t>(),
                                  ctx.who.actor(), ctx.app.clock);
    });
    if (!done)
        return problem(done.error());
    return web::json(200, {{"registration", to_json(done->registration)},
                           {"already_checked_in", done->already}});
}

http::Response participants_csv(RouteContext& ctx) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return no_such_event();
    auto rs = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c)
                                                           -> Result<std::vector<Registration>> {
        TRY(event_in_scope(c, ctx.who, *id));
        return store::registrations_of_event(c, *id);
    });
    if (!rs)
        return problem(rs.error());
    return csv_download(detail::participants_csv(*rs), fmt::format("event-{}-participants.csv", *id));
}

} // namespace teilhabe::events::api
