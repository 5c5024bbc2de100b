#include "portal/page_support.h"

#include "security/password_policy.h"
#include "web/cookies.h"
#include "web/respond.h"
#include "web/templates.h"

namespace teilhabe::portal::detail {

std::string text(web::RouteContext& ctx, const char* key) {
    return web::texts(ctx.locale)["portal_account"].value(key, key);
}

Client client_of(const web::RouteContext& ctx) {
    return {ctx.req.remote_addr, std::string(ctx.req.header("user-agent").value_or(""))};
}

std::string form(const web::RouteContext& ctx, std::string_view name) {
    return web::form_value(http::parse_form(ctx.req.body), name);
}

void set_session_cookies(web::RouteContext& ctx, http::Response& r, const PortalSession& s,
                         const std::string& device_cookie) {
    auto& settings = ctx.app.settings;
    auto max_age = (s.expires_at - ctx.app.clock.now_ms()) / 1000;
    r.headers.emplace_back("Set-Cookie",
                           web::make_cookie(settings, web::portal_session_cookie_name(settings),
                                            s.token, static_cast<long>(max_age)));
    if (!device_cookie.empty())
        r.headers.emplace_back("Set-Cookie",
                               web::make_cookie(settings, web::portal_device_cookie_name(settings),
                                                device_cookie, 365L * 24 * 3600));
}

void clear_session_cookie(web::RouteContext& ctx, http::Response& r) {
    auto& settings = ctx.app.settings;
    r.headers.emplace_back(
        "Set-Cookie", web::make_cookie(settings, web::portal_session_cookie_name(settings), "", 0));
}

std::string password_message(web::RouteContext& ctx, std::string_view password,
                             std::string_view email) {
    switch (security::password_problem(password, email)) {
    case security::PasswordProblem::TooShort:
        return text(ctx, "password_short");
    case security::PasswordProblem::TooLong:
        return text(ctx, "password_long");
    case security::PasswordProblem::TooCommon:
        return text(ctx, "password_common");
    case security::PasswordProblem::None:
        break;
    }
    return {};
}

void add_field_error(nlohmann::json& data, const std::string& field, const std::string& message) {
    data["error_" + field] = message;
    if (!data.contains("errors"))
        data["errors"] = nlohmann::json::array();
    data["has_errors"] = true;
    data["errors"].push_back({{"field", field}, {"message", message}});
}

http::Response message_page(web::RouteContext& ctx, int status, const std::string& heading,
                            const std::string& body, const std::string& link_href,
                            const std::string& link_label) {
    nlohmann::json data{
        {"heading", heading}, {"text", body}, {"link_href", link_href}, {"link_label", link_label}};
    if (ctx.who.is_citizen())
        return web::page(ctx, status, "portal_message", data, heading);
    return web::bare_page(ctx, status, "portal_message", data, heading);
}

} // namespace teilhabe::portal::detail
