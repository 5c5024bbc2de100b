// The webhooks API (administrators only): subscriptions, their recent deliveries, a test ping.

#include "webhooks/routes.h"

#include "http/problem.h"
#include "jobs/worker.h"
#include "staff/staff_store.h"
#include "web/respond.h"
#include "webhooks/webhook_store.h"

#include <charconv>
#include <fmt/format.h>

namespace teilhabe::webhooks {

using http::Method;
using staff::Permission;
using web::Surface;

namespace {

constexpr int kDefaultPage = 50;
constexpr int kMaxPage = 200;

std::optional<std::int64_t> parse_number(std::string_view text) {
    std::int64_t n = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (text.empty() || ec != std::errc{} || p != text.data() + text.size() || n <= 0)
        return std::nullopt;
    return n;
}

// A value that was understood but is not acceptable is 422 naming the member (as the citizens
// API answers); malformed requests stay 400.
http::Response problem(const Error& e) {
    if (e.code == ErrorCode::InvalidArgument && !e.field.empty())
        return http::problem(422, "Unprocessable Content", e.message, e.field);
    return web::api_error(e, "webhooks");
}

// The path is not echoed: it may be anything, even bytes that are not UTF-8.
http::Response no_such_webhook() {
    return http::problem(404, "Not Found", "There is no such webhook.");
}

store::Actor actor_of(const web::RouteContext& ctx) {
    return {ctx.who.actor(), ctx.req.remote_addr};
}

// The resource, with the secret when one was just made (shown this once).
nlohmann::json with_secret(const Created& c) {
    auto j = to_json(c.webhook);
    if (!c.secret.empty())
        j["secret"] = c.secret;
    return j;
}

http::Response list(web::RouteContext& ctx) {
    auto hooks =
        ctx.app.db.transaction(db::TxMode::Read, [](db::Connection& c) { return store::list(c); });
    if (!hooks)
        return problem(hooks.error());
    nlohmann::json items = nlohmann::json::array();
    for (const auto& w : *hooks)
        items.push_back(to_json(w));
    return web::json(200, {{"items", items}, {"next_cursor", nullptr}});
}

http::Response create(web::RouteContext& ctx) {
    auto body = web::read_json_object(ctx.req);
    if (!body)
        return problem(body.error());
    auto in = parse_input(*body, InputMode::Create);
    if (!in)
        return problem(in.error());
    auto created = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
        return store::create(c, *in, actor_of(ctx), ctx.app.clock);
    });
    if (!created)
        return problem(created.error());
    auto r = web::json(201, with_secret(*created));
    r.set_header("Location", fmt::format("/api/v1/webhooks/{}", created->webhook.id));
    return r;
}

http::Response get(web::RouteContext& ctx) {
    auto id = parse_number(ctx.req.param("id"));
    if (!id)
        return no_such_webhook();
    auto found = ctx.app.db.transaction(db::TxMode::Read,
                                        [&](db::Connection& c) { return store::find(c, *id); });
    if (!found)
        return problem(found.error());
    if (!*found)
        return no_such_webhook();
    return web::json(200, to_json(**found));
}

http::Response patch(web::RouteContext& ctx) {
    auto id = parse_number(ctx.req.param("id"));
    if (!id)
        return no_such_webhook();
    auto body = web::read_json_object(ctx.req);
    if (!body)
        return problem(body.error());
    auto in = parse_input(*body, InputMode::Patch);
    if (!in)
        return problem(in.error());
    auto updated = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
        return store::update(c, *id, *in, actor_of(ctx), ctx.app.clock);
    });
    if (!updated)
        return problem(updated.error());
    return web::json(200, with_secret(*updated));
}

http::Response remove(web::RouteContext& ctx) {
    auto id = parse_number(ctx.req.param("id"));
    if (!id)
        return no_such_webhook();
    auto done = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
        return store::remove(c, *id, actor_of(ctx), ctx.app.clock);
    });
    if (!done)
        return problem(done.error());
    return http::Response::no_content();
}

