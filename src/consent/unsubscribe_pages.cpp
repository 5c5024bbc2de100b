// GET /unsubscribe/{token}: a button to withdraw (the topics of that mail, or everything) and
// the preference centre, authenticated by the signed token alone (no log-in). POST
// /unsubscribe/{token} withdraws at once: the RFC 8058 one-click POST
// ("List-Unsubscribe=One-Click", no cookie, no CSRF token) and the page's buttons.

#include "citizens/citizen_store.h"
#include "consent/consent_store.h"
#include "consent/route_support.h"
#include "consent/service.h"
#include "web/respond.h"

#include <set>

namespace teilhabe::consent::detail {

namespace {

using nlohmann::json;

http::Response invalid_link(web::RouteContext& ctx) {
    return web::bare_page(ctx, 404, "consent_message",
                          {{"heading", tr(ctx, "unsubscribe.invalid_title")},
                           {"text", tr(ctx, "unsubscribe.invalid_text")}},
                          tr(ctx, "unsubscribe.invalid_title"));
}

std::string lang(const web::RouteContext& ctx) { return web::to_string(ctx.locale); }

http::Response render(web::RouteContext& ctx, const UnsubscribeClaim& claim,
                      const std::string& token, const std::string& message) {
    auto data = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) -> Result<json> {
        std::set<std::int64_t> confirmed;
        for (auto id : TRY(store::confirmed_topics(c, claim.citizen_id)))
            confirmed.insert(id);
        json mail_topics = json::array();
        json topics = json::array();
        for (const auto& t : TRY(store::list_topics(c))) {
            bool in_mail = std::ranges::find(claim.topic_ids, t.id) != claim.topic_ids.end();
            if (in_mail && confirmed.contains(t.id))
                mail_topics.push_back(t.name(lang(ctx)));
            if (!t.active() || (!t.is_public && !confirmed.contains(t.id)))
                continue;
            topics.push_back({{"id", t.id},
                              {"name", t.name(lang(ctx))},
                              {"description", t.description(lang(ctx))},
                              {"checked", confirmed.contains(t.id)}});
        }
        auto tracking_text = TRY(store::current_text(c, TextKind::Tracking));
        auto known = TRY(c.query("SELECT 1 FROM citizens WHERE id = ?", {claim.citizen_id}));
        return json{{"mail_topics", mail_topics},
                    {"has_mail_topics", !mail_topics.empty()},
                    {"topics", topics},
                    {"has_topics", !topics.empty()},
                    {"tracking", TRY(store::tracking_allowed(c, claim.citizen_id))},
                    {"tracking_text", tracking_text.text(lang(ctx))},
                    {"known", !known.empty()}};
    });
    if (!data)
        return page_failure(ctx, data.error(), "unsubscribe page");
    json d = *data;
    d["action"] = "/unsubscribe/" + http::url_encode(token);
    d["preferences_action"] = "/unsubscribe/" + http::url_encode(token) + "/preferences";
    d["message"] = message.empty() ? json(nullptr) : json(message);
    auto r = web::bare_page(ctx, 200, "unsubscribe", d, tr(ctx, "unsubscribe.title"));
    r.set_header("Cache-Control", "no-store");
    r.set_header("Referrer-Policy", "no-referrer");
    return r;
}

} // namespace

http::Response unsubscribe_page(web::RouteContext& ctx) {
    auto token = ctx.req.param("token");
    auto claim = verify_unsubscribe_token(ctx.app.secret, token);
    if (!claim)
        return invalid_link(ctx);
    return render(ctx, *claim, token, {});
}

// RFC 8058: the body "List-Unsubscribe=One-Click" unsubscribes from what the mail was about,
// at once, with no cookie, no CSRF token and no log-in (the signed token is the authority).
// The page's buttons post "scope=mail" or "scope=all" to the same address.
http::Response unsubscribe_submit(web::RouteContext& ctx) {
    auto token = ctx.req.param("token");
    auto claim = verify_unsubscribe_token(ctx.app.secret, token);
    if (!claim)
        return invalid_link(ctx);
    auto form = http::parse_form(ctx.req.body);
    bool one_click = web::form_value(form, "List-Unsubscribe") == "One-Click";
    Scope scope = web::form_value(form, "scope") == "all" ? Scope::All : Scope::MailTopics;
    Via via = one_click ? Via::OneClick : Via::UnsubscribePage;
    auto proof = proof_of(ctx, "");
    auto done = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
        return unsubscribe(c, *claim, scope, via, proof, ctx.app.clock);
    });
    if (!done)
        return page_failure(ctx, done.error(), "unsubscribe");
    if (one_click)
        return http::Response::text(200, tr(ctx, "unsubscribe.done"));
    return render(ctx, *claim, token, tr(ctx, "unsubscribe.done"));
}

// The preference centre: which topics, and click tracking. Reached only through the mailed
// link, whose token proves the address (see consent/service.h set_preferences).
http::Response preferences_submit(web::RouteContext& ctx) {
    auto token = ctx.req.param("token");
    auto claim = verify_unsubscribe_token(ctx.app.secret, token);
    if (!claim)
        return invalid_link(ctx);
    auto form = http::parse_form(ctx.req.body);
    std::vector<std::int64_t> topics;
    for (const auto& v : form_values(form, "topic"))
        if (auto id = parse_id(v))
            topics.push_back(*id);
    bool tracking = web::form_value(form, "tracking") == "1";
    auto proof = proof_of(ctx, "");
    auto done = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<void> {
        auto known = TRY(c.query("SELECT 1 FROM citizens WHERE id = ?", {claim->citizen_id}));
        if (known.empty())
            return {}; // erased meanwhile: nothing to keep
        return set_preferences(c, claim->citizen_id, topics, tracking, Via::PreferenceCentre,
                               proof, ctx.app.clock);
    });
    if (!done && done.error().code != ErrorCode::InvalidArgument)
        return page_failure(ctx, done.error(), "preferences");
    return render(ctx, *claim, token,
                  tr(ctx, done ? "unsubscribe.saved" : "subscribe.topics_invalid"));
}

} // namespace teilhabe::consent::detail
