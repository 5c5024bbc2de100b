// The campaign as people get it: GET /api/v1/campaigns/{id}/preview?citizen_id=N renders it as
// that person; POST /api/v1/campaigns/{id}/test {"email", "citizen_id"} sends that rendering to
// a staff address through the outbox; GET /r/{token} is the tracked link redirect.

#include "campaigns/message_routes.h"

#include "base/email.h"
#include "campaigns/audience.h"
#include "campaigns/campaign_source.h"
#include "campaigns/campaign_store.h"
#include "campaigns/click_recorder.h"
#include "campaigns/click_store.h"
#include "campaigns/route_support.h"
#include "delivery/outbox_store.h"
#include "delivery/wakeup.h"
#include "http/problem.h"
#include "jobs/worker.h"
#include "staff/staff_store.h"
#include "web/respond.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace teilhabe::campaigns {

namespace {

using detail::parse_id;
using detail::problem;

// The person to render as: the one asked for, else the first of the audience.
Result<std::int64_t> person_for(db::Connection& c, const Campaign& k, std::optional<std::int64_t> asked) {
    if (asked) {
        if (!TRY(c.query("SELECT 1 FROM citizens WHERE id = ?", {*asked})).rows.empty())
            return *asked;
        return fail(Error::invalid(fmt::format("there is no person {}", *asked), "citizen_id"));
    }
    auto first = TRY(first_of_audience(c, k));
    if (!first)
        return fail(Error::invalid("nobody subscribes to the campaign's topics yet; choose a person with "
                                   "citizen_id",
                                   "citizen_id"));
    return *first;
}

Result<std::optional<std::int64_t>> citizen_param(const web::RouteContext& ctx) {
    auto text = ctx.req.query_param("citizen_id");
    if (!text || text->empty())
        return std::optional<std::int64_t>{};
    auto n = parse_id(*text);
    if (!n)
        return fail(Error::invalid("citizen_id must be the number of a person", "citizen_id"));
    return std::optional<std::int64_t>{*n};
}

Result<void> audit_preview(db::Connection& c, const web::RouteContext& ctx, std::string action,
                           std::int64_t campaign_id, std::int64_t citizen_id, const Clock& clock) {
    return staff::store::audit(c,
                               {.actor = ctx.who.actor(),
                                .action = std::move(action),
                                .subject = fmt::format("citizen:{}", citizen_id),
                                .detail = fmt::format("campaign:{}", campaign_id),
                                .ip = ctx.req.remote_addr},
                               clock);
}

} // namespace

http::Response preview(web::RouteContext& ctx) {
    {
        if (!ctx.app.campaign_mail)
            return http::problem(503, "Service Unavailable", "Campaign mail is not set up on this server.");
        auto& source = *ctx.app.campaign_mail;
        auto id = parse_id(ctx.req.param("id"));
        if (!id)
            return http::problem(404, "Not Found", "There is no such campaign.");
        auto asked = citizen_param(ctx);
        if (!asked)
            return problem(asked.error());
        // Rendering as a person reads their profile: audited like a profile read.
        auto made = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<nlohmann::json> {
            auto k = TRY(store::find(c, *id));
            if (!k)
                return fail(Error::not_found("There is no such campaign."));
            auto person = TRY(person_for(c, *k, *asked));
            auto p = TRY(source.personalise(c, *id, person));
            TRY(audit_preview(c, ctx, "campaign.previewed", *id, person, ctx.app.clock));
            return nlohmann::json{{"citizen_id", person},
                                  {"subject", p.rendered.subject},
                                  {"preheader", p.rendered.preheader},
                                  {"html", p.rendered.html},
                                  {"text", p.rendered.text}};
        });
        if (!made)
            return problem(made.error());
        return web::json(200, *made);
    }
}

