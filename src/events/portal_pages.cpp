// The events in the citizen portal: upcoming published events with their free places or the
// waiting list, registering, "my registrations", the ticket with its QR code, cancelling after a
// confirmation, and calendar files. The person is always the one signed in (never taken from
// the address).

#include "delivery/wakeup.h"
#include "events/event_store.h"
#include "events/ics.h"
#include "events/page_support.h"
#include "events/pages.h"
#include "events/registration_store.h"
#include "shop/voucher_code.h"
#include "web/qr_svg.h"
#include "web/respond.h"

#include <fmt/format.h>

namespace teilhabe::events::pages {

using namespace detail;
using nlohmann::json;
using web::RouteContext;

namespace {

std::int64_t me(const RouteContext& ctx) { return ctx.who.citizen->citizen_id; }

std::string places_text(const RouteContext& ctx, const Event& e) {
    auto free = e.free_places();
    if (!free)
        return tr(ctx, "events.places_unlimited");
    if (*free > 0)
        return fmt::format(fmt::runtime(tr(ctx, "events.places_free")), *free);
    return tr(ctx, e.waiting_list ? "events.places_waiting" : "events.places_full");
}

json event_view(const RouteContext& ctx, const Event& e) {
    return {{"id", e.id},
            {"href", fmt::format("/portal/events/{}", e.id)},
            {"ics_href", fmt::format("/portal/events/{}/calendar.ics", e.id)},
            {"title", e.title},
            {"description", e.description},
            {"place", opt(e.place)},
            {"starts", local_text(ctx, e.starts_at_ms)},
            {"ends", local_text(ctx, e.ends_at_ms)},
            {"places", places_text(ctx, e)},
            {"points", e.points},
            {"has_points", e.points > 0},
            {"deadline", opt(e.deadline_ms ? local_text(ctx, *e.deadline_ms) : std::string())}};
}

json registration_view(const RouteContext& ctx, const Registration& r) {
    bool before_start = ctx.app.clock.now_ms() < r.starts_at_ms;
    return {{"id", r.id},
            {"href", fmt::format("/portal/events/tickets/{}", r.id)},
            {"event", r.event_title},
            {"starts", local_text(ctx, r.starts_at_ms)},
            {"status", tr(ctx, std::string("events.reg_") + to_string(r.status))},
            {"registered", r.status == RegStatus::Registered},
            {"waitlisted", r.status == RegStatus::Waitlisted},
            {"active", r.active()},
            {"cancellable", r.active() && before_start},
            {"upcoming", before_start}};
}

// The visible event (published, or cancelled for those who hold a registration): drafts stay
// hidden from the portal.
Result<std::optional<Event>> visible_event(db::Connection& c, std::int64_t id) {
    auto e = TRY(store::find_event(c, id));
    if (!e || e->status == Status::Draft)
        return std::optional<Event>{};
    return e;
}

http::Response render_event(RouteContext& ctx, int status, std::int64_t id, const std::string& error) {
    auto data = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c)
                                                             -> Result<std::optional<json>> {
        auto e = TRY(visible_event(c, id));
        if (!e)
            return std::optional<json>{};
        json d{{"event", event_view(ctx, *e)}};
        if (auto mine = TRY(store::active_registration(c, e->id, me(ctx))))
            d["mine"] = registration_view(ctx, *mine);
        else if (auto no = registration_refusal(*e, ctx.app.clock.now_ms()))
            d["reason"] = tr(ctx, std::string("events.refusal_") + to_string(*no));
        else {
            auto free = e->free_places();
            d["may_register"] = true;
            d["will_wait"] = free && *free <= 0;
        }
        return std::optional<json>{d};
    });
    if (!data)
        return failure(ctx, data.error(), "portal event");
    if (!*data)
        return not_found(ctx);
    if (!error.empty())
        (**data)["error"] = error;
    return web::page(ctx, status, "portal_event", **data, tr(ctx, "events.portal_event_title"));
}

