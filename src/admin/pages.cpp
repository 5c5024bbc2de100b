#include "admin/pages.h"

#include "admin/admin_store.h"
#include "admin/second_factor_pages.h"
#include "staff/staff_store.h"
#include "web/cookies.h"
#include "web/respond.h"
#include "web/templates.h"

#include <spdlog/spdlog.h>

namespace teilhabe::admin {

using web::RouteContext;

namespace {

const nlohmann::json& t(RouteContext& ctx) { return web::texts(ctx.locale); }
std::string text(RouteContext& ctx, const char* group, const char* key) {
    return t(ctx)[group].value(key, key);
}

http::Response render_login(RouteContext& ctx, int status, const std::string& email,
                            const std::string& error, const std::string& next) {
    return web::bare_page(ctx, status, "login",
                          {{"email", email}, {"error", error}, {"next", next}},
                          text(ctx, "login", "title"));
}

} // namespace

http::Response login_form(RouteContext& ctx) {
    if (ctx.who.kind == web::Principal::Kind::Staff)
        return http::Response::redirect("/admin");
    return render_login(ctx, 200, "", "", web::safe_next(ctx.req.query_param("next").value_or(""), ""));
}

http::Response login_submit(RouteContext& ctx) {
    auto form = http::parse_form(ctx.req.body);
    std::string email = web::form_value(form, "email");
    std::string next = web::safe_next(web::form_value(form, "next"), "/admin");
    auto& s = ctx.app.settings;
    auto result = ctx.app.auth.login({email, web::form_value(form, "password"), ctx.req.remote_addr,
                                      std::string(ctx.req.header("user-agent").value_or("")),
                                      ctx.req.cookie(web::device_cookie_name(s)).value_or("")});
    ctx.app.metrics.add_login(result.has_value());
    if (!result) {
        switch (result.error().code) {
        case ErrorCode::Unauthenticated:
            return render_login(ctx, 401, email, text(ctx, "login", "failed"), next);
        case ErrorCode::ResourceExhausted:
            return render_login(ctx, 429, email, text(ctx, "login", "throttled"), next);
        default:
            spdlog::error("log-in failed: {}", result.error().message);
            return render_login(ctx, 503, email, text(ctx, "login", "unavailable"), next);
        }
    }
    if (next == "/admin/login")
        next = "/admin";
    if (result->next != staff::LoginResult::Next::Done)
        return second_factor_step(ctx, *result, next);
    return signed_in(ctx, *result, next);
}

http::Response logout(RouteContext& ctx) {
    auto& s = ctx.app.settings;
    if (ctx.who.session)
        if (auto r = ctx.app.auth.logout(ctx.who.session->token, ctx.req.remote_addr); !r)
            spdlog::error("log-out: {}", r.error().message);
    auto r = http::Response::redirect("/admin/login");
    r.headers.emplace_back("Set-Cookie", web::make_cookie(s, web::session_cookie_name(s), "", 0));
    return r;
}

http::Response dashboard(RouteContext& ctx) {
    auto data = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c)
                                                             -> Result<nlohmann::json> {
        auto f = TRY(store::figures(c));
        auto recent = TRY(store::recent_activities(c, 10));
        nlohmann::json tiles = nlohmann::json::array();
        auto tile = [&](std::int64_t v, const char* key) {
            tiles.push_back({{"value", std::to_string(v)}, {"label", text(ctx, "dashboard", key)}});
        };
        tile(f.citizens, "citizens");
        tile(f.topics, "topics");
        tile(f.departments, "departments");
        tile(f.activities, "activities");
        tile(f.jobs_waiting, "jobs_waiting");
        nlohmann::json items = nlohmann::json::array();
        for (const auto& a : recent)
            items.push_back({{"at", format_iso8601(from_unix_ms(a.at))},
                             {"at_display", web::display_time(ctx.locale, a.at)},
                             {"type", a.type},
                             {"actor", a.actor}});
        return nlohmann::json{{"tiles", tiles},
                              {"recent", items},
                              {"has_recent", !items.empty()},
                              {"name", ctx.who.session ? ctx.who.session->user.display_name
                                                       : ctx.who.name}};
    });
    if (!data)
        return web::error_page(ctx, 503, text(ctx, "error", "internal"));
    return web::page(ctx, 200, "dashboard", *data, text(ctx, "dashboard", "title"));
}

http::Response staff_list(RouteContext& ctx) {
    auto users = ctx.app.db.transaction(db::TxMode::Read, [](db::Connection& c) {
        return staff::store::list_users(c);
    });
    auto required = ctx.app.auth.second_factor_required();
    if (!users || !required)
        return web::error_page(ctx, 503, text(ctx, "error", "internal"));
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& u : *users)
        rows.push_back({{"email", u.email},
                        {"display_name", u.display_name},
                        {"role", staff::to_string(u.role)},
                        {"status", text(ctx, "staff", u.disabled ? "disabled" : "active")},
                        {"id", std::to_string(u.id)},
                        {"has_second_factor", u.second_factor},
                        {"second_factor", text(ctx, "staff", u.second_factor ? "second_factor_on"
                                                                             : "second_factor_off")}});
    return web::page(ctx, 200, "staff_list",
                     {{"users", rows},
                      {"required", *required},
                      {"saved", ctx.req.query_param("saved").has_value()},
                      {"reset", ctx.req.query_param("reset").has_value()}},
                     text(ctx, "staff", "title"));
}

http::Response coming_soon(RouteContext& ctx) {
    std::string area = ctx.req.param("area");
    const auto& nav = t(ctx)["nav"];
    if (!nav.contains(area) || area == "dashboard")
        return web::error_page(ctx, 404, text(ctx, "error", "not_found"));
    std::string heading = nav[area].get<std::string>();
    return web::page(ctx, 200, "coming", {{"heading", heading}}, heading);
}

http::Response switch_language(RouteContext& ctx) {
    auto form = http::parse_form(ctx.req.body);
    auto lang = web::parse_locale(web::form_value(form, "lang"));
    auto r = http::Response::redirect(web::safe_next(web::form_value(form, "next"), "/"));
    r.headers.emplace_back("Set-Cookie",
                           web::make_cookie(ctx.app.settings, "lang", web::to_string(lang),
                                            365L * 24 * 3600, false));
    return r;
}

} // namespace teilhabe::admin
