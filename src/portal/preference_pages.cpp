// GET/POST /portal/preferences: newsletters, click tracking, language and channel. Each change
// of consent is recorded with its proof as the double opt-in's are (portal/preferences.h).

#include "portal/account_store.h"
#include "portal/me_pages.h"
#include "portal/me_support.h"
#include "portal/preferences.h"
#include "web/respond.h"

#include <charconv>

namespace teilhabe::portal::detail {

namespace {

using nlohmann::json;

std::optional<std::int64_t> number(std::string_view text) {
    std::int64_t n = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (text.empty() || ec != std::errc{} || p != text.data() + text.size() || n <= 0)
        return std::nullopt;
    return n;
}

json options(const std::vector<std::pair<std::string, std::string>>& values,
             const std::string& chosen) {
    json out = json::array();
    for (const auto& [value, label] : values)
        out.push_back({{"value", value}, {"label", label}, {"selected", value == chosen}});
    return out;
}

// The page for `p`, with the person's choices of `shown` where a submission is shown again.
http::Response render(web::RouteContext& ctx, int status, const Preferences& p,
                      const std::string& message, const std::string& error) {
    std::string lang = web::to_string(ctx.locale);
    json topics = json::array();
    for (const auto& t : p.topics)
        topics.push_back({{"id", t.topic.id},
                          {"name", t.topic.name(lang)},
                          {"description", t.topic.description(lang)},
                          {"checked", t.subscribed}});
    json data{
        {"topics", topics},
        {"has_topics", !topics.empty()},
        {"tracking", p.tracking},
        {"newsletter_text", p.newsletter_text.text(lang)},
        {"newsletter_text_id", p.newsletter_text.id},
        {"tracking_text", p.tracking_text.text(lang)},
        {"tracking_text_id", p.tracking_text.id},
        {"languages",
         options({{"de", tr(ctx, "citizens.lang_de")}, {"en", tr(ctx, "citizens.lang_en")}},
                 citizens::to_string(p.language))},
        {"channels", options({{"email", tr(ctx, "portal_prefs.channel_email")},
                              {"post", tr(ctx, "portal_prefs.channel_post")},
                              {"none", tr(ctx, "portal_prefs.channel_none")}},
                             citizens::to_string(p.channel))},
        {"message", message},
        {"error", error},
    };
    return web::page(ctx, status, "portal_preferences", std::move(data),
                     tr(ctx, "portal_prefs.title"));
}

Result<Preferences> load(web::RouteContext& ctx) {
    return ctx.app.db.transaction(db::TxMode::Read,
                                  [&](db::Connection& c) { return load_preferences(c, me(ctx)); });
}

PreferenceChange change_of(const Form& form) {
    PreferenceChange ch;
    for (const auto& v : form_values(form, "topic"))
        if (auto id = number(v))
            ch.topic_ids.push_back(*id);
    ch.tracking = web::form_value(form, "tracking") == "1";
    ch.language = citizens::parse_language(web::form_value(form, "language"))
                      .value_or(citizens::Language::De);
    ch.channel = citizens::parse_channel(web::form_value(form, "preferred_channel"))
                     .value_or(citizens::Channel::Email);
    ch.newsletter_text_id = number(web::form_value(form, "newsletter_text")).value_or(0);
    ch.tracking_text_id = number(web::form_value(form, "tracking_text")).value_or(0);
    return ch;
}

// The submission shown again over the stored state (after a refusal).
Preferences as_submitted(Preferences p, const PreferenceChange& ch) {
    for (auto& t : p.topics)
        t.subscribed =
            std::find(ch.topic_ids.begin(), ch.topic_ids.end(), t.topic.id) != ch.topic_ids.end();
    p.tracking = ch.tracking;
    p.language = ch.language;
    p.channel = ch.channel;
    return p;
}

} // namespace

http::Response preferences_page(web::RouteContext& ctx) {
    auto p = load(ctx);
    if (!p)
        return failure(ctx, p.error(), "portal preferences");
    return render(ctx, 200, *p,
                  ctx.req.query_param("saved") ? tr(ctx, "portal_prefs.saved") : std::string(), {});
}

http::Response preferences_submit(web::RouteContext& ctx) {
    auto change = change_of(http::parse_form(ctx.req.body));
    auto proof = proof_of(ctx, "/portal/preferences");
    auto done = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<void> {
        auto account =
            TRY(store::find_account(c, ctx.who.citizen ? ctx.who.citizen->account_id : 0));
        auto verified =
            account && account->verified_at ? AddressVerified::Yes : AddressVerified::No;
        return change_preferences(c, me(ctx), change, verified, proof, actor_of(ctx),
                                  ctx.app.clock);
    });
    if (done)
        return http::Response::redirect("/portal/preferences?saved=1");
    const auto& e = done.error();
    std::string error;
    if (e.field == "consent_text")
        error = tr(ctx, "portal_prefs.text_changed");
    else if (e.field == "verification")
        error = tr(ctx, "portal_prefs.unverified");
    else if (e.code == ErrorCode::InvalidArgument)
        error = tr(ctx, "subscribe.topics_invalid");
    else if (e.code == ErrorCode::Conflict)
        error = tr(ctx, "portal_form.restricted");
    else
        return failure(ctx, e, "portal preferences");
    auto p = load(ctx); // the current texts, with the person's choices shown again
    if (!p)
        return failure(ctx, p.error(), "portal preferences");
    return render(ctx, e.code == ErrorCode::InvalidArgument ? 422 : 409, as_submitted(*p, change),
                  {}, error);
}

} // namespace teilhabe::portal::detail
