// Deleting one's account (GDPR Art. 17) from the portal: GET /portal/privacy/delete explains
// what goes and asks for the password again (a session left open on a shared computer must not
// be enough to erase a person); POST erases the data hub's record of the person through the
// same erasure staff use (gdpr/gdpr_store.h: profile, values, consents, the portal account and
// with it every session; activities anonymised; the address on the suppression list as a
// hash), then shows the goodbye page. While the person holds Stadttaler (their money; the
// erasure refuses) the page says how much and to have it paid out at the town-hall desk first,
// instead of offering the button.

#include "delivery/wakeup.h"
#include "gdpr/gdpr_store.h"
#include "portal/login_service.h"
#include "portal/me_pages.h"
#include "portal/me_support.h"
#include "web/cookies.h"
#include "web/respond.h"

#include <fmt/format.h>

namespace teilhabe::portal::detail {

namespace {

using nlohmann::json;

http::Response render(web::RouteContext& ctx, int status, const std::string& error) {
    json data{{"password",
               form_field("", error.empty() ? FieldErrors{} : FieldErrors{{"password", error}},
                          "password")}};
    auto owed = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) {
        return gdpr::stadttaler_owed(c, me(ctx));
    });
    if (!owed)
        return failure(ctx, owed.error(), "portal delete");
    if (*owed > 0) {
        auto amount = ctx.locale == web::Locale::En
                          ? fmt::format("€{}.{:02}", *owed / 100, *owed % 100)
                          : fmt::format("{},{:02} €", *owed / 100, *owed % 100);
        data["stadttaler_owed"] =
            fmt::format(fmt::runtime(tr(ctx, "portal_delete.stadttaler_owed")), amount);
    }
    return web::page(ctx, status, "portal_delete", std::move(data), tr(ctx, "portal_delete.title"));
}

} // namespace

http::Response delete_page(web::RouteContext& ctx) {
    return render(ctx, 200, {});
}

http::Response delete_submit(web::RouteContext& ctx) {
    auto form = http::parse_form(ctx.req.body);
    std::string password = web::form_value(form, "password");
    if (password.empty())
        return render(ctx, 422, tr(ctx, "portal_delete.password_missing"));
    std::int64_t account_id = ctx.who.citizen ? ctx.who.citizen->account_id : 0;
    // Wrong passwords are counted (confirm_password): an open session is not enough to guess.
    if (auto ok = confirm_password(ctx.app.db, ctx.app.clock, account_id, password, "password");
        !ok) {
        switch (ok.error().code) {
        case ErrorCode::Unauthenticated:
            return render(ctx, 422, tr(ctx, "portal_delete.password_wrong"));
        case ErrorCode::ResourceExhausted:
            return render(ctx, 429, tr(ctx, "portal_account.reauth_throttled"));
        default: return failure(ctx, ok.error(), "portal delete");
        }
    }
    auto done = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
        return gdpr::erase_person(c, me(ctx), {ctx.who.actor(), ctx.req.remote_addr},
                                  ctx.app.clock, ctx.app.before_erasure);
    });
    if (!done && done.error().code == ErrorCode::Conflict &&
        done.error().field == gdpr::kStadttalerOwedField)
        return render(ctx, 409, {});
    if (!done)
        return failure(ctx, done.error(), "portal delete");
    if (ctx.app.mail_wakeup) // a place freed for someone waiting: their mail is queued
        ctx.app.mail_wakeup->notify();
    auto& s = ctx.app.settings;
    auto r = http::Response::redirect("/portal/goodbye");
    r.headers.emplace_back("Set-Cookie",
                           web::make_cookie(s, web::portal_session_cookie_name(s), "", 0));
    return r;
}

http::Response goodbye_page(web::RouteContext& ctx) {
    return web::bare_page(ctx, 200, "portal_goodbye", json::object(),
                          tr(ctx, "portal_goodbye.title"));
}

} // namespace teilhabe::portal::detail
