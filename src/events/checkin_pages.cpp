// /admin/events/{id}/checkin: the organiser's screen at the door, made for a phone. One input
// for the ticket code (a QR scanner app or a keyboard-wedge scanner types into it and presses
// Enter), a search by name, a check-in button per person, and clear feedback: checked in,
// already checked in, unknown code. Works without JavaScript.

#include "events/event_store.h"
#include "events/page_support.h"
#include "events/pages.h"
#include "events/registration_store.h"
#include "web/respond.h"

#include <algorithm>
#include <fmt/format.h>

namespace teilhabe::events::pages {

using namespace detail;
using nlohmann::json;
using web::RouteContext;

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

struct Feedback {
    std::string kind; // "success", "already", "error"
    std::string message;
};

http::Response render(RouteContext& ctx, int status, const std::string& query,
                      const std::optional<Feedback>& feedback) {
    auto data = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) -> Result<json> {
        auto id = parse_id(ctx.req.param("id"));
        if (!id)
            return fail(Error::not_found("no such event"));
        auto e = TRY(event_in_scope(c, ctx.who, *id));
        json people = json::array();
        auto q = lower(query);
        for (const auto& r : TRY(store::registrations_of_event(c, e.id))) {
            if (r.status != RegStatus::Registered)
                continue;
            if (!q.empty() && lower(r.name()).find(q) == std::string::npos &&
                lower(r.email).find(q) == std::string::npos)
                continue;
            people.push_back({{"id", r.id},
                              {"name", r.name()},
                              {"label", fmt::format(fmt::runtime(tr(ctx, "events.checkin_person")), r.name())},
                              {"checked_in", r.checked_in_at_ms.has_value()},
                              {"checked_in_at", r.checked_in_at_ms ? local_text(ctx, *r.checked_in_at_ms)
                                                                   : std::string()}});
        }
        return json{{"title", e.title},
                    {"starts", local_text(ctx, e.starts_at_ms)},
                    {"action", fmt::format("/admin/events/{}/checkin", e.id)},
                    {"back", fmt::format("/admin/events/{}/participants", e.id)},
                    {"counts", fmt::format(fmt::runtime(tr(ctx, "events.checkin_counts")),
                                           e.checked_in, e.registered)},
                    {"cancelled", e.status == Status::Cancelled},
                    {"query", query},
                    {"people", people},
                    {"has_people", !people.empty()}};
    });
    if (!data)
        return failure(ctx, data.error(), "check-in page");
    if (feedback) {
        (*data)["feedback"] = {{"message", feedback->message},
                               {"success", feedback->kind == "success"},
                               {"already", feedback->kind == "already"},
                               {"error", feedback->kind == "error"}};
    }
    return web::page(ctx, status, "event_checkin", *data, tr(ctx, "events.checkin_title"));
}

} // namespace

http::Response checkin(RouteContext& ctx) {
    return render(ctx, 200, std::string(ctx.req.query_param("q").value_or("")), std::nullopt);
}

http::Response checkin_submit(RouteContext& ctx) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return not_found(ctx);
    auto form = http::parse_form(ctx.req.body);
    auto code = web::form_value(form, "code");
    auto rid = parse_id(web::form_value(form, "registration_id"));
    auto query = web::form_value(form, "q");
    if (code.empty() && !rid)
        return render(ctx, 422, query, Feedback{"error", tr(ctx, "events.checkin_empty")});
    auto done = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<store::CheckIn> {
        TRY(event_in_scope(c, ctx.who, *id));
        if (!code.empty())
            return store::check_in_code(c, *id, code, ctx.who.actor(), ctx.app.clock);
        return store::check_in_id(c, *id, *rid, ctx.who.actor(), ctx.app.clock);
    });
    if (!done) {
        const auto& e = done.error();
        if (e.code == ErrorCode::NotFound && !code.empty())
            return render(ctx, 422, query, Feedback{"error", tr(ctx, "events.checkin_unknown")});
        if (e.code == ErrorCode::FailedPrecondition)
            return render(ctx, 422, query,
                          Feedback{"error", fmt::format("{} {}", tr(ctx, "events.checkin_refused"),
                                                        e.message)});
        return failure(ctx, e, "check-in");
    }
    auto name = done->registration.name();
    if (done->already)
        return render(ctx, 200, query,
                      Feedback{"already", fmt::format(fmt::runtime(tr(ctx, "events.checkin_already")), name)});
    return render(ctx, 200, query,
                  Feedback{"success", fmt::format(fmt::runtime(tr(ctx, "events.checkin_done")), name)});
}

} // namespace teilhabe::events::pages
