// The public sign-up form (GET/POST /subscribe) and the double opt-in (GET/POST
// /confirm/{token}). Works without JavaScript; the script only adds the proof of work
// (consent/form_guard.h). The answer to a sign-up is the same whether the address was known.

#include "citizens/citizen.h"
#include "consent/consent_store.h"
#include "consent/form_guard.h"
#include "consent/route_support.h"
#include "consent/service.h"
#include "delivery/wakeup.h"
#include "security/crypto.h"
#include "web/respond.h"

#include <fmt/format.h>
#include <set>
#include <spdlog/spdlog.h>

namespace teilhabe::consent::detail {

namespace {

using nlohmann::json;

// Rate limits of the sign-up (durable, in signup_attempts, so they hold across restarts and
// instances): per client address and per e-mail address (a keyed hash, not the address).
constexpr std::int64_t kWindowMs = 60 * 60 * 1000;
constexpr std::int64_t kPerIp = 20;
constexpr std::int64_t kPerAddress = 5;

struct FormState {
    std::string email;
    std::set<std::string> topics;
    bool tracking{false};
    std::string form_url;
    std::string error;       // the message for the form as a whole
    std::string email_error; // beside the field
    std::string topics_error;
    std::string notice; // e.g. "please check and send" for the embedded snippet
};

std::string lang(const web::RouteContext& ctx) { return web::to_string(ctx.locale); }

http::Response render_form(web::RouteContext& ctx, int status, const FormState& s) {
    auto loaded = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) -> Result<json> {
        json topics = json::array();
        for (const auto& t : TRY(store::public_topics(c)))
            topics.push_back({{"key", t.key},
                              {"name", t.name(lang(ctx))},
                              {"description", t.description(lang(ctx))},
                              {"checked", s.topics.contains(t.key)}});
        auto text = TRY(store::current_text(c, TextKind::Newsletter));
        auto tracking = TRY(store::current_text(c, TextKind::Tracking));
        return json{{"topics", topics},
                    {"has_topics", !topics.empty()},
                    {"consent_text", text.text(lang(ctx))},
                    {"tracking_text", tracking.text(lang(ctx))}};
    });
    if (!loaded)
        return page_failure(ctx, loaded.error(), "subscribe form");
    json data = *loaded;
    data["email"] = s.email;
    data["tracking"] = s.tracking;
    data["form_url"] = s.form_url;
    data["lang"] = lang(ctx);
    data["stamp"] = guard::make_stamp(ctx.app.secret, ctx.app.clock.now_ms());
    data["pow_bits"] = guard::kPowBits;
    data["honeypot"] = guard::kHoneypotField;
    data["error"] = s.error.empty() ? json(nullptr) : json(s.error);
    data["email_error"] = s.email_error.empty() ? json(nullptr) : json(s.email_error);
    data["topics_error"] = s.topics_error.empty() ? json(nullptr) : json(s.topics_error);
    data["notice"] = s.notice.empty() ? json(nullptr) : json(s.notice);
    return web::bare_page(ctx, status, "subscribe", data, tr(ctx, "subscribe.title"));
}

http::Response message_page(web::RouteContext& ctx, int status, const std::string& heading,
                            const std::string& text, json extra = json::object()) {
    extra["heading"] = heading;
    extra["text"] = text;
    extra["has_items"] = extra.contains("items") && !extra["items"].empty();
    return web::bare_page(ctx, status, "consent_message", extra, heading);
}

const char* verdict_message(guard::Verdict v) {
    switch (v) {
    case guard::Verdict::Honeypot: return "subscribe.bot_honeypot";
    case guard::Verdict::TooFast: return "subscribe.bot_too_fast";
    case guard::Verdict::Expired: return "subscribe.bot_expired";
    case guard::Verdict::BadProofOfWork: return "subscribe.bot_pow";
    default: return "subscribe.bot_stamp";
    }
}

// Counts this attempt and tells whether it is over a limit (its own transaction: a refused
// sign-up still counts).
Result<bool> over_limit(web::RouteContext& ctx, const std::string& email) {
    auto now = ctx.app.clock.now_ms();
    auto address = "email:" + security::hmac_sha256_hex(ctx.app.secret, "signup|" + email).substr(0, 32);
    auto ip = "ip:" + ctx.req.remote_addr;
    return ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<bool> {
        auto by_ip = TRY(store::attempts_since(c, ip, now - kWindowMs));
        auto by_address = TRY(store::attempts_since(c, address, now - kWindowMs));
        TRY(store::record_attempt(c, ip, now, now - kWindowMs));
        TRY(store::record_attempt(c, address, now, now - kWindowMs));
        return by_ip >= kPerIp || by_address >= kPerAddress;
    });
}

} // namespace

http::Response subscribe_form(web::RouteContext& ctx) {
    FormState s;
    if (auto topic = ctx.req.query_param("topic"))
        s.topics.insert(*topic);
    s.form_url = std::string(ctx.req.header("referer").value_or(""));
    return render_form(ctx, 200, s);
}