Result<int> page_size(const std::optional<std::string>& text) {
    if (!text)
        return kDefaultPage;
    auto n = parse_number(*text);
    if (!n || *n > kMaxPage)
        return fail(Error::invalid(fmt::format("limit must be between 1 and {}", kMaxPage)));
    return static_cast<int>(*n);
}

// GET /api/v1/webhooks/{id}/deliveries: newest first, each with its attempts. The list says
// about whom events went out (citizen ids), so reading it is audited.
http::Response deliveries(web::RouteContext& ctx) {
    auto id = parse_number(ctx.req.param("id"));
    if (!id)
        return no_such_webhook();
    auto limit = page_size(ctx.req.query_param("limit"));
    if (!limit)
        return problem(limit.error());
    std::optional<std::int64_t> before;
    if (auto cursor = ctx.req.query_param("cursor"); cursor && !cursor->empty()) {
        before = parse_number(*cursor);
        if (!before)
            return problem(Error::invalid("cursor is not one this server handed out"));
    }
    auto page =
        ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<nlohmann::json> {
            if (!TRY(store::find(c, *id)))
                return fail(Error::not_found(fmt::format("There is no webhook {}.", *id)));
            auto items = TRY(store::recent_deliveries(c, *id, before, *limit + 1));
            bool more = static_cast<int>(items.size()) > *limit;
            if (more)
                items.pop_back();
            TRY(staff::store::audit(c,
                                    {.actor = ctx.who.actor(),
                                     .action = "webhook.deliveries.read",
                                     .subject = fmt::format("webhook:{}", *id),
                                     .detail = {},
                                     .ip = ctx.req.remote_addr},
                                    ctx.app.clock));
            nlohmann::json out{{"items", nlohmann::json::array()}, {"next_cursor", nullptr}};
            for (const auto& d : items)
                out["items"].push_back(to_json(d));
            if (more && !items.empty())
                out["next_cursor"] = std::to_string(items.back().id);
            return out;
        });
    if (!page)
        return problem(page.error());
    return web::json(200, *page);
}

// POST /api/v1/webhooks/{id}/test: queues a ping (tried once) and answers at once; the outcome
// shows in the deliveries. The worker is woken so that it goes out now.
http::Response test(web::RouteContext& ctx) {
    auto id = parse_number(ctx.req.param("id"));
    if (!id)
        return no_such_webhook();
    auto queued =
        ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<Delivery> {
            if (!TRY(store::find(c, *id)))
                return fail(Error::not_found(fmt::format("There is no webhook {}.", *id)));
            return store::enqueue_ping(c, *id, ctx.app.clock);
        });
    if (!queued)
        return problem(queued.error());
    if (ctx.app.worker)
        ctx.app.worker->notify();
    auto r = web::json(202, to_json(*queued));
    r.set_header("Location", fmt::format("/api/v1/webhooks/{}/deliveries", *id));
    return r;
}

} // namespace

// Who may do what with webhooks, on one screen. Webhooks send data about people to other
// systems, so only administrators manage them.
std::vector<web::RouteDef> routes() {
    return {
        {Method::Get, "/api/v1/webhooks", Permission::ManageWebhooks, Surface::Api, list},
        {Method::Post, "/api/v1/webhooks", Permission::ManageWebhooks, Surface::Api, create},
        {Method::Get, "/api/v1/webhooks/{id}", Permission::ManageWebhooks, Surface::Api, get},
        {Method::Patch, "/api/v1/webhooks/{id}", Permission::ManageWebhooks, Surface::Api, patch},
        {Method::Delete, "/api/v1/webhooks/{id}", Permission::ManageWebhooks, Surface::Api, remove},
        {Method::Get, "/api/v1/webhooks/{id}/deliveries", Permission::ManageWebhooks, Surface::Api,
         deliveries},
        {Method::Post, "/api/v1/webhooks/{id}/test", Permission::ManageWebhooks, Surface::Api,
         test},
    };
}

} // namespace teilhabe::webhooks
