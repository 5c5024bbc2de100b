// The campaigns API. Editors (communications) and administrators run campaigns; analysts and
// department staff read them and their reports.

#include "campaigns/routes.h"

#include "campaigns/admin_pages.h"
#include "campaigns/lifecycle.h"
#include "campaigns/message_routes.h"
#include "campaigns/report.h"
#include "campaigns/route_support.h"
#include "delivery/wakeup.h"
#include "http/problem.h"
#include "jobs/worker.h"
#include "web/respond.h"

#include <fmt/format.h>

namespace teilhabe::campaigns {

using http::Method;
using staff::Permission;
using web::Surface;

namespace {

using detail::parse_id;
using detail::problem;

constexpr int kDefaultPage = 50;
constexpr int kMaxPage = 200;

http::Response no_such_campaign() { return http::problem(404, "Not Found", "There is no such campaign."); }

store::Actor actor_of(const web::RouteContext& ctx) { return {ctx.who.actor(), ctx.req.remote_addr}; }

void wake(web::RouteContext& ctx) {
    if (ctx.app.worker)
        ctx.app.worker->notify();
    if (ctx.app.mail_wakeup) // a started campaign goes out at once
        ctx.app.mail_wakeup->notify();
}

http::Response list(web::RouteContext& ctx) {
    store::ListQuery q;
    if (auto s = ctx.req.query_param("status"); s && !s->empty()) {
        q.state = parse_state(*s);
        if (!q.state)
            return problem(Error::invalid(
                "status must be one of draft, scheduled, sending, paused, cancelled, finished", "status"));
    }
    q.limit = kDefaultPage;
    if (auto l = ctx.req.query_param("limit")) {
        auto n = parse_id(*l);
        if (!n || *n > kMaxPage)
            return problem(Error::invalid(fmt::format("limit must be between 1 and {}", kMaxPage), "limit"));
        q.limit = static_cast<int>(*n);
    }
    if (auto cursor = ctx.req.query_param("cursor"); cursor && !cursor->empty()) {
        q.before_id = parse_id(*cursor);
        if (!q.before_id)
            return problem(Error::invalid("cursor is not one this server handed out", "cursor"));
    }
    ++q.limit;
    auto found = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) { return store::list(c, q); });
    if (!found)
        return problem(found.error());
    bool more = static_cast<int>(found->size()) == q.limit;
    if (more)
        found->pop_back();
    nlohmann::json items = nlohmann::json::array();
    for (const auto& k : *found)
        items.push_back(to_json(k));
    nlohmann::json next = more && !found->empty() ? nlohmann::json(std::to_string(found->back().id)) : nullptr;
    return web::json(200, {{"items", items}, {"next_cursor", next}});
}

http::Response create_route(web::RouteContext& ctx) {
    auto body = web::read_json_object(ctx.req);
    if (!body)
        return problem(body.error());
    auto in = parse_input(*body, InputMode::Create);
    if (!in)
        return problem(in.error());
    auto made = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
        return campaigns::create(c, *in, actor_of(ctx), ctx.app.clock);
    });
    if (!made)
        return problem(made.error());
    wake(ctx);
    auto r = web::json(201, to_json(*made));
    r.set_header("Location", fmt::format("/api/v1/campaigns/{}", made->id));
    return r;
}

http::Response get(web::RouteContext& ctx) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return no_such_campaign();
    auto found = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) { return store::find(c, *id); });
    if (!found)
        return problem(found.error());
    if (!*found)
        return no_such_campaign();
    return web::json(200, to_json(**found));
}

http::Response patch(web::RouteContext& ctx) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return no_such_campaign();
    auto body = web::read_json_object(ctx.req);
    if (!body)
        return problem(body.error());
    auto in = parse_input(*body, InputMode::Patch);
    if (!in)
        return problem(in.error());
    auto changed = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
        return change(c, *id, *in, actor_of(ctx), ctx.app.clock);
    });
    if (!changed)
        return problem(changed.error());
    wake(ctx);
    return web::json(200, to_json(*changed));
}

http::Response remove(web::RouteContext& ctx) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return no_such_campaign();
    auto done = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
        return store::remove(c, *id, actor_of(ctx), ctx.app.clock);
    });
    if (!done)
        return problem(done.error());
    return http::Response::no_content();
}