Result<std::optional<Registration>> my_registration(RouteContext& ctx) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return std::optional<Registration>{};
    return ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c)
                                                        -> Result<std::optional<Registration>> {
        auto r = TRY(store::find_registration(c, *id));
        if (!r || r->citizen_id != me(ctx))
            return std::optional<Registration>{};
        return r;
    });
}

std::string host_of(const RouteContext& ctx) {
    auto base = ctx.app.settings.base_url;
    auto p = base.find("://");
    auto host = p == std::string::npos ? base : base.substr(p + 3);
    return host.substr(0, host.find('/'));
}

CalendarEntry entry_of(const RouteContext& ctx, const Event& e, std::string uid) {
    return {.uid = std::move(uid),
            .starts_at_ms = e.starts_at_ms,
            .ends_at_ms = e.ends_at_ms,
            .stamp_ms = ctx.app.clock.now_ms(),
            .summary = e.title,
            .description = e.description,
            .location = e.place,
            .url = fmt::format("{}/portal/events/{}", ctx.app.settings.base_url, e.id),
            .cancelled = e.status == Status::Cancelled};
}

} // namespace

http::Response portal_events(RouteContext& ctx) {
    auto data = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) -> Result<json> {
        json items = json::array();
        for (const auto& e : TRY(store::list_events(
                 c, {.limit = 200, .upcoming_published = true, .now_ms = ctx.app.clock.now_ms()})))
            items.push_back(event_view(ctx, e));
        json mine = json::array();
        for (const auto& r : TRY(store::registrations_of_citizen(c, me(ctx))))
            if (r.active())
                mine.push_back(registration_view(ctx, r));
        return json{{"events", items},
                    {"has_events", !items.empty()},
                    {"mine", mine},
                    {"has_mine", !mine.empty()}};
    });
    if (!data)
        return failure(ctx, data.error(), "portal events");
    if (ctx.req.query_param("done").value_or("") == "cancelled")
        (*data)["notice"] = tr(ctx, "events.portal_cancelled");
    return web::page(ctx, 200, "portal_events", *data, tr(ctx, "events.portal_title"));
}

http::Response portal_event(RouteContext& ctx) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return not_found(ctx);
    return render_event(ctx, 200, *id, "");
}

http::Response portal_register(RouteContext& ctx) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return not_found(ctx);
    auto r = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<Registration> {
        if (!TRY(visible_event(c, *id)))
            return fail(Error::not_found("no such event"));
        return store::register_person(c, *id, me(ctx), ctx.who.actor(), ctx.app.clock);
    });
    if (!r) {
        switch (r.error().code) {
        case ErrorCode::AlreadyExists:
            return render_event(ctx, 409, *id, tr(ctx, "events.already_registered"));
        case ErrorCode::FailedPrecondition:
            return render_event(ctx, 422, *id, tr(ctx, "events.register_refused"));
        default: return failure(ctx, r.error(), "portal register");
        }
    }
    return http::Response::redirect(fmt::format("/portal/events/tickets/{}?done={}", r->id,
                                                to_string(r->status)));
}

http::Response portal_event_ics(RouteContext& ctx) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return not_found(ctx);
    auto e = ctx.app.db.transaction(db::TxMode::Read,
                                    [&](db::Connection& c) { return visible_event(c, *id); });
    if (!e)
        return failure(ctx, e.error(), "event calendar");
    if (!*e)
        return not_found(ctx);
    auto body = calendar({entry_of(ctx, **e, fmt::format("event-{}@{}", (*e)->id, host_of(ctx)))});
    return ics_download(std::move(body), fmt::format("event-{}.ics", (*e)->id));
}

