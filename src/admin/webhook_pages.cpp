// /admin/webhooks: which other systems receive the town's activities. A list, a form to
// subscribe a URL (its secret is shown once, on the page that follows), the recent deliveries of
// each, a test ping, and deleting with confirmation. Administrators only (see routes.cpp).

#include "admin/webhook_pages.h"

#include "admin/page_support.h"
#include "jobs/worker.h"
#include "staff/staff_store.h"
#include "web/respond.h"
#include "webhooks/webhook_store.h"

#include <fmt/format.h>

namespace teilhabe::admin {

using namespace detail;
using nlohmann::json;
using web::RouteContext;
using webhooks::Webhook;

namespace {

constexpr int kRecentDeliveries = 50;

webhooks::store::Actor who_of(const RouteContext& ctx) {
    return {ctx.who.actor(), ctx.req.remote_addr};
}

std::string events_text(const RouteContext& ctx, const Webhook& w) {
    if (w.event_types.empty())
        return tr(ctx, "webhooks.all_events");
    return fmt::format("{}", fmt::join(w.event_types, ", "));
}

std::string state_text(const RouteContext& ctx, const Webhook& w) {
    return tr(ctx, w.active ? "webhooks.active_state" : "webhooks.inactive_state");
}

std::string href(const Webhook& w) {
    return fmt::format("/admin/webhooks/{}", w.id);
}

struct FormValues {
    std::string url, event_types, description;
    bool active{true};
};

http::Response render_form(RouteContext& ctx, int status, const FormValues& v,
                           const FieldErrors& errors) {
    std::map<std::string, std::string> anchors{
        {"url", "url"}, {"event_types", "event_types"}, {"description", "description"}};
    json data{{"errors", error_summary(errors, anchors)},
              {"has_errors", !errors.empty()},
              {"url", form_field(v.url, errors, "url")},
              {"event_types", form_field(v.event_types, errors, "event_types")},
              {"description", form_field(v.description, errors, "description")},
              {"active", v.active}};
    return web::page(ctx, status, "webhook_form", data, tr(ctx, "webhooks.new_title"));
}

std::optional<Webhook> load(RouteContext& ctx, std::int64_t id,
                            std::optional<http::Response>& error) {
    auto found = ctx.app.db.transaction(
        db::TxMode::Read, [&](db::Connection& c) { return webhooks::store::find(c, id); });
    if (!found)
        error = failure(ctx, found.error(), "webhook");
    else if (!*found)
        error = not_found(ctx);
    return found ? *found : std::nullopt;
}

} // namespace

http::Response webhooks_list(RouteContext& ctx) {
    auto hooks = ctx.app.db.transaction(db::TxMode::Read,
                                        [](db::Connection& c) { return webhooks::store::list(c); });
    if (!hooks)
        return failure(ctx, hooks.error(), "webhook list");
    json rows = json::array();
    for (const auto& w : *hooks)
        rows.push_back({{"url", w.url},
                        {"description", w.description},
                        {"events", events_text(ctx, w)},
                        {"state", state_text(ctx, w)},
                        {"href", href(w)}});
    return web::page(ctx, 200, "webhooks_list",
                     {{"rows", rows},
                      {"has_rows", !rows.empty()},
                      {"deleted", ctx.req.query_param("deleted").has_value()}},
                     tr(ctx, "webhooks.title"));
}

http::Response webhook_new(RouteContext& ctx) {
    return render_form(ctx, 200, {}, {});
}

http::Response webhook_create(RouteContext& ctx) {
    auto form = http::parse_form(ctx.req.body);
    FormValues v{web::form_value(form, "url"), web::form_value(form, "event_types"),
                 web::form_value(form, "description"), web::form_value(form, "active") == "yes"};
    json body{{"url", v.url},
              {"event_types", webhooks::split_event_types(v.event_types)},
              {"description", v.description},
              {"active", v.active}};
    FieldErrors errors;
    auto in = webhooks::parse_input(body, webhooks::InputMode::Create);
    if (!in) {
        add_input_error(ctx, "webhooks", in.error(), errors);
        return render_form(ctx, 422, v, errors);
    }
    auto created = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
        return webhooks::store::create(c, *in, who_of(ctx), ctx.app.clock);
    });
    if (!created) {
        if (!add_input_error(ctx, "webhooks", created.error(), errors))
            return failure(ctx, created.error(), "webhook create");
        return render_form(ctx, 422, v, errors);
    }
    // Not a redirect: the secret is shown on this answer only, never in a URL or a later page.
    return web::page(ctx, 200, "webhook_created",
                     {{"secret", created->secret}, {"href", href(created->webhook)}},
                     tr(ctx, "webhooks.created_title"));
}

