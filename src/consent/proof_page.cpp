// /admin/citizens/{id}/consents: the proof of consent of one person (GDPR Art. 7(1)),
// printable: per topic and for click tracking the request (time, client address, browser,
// form address), the confirmation, a withdrawal, the exact text shown, and the full history.
// Reading it is audited like a profile read.

#include "citizens/citizen_store.h"
#include "consent/consent_store.h"
#include "consent/route_support.h"
#include "staff/staff_store.h"
#include "web/respond.h"

#include <fmt/format.h>
#include <map>

namespace teilhabe::consent::detail {

namespace {

using nlohmann::json;

json proof_json(const web::RouteContext& ctx, const std::optional<Proof>& p) {
    if (!p)
        return nullptr;
    return {{"at", web::display_time(ctx.locale, p->at)},
            {"ip", p->ip},
            {"user_agent", p->user_agent},
            {"form_url", p->form_url.empty() ? json(nullptr) : json(p->form_url)}};
}

} // namespace

http::Response consent_proof_page(web::RouteContext& ctx) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return web::error_page(ctx, 404, tr(ctx, "error.not_found"));
    std::string lang = web::to_string(ctx.locale);
    auto data = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<json> {
        auto citizen = TRY(citizens::store::find_citizen(c, *id));
        if (!citizen)
            return fail(Error::not_found("no such citizen"));
        std::map<std::int64_t, std::string> topic_names;
        for (const auto& t : TRY(store::list_topics(c)))
            topic_names[t.id] = t.name(lang);
        auto subject_name = [&](const std::string& subject, std::optional<std::int64_t> topic) {
            if (topic)
                return topic_names.contains(*topic) ? topic_names[*topic] : subject;
            return tr(ctx, "proof.tracking");
        };
        std::map<std::int64_t, ConsentText> texts;
        json consents = json::array();
        for (const auto& k : TRY(store::consents_of(c, *id))) {
            if (!texts.contains(k.consent_text_id))
                if (auto t = TRY(store::find_text(c, k.consent_text_id)))
                    texts[t->id] = *t;
            const auto& text = texts[k.consent_text_id];
            consents.push_back({{"name", subject_name(k.subject, k.topic_id)},
                                {"status", tr(ctx, std::string("proof.status_") + to_string(k.status))},
                                {"requested", proof_json(ctx, k.requested)},
                                {"confirmed", proof_json(ctx, k.confirmed)},
                                {"withdrawn", proof_json(ctx, k.withdrawn)},
                                {"withdraw_via", k.withdraw_via},
                                {"text_version", text.version},
                                {"text", text.text(lang)}});
        }
        json history = json::array();
        for (const auto& e : TRY(store::events_of(c, *id)))
            history.push_back({{"at", web::display_time(ctx.locale, e.proof.at)},
                               {"name", subject_name(e.subject, e.topic_id)},
                               {"action", tr(ctx, "proof.action_" + e.action)},
                               {"via", e.via},
                               {"ip", e.proof.ip},
                               {"user_agent", e.proof.user_agent}});
        TRY(staff::store::audit(c,
                                {.actor = ctx.who.actor(),
                                 .action = "citizen.consents.read",
                                 .subject = fmt::format("citizen:{}", *id),
                                 .detail = {},
                                 .ip = ctx.req.remote_addr},
                                ctx.app.clock));
        return json{{"email", citizen->email},
                    {"name", fmt::format("{} {}", citizen->first_name, citizen->last_name)},
                    {"citizen_href", fmt::format("/admin/citizens/{}", *id)},
                    {"consents", consents},
                    {"has_consents", !consents.empty()},
                    {"history", history},
                    {"printed_at", web::display_time(ctx.locale, ctx.app.clock.now_ms())}};
    });
    if (!data)
        return page_failure(ctx, data.error(), "consent proof");
    return web::page(ctx, 200, "consent_proof", *data, tr(ctx, "proof.title"));
}

} // namespace teilhabe::consent::detail