http::Response subscribe_submit(web::RouteContext& ctx, const ConfirmationMailer& mailer) {
    auto form = http::parse_form(ctx.req.body);
    FormState s;
    s.email = web::form_value(form, "email");
    for (const auto& t : form_values(form, "topic"))
        s.topics.insert(t);
    s.tracking = web::form_value(form, "tracking") == "1";
    s.form_url = web::form_value(form, "form_url");
    if (s.form_url.empty())
        s.form_url = std::string(ctx.req.header("referer").value_or(""));
    auto verdict = guard::check(ctx.app.secret,
                                {web::form_value(form, "stamp"), web::form_value(form, "pow"),
                                 web::form_value(form, std::string(guard::kHoneypotField))},
                                ctx.app.clock.now_ms());
    if (verdict == guard::Verdict::NoStamp) {
        // The embedded snippet (a plain form on the town's site) has no stamp: show the whole
        // form with what was entered, the consent text and a stamp, to be sent from here.
        s.notice = tr(ctx, "subscribe.check_and_send");
        return render_form(ctx, 200, s);
    }
    if (verdict != guard::Verdict::Ok) {
        s.error = tr(ctx, verdict_message(verdict));
        return render_form(ctx, verdict == guard::Verdict::TooFast ? 429 : 400, s);
    }
    auto limited = over_limit(ctx, citizens::normalise_email(s.email));
    if (!limited)
        return page_failure(ctx, limited.error(), "subscribe rate limit");
    if (*limited) {
        s.error = tr(ctx, "subscribe.rate_limited");
        auto r = render_form(ctx, 429, s);
        r.set_header("Retry-After", "3600");
        return r;
    }
    SignupRequest in{s.email, lang(ctx), {s.topics.begin(), s.topics.end()}, s.tracking,
                     proof_of(ctx, s.form_url)};
    auto done = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
        return request_signup(c, in, mailer, ctx.app.settings.base_url, ctx.app.clock);
    });
    if (!done) {
        const auto& e = done.error();
        if (e.code == ErrorCode::InvalidArgument && e.field == "email")
            s.email_error = tr(ctx, "subscribe.email_invalid");
        else if (e.code == ErrorCode::InvalidArgument && e.field == "topics")
            s.topics_error = tr(ctx, "subscribe.topics_invalid");
        else
            return page_failure(ctx, e, "subscribe");
        s.error = tr(ctx, "form.errors");
        return render_form(ctx, 422, s);
    }
    if (ctx.app.mail_wakeup) // the confirmation mail goes out at once
        ctx.app.mail_wakeup->notify();
    return message_page(ctx, 200, tr(ctx, "subscribe.sent_title"), tr(ctx, "subscribe.sent_text"));
}

namespace {

http::Response token_state_page(web::RouteContext& ctx, const TokenInfo& info,
                                const std::string& token) {
    switch (info.state) {
    case TokenState::Used:
        return message_page(ctx, 410, tr(ctx, "confirm.used_title"), tr(ctx, "confirm.used_text"),
                            {{"subscribe_link", true}});
    case TokenState::Expired:
        return message_page(ctx, 410, tr(ctx, "confirm.expired_title"),
                            tr(ctx, "confirm.expired_text"),
                            {{"resend_action", "/confirm/" + http::url_encode(token) + "/resend"},
                             {"subscribe_link", true}});
    default:
        return message_page(ctx, 404, tr(ctx, "confirm.unknown_title"),
                            tr(ctx, "confirm.unknown_text"), {{"subscribe_link", true}});
    }
}

json what_of(const web::RouteContext& ctx, const TokenInfo& info) {
    json names = json::array();
    for (const auto& n : info.topic_names)
        names.push_back(n);
    if (info.tracking)
        names.push_back(tr(ctx, "confirm.tracking_item"));
    return names;
}

} // namespace

// GET shows a button and changes nothing: mail scanners follow links.
http::Response confirm_page(web::RouteContext& ctx) {
    auto token = ctx.req.param("token");
    auto info = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) {
        return inspect_confirm_token(c, token, ctx.app.clock);
    });
    if (!info)
        return page_failure(ctx, info.error(), "confirm page");
    if (info->state != TokenState::Valid)
        return token_state_page(ctx, *info, token);
    json data{{"action", "/confirm/" + http::url_encode(token)}, {"items", what_of(ctx, *info)}};
    auto r = web::bare_page(ctx, 200, "consent_confirm", data, tr(ctx, "confirm.title"));
    r.set_header("Cache-Control", "no-store");
    r.set_header("Referrer-Policy", "no-referrer");
    return r;
}

http::Response confirm_submit(web::RouteContext& ctx) {
    auto token = ctx.req.param("token");
    auto proof = proof_of(ctx);
    auto info = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
        return confirm(c, token, proof, ctx.app.clock);
    });
    if (!info)
        return page_failure(ctx, info.error(), "confirm");
    if (info->state != TokenState::Valid)
        return token_state_page(ctx, *info, token);
    return message_page(ctx, 200, tr(ctx, "confirm.done_title"), tr(ctx, "confirm.done_text"),
                        {{"items", what_of(ctx, *info)}});
}

// The same answer whatever happened: the token may be anybody's.
http::Response confirm_resend(web::RouteContext& ctx, const ConfirmationMailer& mailer) {
    auto token = ctx.req.param("token");
    auto done = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
        return resend_confirmation(c, token, mailer, ctx.app.settings.base_url, ctx.app.clock);
    });
    if (!done)
        return page_failure(ctx, done.error(), "confirm resend");
    if (ctx.app.mail_wakeup)
        ctx.app.mail_wakeup->notify();
    return message_page(ctx, 200, tr(ctx, "subscribe.sent_title"), tr(ctx, "subscribe.sent_text"));
}

} // namespace teilhabe::consent::detail
