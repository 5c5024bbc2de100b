// GET /portal/privacy: the person's GDPR rights in one place — download everything stored about
// them (Art. 15/20), withdraw any consent with one button each (Art. 7(3): as easy as giving
// it), delete the account and the data (Art. 17). POST /portal/privacy/withdraw withdraws one.

#include "consent/consent_store.h"
#include "consent/service.h"
#include "consent/topic_store.h"
#include "portal/me_pages.h"
#include "portal/me_support.h"
#include "web/respond.h"

namespace teilhabe::portal::detail {

namespace {

using nlohmann::json;

Result<json> consent_items(db::Connection& c, const web::RouteContext& ctx) {
    std::string lang = web::to_string(ctx.locale);
    json items = json::array();
    for (const auto& s : TRY(consent::store::consents_of(c, me(ctx)))) {
        if (s.status == consent::Status::Withdrawn)
            continue;
        std::string name = tr(ctx, "portal_privacy.tracking");
        if (s.topic_id) {
            auto topic = TRY(consent::store::find_topic(c, *s.topic_id));
            name = topic ? topic->name(lang) : s.subject;
        }
        bool pending = s.status == consent::Status::Pending;
        std::int64_t since = s.confirmed ? s.confirmed->at : s.requested.at;
        items.push_back({{"subject", s.subject},
                         {"name", name},
                         {"pending", pending},
                         {"since", web::display_time(ctx.locale, since)}});
    }
    return items;
}

} // namespace

http::Response privacy_page(web::RouteContext& ctx) {
    auto items = ctx.app.db.transaction(db::TxMode::Read,
                                        [&](db::Connection& c) { return consent_items(c, ctx); });
    if (!items)
        return failure(ctx, items.error(), "portal privacy");
    json data{{"consents", *items},
              {"has_consents", !items->empty()},
              {"withdrawn", ctx.req.query_param("withdrawn").has_value()}};
    return web::page(ctx, 200, "portal_privacy", std::move(data), tr(ctx, "portal_privacy.title"));
}

http::Response withdraw_submit(web::RouteContext& ctx) {
    auto form = http::parse_form(ctx.req.body);
    std::string subject = web::form_value(form, "subject");
    auto proof = proof_of(ctx, "/portal/privacy");
    auto done = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
        return consent::withdraw(c, me(ctx), subject, consent::Via::Portal, proof, ctx.app.clock);
    });
    if (!done)
        return failure(ctx, done.error(), "portal withdraw");
    return http::Response::redirect("/portal/privacy?withdrawn=1");
}

} // namespace teilhabe::portal::detail