http::Response send(web::RouteContext& ctx) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return no_such_campaign();
    auto started = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
        return send_now(c, *id, actor_of(ctx), ctx.app.clock);
    });
    if (!started)
        return problem(started.error());
    wake(ctx);
    auto r = web::json(202, to_json(*started));
    r.set_header("Location", fmt::format("/api/v1/campaigns/{}/report", *id));
    return r;
}

web::RouteHandler action(Action a) {
    return [a](web::RouteContext& ctx) {
        auto id = parse_id(ctx.req.param("id"));
        if (!id)
            return no_such_campaign();
        auto done = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
            return act(c, *id, a, actor_of(ctx), ctx.app.clock);
        });
        if (!done)
            return problem(done.error());
        wake(ctx);
        return web::json(200, to_json(*done));
    };
}

http::Response report_route(web::RouteContext& ctx) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return no_such_campaign();
    auto r = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) -> Result<nlohmann::json> {
        auto k = TRY(store::find(c, *id));
        if (!k)
            return fail(Error::not_found("There is no such campaign."));
        return to_json(TRY(report(c, *k)));
    });
    if (!r)
        return problem(r.error());
    return web::json(200, *r);
}

} // namespace

// Who may do what with campaigns, on one screen.
std::vector<web::RouteDef> routes() {
    return {
        {Method::Get, "/api/v1/campaigns", Permission::ReadCampaigns, Surface::Api, list},
        {Method::Post, "/api/v1/campaigns", Permission::ManageCampaigns, Surface::Api, create_route},
        {Method::Get, "/api/v1/campaigns/{id}", Permission::ReadCampaigns, Surface::Api, get},
        {Method::Patch, "/api/v1/campaigns/{id}", Permission::ManageCampaigns, Surface::Api, patch},
        {Method::Delete, "/api/v1/campaigns/{id}", Permission::ManageCampaigns, Surface::Api, remove},
        {Method::Post, "/api/v1/campaigns/{id}/send", Permission::ManageCampaigns, Surface::Api, send},
        {Method::Post, "/api/v1/campaigns/{id}/pause", Permission::ManageCampaigns, Surface::Api,
         action(Action::Pause)},
        {Method::Post, "/api/v1/campaigns/{id}/resume", Permission::ManageCampaigns, Surface::Api,
         action(Action::Resume)},
        {Method::Post, "/api/v1/campaigns/{id}/cancel", Permission::ManageCampaigns, Surface::Api,
         action(Action::Cancel)},
        {Method::Get, "/api/v1/campaigns/{id}/report", Permission::ReadCampaigns, Surface::Api, report_route},
        {Method::Get, "/api/v1/campaigns/{id}/preview", Permission::ManageCampaigns, Surface::Api, preview},
        {Method::Post, "/api/v1/campaigns/{id}/test", Permission::ManageCampaigns, Surface::Api, test_send},
        {Method::Get, "/admin/campaigns", Permission::ReadCampaigns, Surface::Page, pages::list},
        {Method::Get, "/admin/campaigns/new", Permission::ManageCampaigns, Surface::Page, pages::new_form},
        {Method::Post, "/admin/campaigns/new", Permission::ManageCampaigns, Surface::Page, pages::create},
        {Method::Get, "/admin/campaigns/{id}", Permission::ReadCampaigns, Surface::Page, pages::detail},
        {Method::Get, "/admin/campaigns/{id}/edit", Permission::ManageCampaigns, Surface::Page, pages::edit_form},
        {Method::Post, "/admin/campaigns/{id}/edit", Permission::ManageCampaigns, Surface::Page, pages::update},
        {Method::Post, "/admin/campaigns/{id}/test", Permission::ManageCampaigns, Surface::Page, pages::test_send},
        {Method::Get, "/admin/campaigns/{id}/preview.html", Permission::ManageCampaigns, Surface::Page,
         pages::preview_document},
        // send, cancel, delete: a question first; pause, resume, unschedule: at once.
        {Method::Get, "/admin/campaigns/{id}/{action}", Permission::ManageCampaigns, Surface::Page, pages::confirm},
        {Method::Post, "/admin/campaigns/{id}/{action}", Permission::ManageCampaigns, Surface::Page, pages::act},
        // The tracked link of an e-mail: anyone holding it (the token is signed). A valid token
        // takes the dispatcher's lean path (web/route.h), a bad one the full way to the 404 page.
        {Method::Get, "/r/{token}", Permission::Public, Surface::Page, click, web::Csrf::Check, click_at_once},
    };
}

} // namespace teilhabe::campaigns