http::Response test_send(web::RouteContext& ctx) {
    {
        if (!ctx.app.campaign_mail)
            return http::problem(503, "Service Unavailable", "Campaign mail is not set up on this server.");
        auto& source = *ctx.app.campaign_mail;
        auto id = parse_id(ctx.req.param("id"));
        if (!id)
            return http::problem(404, "Not Found", "There is no such campaign.");
        auto body = web::read_json_object(ctx.req);
        if (!body)
            return problem(body.error());
        std::string email;
        std::optional<std::int64_t> asked;
        for (const auto& [key, value] : body->items()) {
            if (key == "email" && value.is_string())
                email = normalise_email(value.get<std::string>());
            else if (key == "citizen_id" && value.is_number_integer() && value.get<std::int64_t>() > 0)
                asked = value.get<std::int64_t>();
            else if (key == "citizen_id" && value.is_null())
                continue;
            else
                return problem(Error::invalid(
                    key == "email" || key == "citizen_id" ? fmt::format("{} has the wrong type", key)
                                                          : fmt::format("unknown member '{}'", key),
                    key));
        }
        if (email.empty() || !mail::plausible_address(email))
            return problem(Error::invalid("the address to send the test to is missing or not an e-mail address",
                                          "email"));
        auto queued = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<nlohmann::json> {
            auto k = TRY(store::find(c, *id));
            if (!k)
                return fail(Error::not_found("There is no such campaign."));
            auto person = TRY(person_for(c, *k, asked));
            auto p = TRY(source.personalise(c, *id, person));
            p.message.to = {"", email};
            p.message.subject = "[Test] " + p.message.subject;
            auto bytes = TRY(source.to_bytes(p.message));
            auto row = TRY(delivery::outbox::enqueue_transactional(c, email, bytes, std::nullopt, ctx.app.clock));
            TRY(audit_preview(c, ctx, "campaign.test_sent", *id, person, ctx.app.clock));
            return nlohmann::json{{"outbox_id", row}, {"email", email}, {"citizen_id", person}};
        });
        if (!queued)
            return problem(queued.error());
        if (ctx.app.worker)
            ctx.app.worker->notify();
        if (ctx.app.mail_wakeup)
            ctx.app.mail_wakeup->notify();
        return web::json(202, *queued);
    }
}

// GET /r/{token} on the lean path: a valid token is answered at once from the token alone and
// its click queued for the recorder (written in batches; consent is checked when it is written).
// Anything else — a token that is not ours, a server without recorder — goes the full way to
// click(), which renders the 404 page in the visitor's language.
std::optional<http::Response> click_at_once(const http::Request& req, web::AppContext& app) {
    if (!app.clicks)
        return std::nullopt;
    auto link = read_click_token(app.secret, req.param("token"));
    if (!link)
        return std::nullopt;
    auto r = http::Response::redirect(link->url, 302);
    app.clicks->add(std::move(*link));
    r.set_header("Cache-Control", "no-store");
    r.set_header("Referrer-Policy", "no-referrer");
    return r;
}

// GET /r/{token}: the click is recorded when the person still consents, then the browser goes
// on to the target. A token that is not ours is a 404 page, never a redirect.
http::Response click(web::RouteContext& ctx) {
    auto link = read_click_token(ctx.app.secret, ctx.req.param("token"));
    if (!link)
        return web::error_page(ctx, 404, web::tr(ctx.locale, "click.invalid"));
    auto r = http::Response::redirect(link->url, 302);
    if (ctx.app.clicks) {
        ctx.app.clicks->add(std::move(*link));
    } else {
        auto recorded = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
            return store::record_click(c, *link, ctx.app.clock.now(), ctx.app.clock);
        });
        if (!recorded)
            spdlog::warn("click of campaign {} not recorded: {}", link->campaign_id, recorded.error().message);
    }
    r.set_header("Cache-Control", "no-store");
    r.set_header("Referrer-Policy", "no-referrer");
    return r;
}

} // namespace teilhabe::campaigns