http::Response portal_ticket(RouteContext& ctx) {
    auto r = my_registration(ctx);
    if (!r)
        return failure(ctx, r.error(), "portal ticket");
    if (!*r)
        return not_found(ctx);
    auto data = registration_view(ctx, **r);
    data["code"] = shop::format_code((*r)->ticket_code);
    data["event_href"] = fmt::format("/portal/events/{}", (*r)->event_id);
    data["ics_href"] = fmt::format("/portal/events/tickets/{}/calendar.ics", (*r)->id);
    data["cancel_href"] = fmt::format("/portal/events/tickets/{}/cancel", (*r)->id);
    if ((*r)->status == RegStatus::Registered)
        data["qr"] = web::qr_svg(shop::format_code((*r)->ticket_code), tr(ctx, "events.qr_label"))
                         .value_or("");
    auto done = ctx.req.query_param("done").value_or("");
    if (done == "registered")
        data["notice"] = tr(ctx, "events.registered_notice");
    else if (done == "waitlisted")
        data["notice"] = tr(ctx, "events.waitlisted_notice");
    return web::page(ctx, 200, "portal_event_ticket", data, tr(ctx, "events.ticket_title"));
}

http::Response portal_ticket_ics(RouteContext& ctx) {
    auto r = my_registration(ctx);
    if (!r)
        return failure(ctx, r.error(), "ticket calendar");
    if (!*r)
        return not_found(ctx);
    auto e = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) {
        return store::find_event(c, (*r)->event_id);
    });
    if (!e || !*e)
        return e ? not_found(ctx) : failure(ctx, e.error(), "ticket calendar");
    auto entry = entry_of(ctx, **e, fmt::format("registration-{}@{}", (*r)->id, host_of(ctx)));
    entry.description = fmt::format("{}: {}\n\n{}", tr(ctx, "events.ticket_code"),
                                    shop::format_code((*r)->ticket_code), (*e)->description);
    entry.cancelled = entry.cancelled || (*r)->status == RegStatus::Cancelled;
    return ics_download(calendar({entry}), fmt::format("registration-{}.ics", (*r)->id));
}

http::Response portal_cancel_confirm(RouteContext& ctx) {
    auto r = my_registration(ctx);
    if (!r)
        return failure(ctx, r.error(), "portal cancel");
    if (!*r)
        return not_found(ctx);
    auto data = registration_view(ctx, **r);
    data["action"] = fmt::format("/portal/events/tickets/{}/cancel", (*r)->id);
    data["question"] = fmt::format(fmt::runtime(tr(ctx, "events.cancel_registration_question")),
                                   (*r)->event_title, local_text(ctx, (*r)->starts_at_ms));
    return web::page(ctx, 200, "portal_event_cancel", data, tr(ctx, "events.cancel_registration_title"));
}

http::Response portal_cancel(RouteContext& ctx, const PromotionMailer& mailer) {
    auto r = my_registration(ctx);
    if (!r)
        return failure(ctx, r.error(), "portal cancel");
    if (!*r)
        return not_found(ctx);
    auto done = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
        return store::cancel_registration(c, (*r)->id, ctx.who.actor(), ctx.app.clock, mailer);
    });
    if (!done) {
        auto code = done.error().code;
        if (code != ErrorCode::Conflict && code != ErrorCode::FailedPrecondition)
            return failure(ctx, done.error(), "portal cancel");
        auto data = registration_view(ctx, **r);
        data["action"] = fmt::format("/portal/events/tickets/{}/cancel", (*r)->id);
        data["question"] = fmt::format(fmt::runtime(tr(ctx, "events.cancel_registration_question")),
                                       (*r)->event_title, local_text(ctx, (*r)->starts_at_ms));
        data["error"] = tr(ctx, code == ErrorCode::Conflict ? "events.cancel_twice"
                                                            : "events.cancel_after_start");
        return web::page(ctx, 422, "portal_event_cancel", data,
                         tr(ctx, "events.cancel_registration_title"));
    }
    if (ctx.app.mail_wakeup)
        ctx.app.mail_wakeup->notify();
    return http::Response::redirect("/portal/events?done=cancelled");
}

} // namespace teilhabe::events::pages