// The webhook and its recent deliveries. They say about whom events went out (citizen ids), so
// reading them is audited, as the API's list is.
http::Response webhook_detail(RouteContext& ctx) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return not_found(ctx);
    auto data = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<json> {
        auto w = TRY(webhooks::store::find(c, *id));
        if (!w)
            return fail(Error::not_found("no such webhook"));
        auto list =
            TRY(webhooks::store::recent_deliveries(c, *id, std::nullopt, kRecentDeliveries));
        TRY(staff::store::audit(c,
                                {.actor = ctx.who.actor(),
                                 .action = "webhook.deliveries.read",
                                 .subject = fmt::format("webhook:{}", *id),
                                 .detail = {},
                                 .ip = ctx.req.remote_addr},
                                ctx.app.clock));
        json rows = json::array();
        for (const auto& d : list) {
            auto at = to_unix_ms(d.last_attempt_at.value_or(d.created_at));
            rows.push_back(
                {{"at", format_iso8601(from_unix_ms(at))},
                 {"at_display", web::display_time(ctx.locale, at)},
                 {"type", d.event_type},
                 {"citizen", d.citizen_id ? json(*d.citizen_id) : json(nullptr)},
                 {"status",
                  tr(ctx, std::string("webhooks.status_") + webhooks::to_string(d.status))},
                 {"attempts", std::to_string(d.attempts)},
                 {"response", d.response_status ? json(*d.response_status) : json(nullptr)},
                 {"error", d.last_error}});
        }
        return json{{"url", w->url},
                    {"description", w->description},
                    {"events", events_text(ctx, *w)},
                    {"state", state_text(ctx, *w)},
                    {"created", web::display_time(ctx.locale, to_unix_ms(w->created_at))},
                    {"href", href(*w)},
                    {"tested", ctx.req.query_param("tested").has_value()},
                    {"deliveries", rows},
                    {"has_deliveries", !rows.empty()}};
    });
    if (!data)
        return failure(ctx, data.error(), "webhook detail");
    return web::page(ctx, 200, "webhook_detail", *data, tr(ctx, "webhooks.detail_title"));
}

http::Response webhook_test(RouteContext& ctx) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return not_found(ctx);
    auto queued = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<void> {
        if (!TRY(webhooks::store::find(c, *id)))
            return fail(Error::not_found("no such webhook"));
        TRY(webhooks::store::enqueue_ping(c, *id, ctx.app.clock));
        return {};
    });
    if (!queued)
        return failure(ctx, queued.error(), "webhook test");
    if (ctx.app.worker)
        ctx.app.worker->notify();
    return http::Response::redirect(fmt::format("/admin/webhooks/{}?tested=1", *id));
}

http::Response webhook_delete_confirm(RouteContext& ctx) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return not_found(ctx);
    std::optional<http::Response> error;
    auto w = load(ctx, *id, error);
    if (!w)
        return std::move(*error);
    json data{{"heading", tr(ctx, "webhooks.delete_title")},
              {"question", fmt::format(fmt::runtime(tr(ctx, "webhooks.delete_question")), w->url)},
              {"explanation", tr(ctx, "webhooks.delete_explanation")},
              {"action", href(*w) + "/delete"},
              {"submit", tr(ctx, "webhooks.delete_submit")},
              {"cancel", href(*w)},
              {"fields", json::array()}};
    return web::page(ctx, 200, "confirm", data, tr(ctx, "webhooks.delete_title"));
}

http::Response webhook_delete(RouteContext& ctx) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return not_found(ctx);
    auto done = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
        return webhooks::store::remove(c, *id, who_of(ctx), ctx.app.clock);
    });
    if (!done)
        return failure(ctx, done.error(), "webhook delete");
    return http::Response::redirect("/admin/webhooks?deleted=1");
}

} // namespace teilhabe::admin
