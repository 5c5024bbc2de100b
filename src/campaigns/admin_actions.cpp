// /admin/campaigns: what changes a campaign or sends something — the question before sending,
// cancelling or deleting, the change itself, the test mail — and the framed preview.

#include "campaigns/admin_pages.h"

#include "base/email.h"
#include "campaigns/audience.h"
#include "campaigns/campaign_source.h"
#include "campaigns/lifecycle.h"
#include "campaigns/route_support.h"
#include "delivery/outbox_store.h"
#include "delivery/wakeup.h"
#include "jobs/worker.h"
#include "staff/staff_store.h"
#include "web/respond.h"

#include <fmt/format.h>

namespace teilhabe::campaigns::pages {

using detail::failure;
using detail::parse_id;
using detail::tr;
using detail::who_of;
using nlohmann::json;
using web::RouteContext;

http::Response confirm(RouteContext& ctx) {
    auto id = parse_id(ctx.req.param("id"));
    std::string what(ctx.req.param("action"));
    if (!id || (what != "send" && what != "cancel" && what != "delete"))
        return failure(ctx, Error::not_found(""));
    auto data = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) -> Result<json> {
        auto k = TRY(store::find(c, *id));
        if (!k)
            return fail(Error::not_found(""));
        auto audience = TRY(count_audience(c, *k));
        // Who the number is made of: the topics, the segment (with its own size), or both.
        std::optional<SegmentChoice> segment;
        if (k->segment_id)
            segment = TRY(find_segment_choice(c, *k->segment_id));
        return json{{"href", fmt::format("/admin/campaigns/{}", *id)},
                    {"topics", k->topics.empty() ? json(nullptr) : json(fmt::format("{}", fmt::join(k->topics, ", ")))},
                    {"segment", segment ? json(fmt::format(fmt::runtime(tr(ctx, "campaigns.segment_with_members")),
                                                            segment->name, segment->members))
                                        : json(nullptr)},
                    {"audience", audience},
                    {"action", fmt::format("/admin/campaigns/{}/{}", *id, what)},
                    {"name", k->name},
                    {"question", fmt::format(fmt::runtime(tr(ctx, "campaigns.confirm_" + what)), k->name, audience)},
                    {"button", tr(ctx, "campaigns.do_" + what)},
                    {"danger", what != "send"}};
    });
    if (!data)
        return failure(ctx, data.error());
    return web::page(ctx, 200, "campaign_confirm", *data, tr(ctx, "campaigns.confirm_title"));
}

http::Response act(RouteContext& ctx) {
    auto id = parse_id(ctx.req.param("id"));
    std::string what(ctx.req.param("action"));
    if (!id)
        return failure(ctx, Error::not_found(""));
    auto done = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<bool> {
        if (what == "send")
            TRY(send_now(c, *id, who_of(ctx), ctx.app.clock));
        else if (what == "delete") {
            TRY(store::remove(c, *id, who_of(ctx), ctx.app.clock));
            return true;
        } else if (auto a = parse_action(what))
            TRY(campaigns::act(c, *id, *a, who_of(ctx), ctx.app.clock));
        else
            return fail(Error::not_found(""));
        return false;
    });
    if (!done)
        return failure(ctx, done.error());
    if (ctx.app.worker)
        ctx.app.worker->notify();
    if (ctx.app.mail_wakeup)
        ctx.app.mail_wakeup->notify();
    if (*done)
        return http::Response::redirect("/admin/campaigns?deleted=1");
    return http::Response::redirect(fmt::format("/admin/campaigns/{}", *id));
}

http::Response test_send(RouteContext& ctx) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return failure(ctx, Error::not_found(""));
    if (!ctx.app.campaign_mail)
        return web::error_page(ctx, 503, tr(ctx, "campaigns.no_mail"));
    auto email = normalise_email(web::form_value(http::parse_form(ctx.req.body), "email"));
    if (!mail::plausible_address(email))
        return web::error_page(ctx, 422, tr(ctx, "campaigns.test_bad_address"));
    auto queued = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<void> {
        auto k = TRY(store::find(c, *id));
        if (!k)
            return fail(Error::not_found(""));
        auto person = TRY(first_of_audience(c, *k));
        if (!person)
            return fail(Error::invalid(tr(ctx, "campaigns.test_nobody")));
        auto p = TRY(ctx.app.campaign_mail->personalise(c, *id, *person));
        p.message.to = {"", email};
        p.message.subject = "[Test] " + p.message.subject;
        auto bytes = TRY(ctx.app.campaign_mail->to_bytes(p.message));
        TRY(delivery::outbox::enqueue_transactional(c, email, bytes, std::nullopt, ctx.app.clock));
        return {};
    });
    if (!queued)
        return failure(ctx, queued.error());
    if (ctx.app.worker)
        ctx.app.worker->notify();
    if (ctx.app.mail_wakeup)
        ctx.app.mail_wakeup->notify();
    return http::Response::redirect(fmt::format("/admin/campaigns/{}?tested=1", *id));
}

http::Response preview_document(RouteContext& ctx) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id || !ctx.app.campaign_mail)
        return failure(ctx, Error::not_found(""));
    auto html = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<std::string> {
        auto k = TRY(store::find(c, *id));
        if (!k)
            return fail(Error::not_found(""));
        auto person = TRY(first_of_audience(c, *k));
        if (!person)
            return fmt::format("<!DOCTYPE html><html lang=\"{}\"><title>{}</title><p>{}</p></html>",
                               web::to_string(ctx.locale), tr(ctx, "campaigns.preview"),
                               tr(ctx, "campaigns.preview_nobody"));
        auto p = TRY(ctx.app.campaign_mail->personalise(c, *id, *person));
        TRY(staff::store::audit(c,
                                {.actor = ctx.who.actor(),
                                 .action = "campaign.previewed",
                                 .subject = fmt::format("citizen:{}", *person),
                                 .detail = fmt::format("campaign:{}", *id),
                                 .ip = ctx.req.remote_addr},
                                ctx.app.clock));
        return p.rendered.html;
    });
    if (!html)
        return failure(ctx, html.error());
    auto r = http::Response::html(200, std::move(*html));
    r.set_header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; "
                                            "form-action 'none'; base-uri 'none'; frame-ancestors 'self'");
    return r;
}

} // namespace teilhabe::campaigns::pages
