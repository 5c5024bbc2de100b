#include "web/respond.h"

#include "http/problem.h"
#include "web/templates.h"

#include <spdlog/spdlog.h>

namespace teilhabe::web {

namespace {

struct NavItem {
    const char* key;
    const char* href;
    staff::Permission permission;
};

// The capabilities of the admin, in the order of a town hall's work. Areas that are not built
// yet lead to a page that says so.
constexpr NavItem kNav[] = {
    {"dashboard", "/admin", staff::Permission::AnyStaff},
    {"citizens", "/admin/citizens", staff::Permission::ReadCitizens},
    {"fields", "/admin/fields", staff::Permission::ManageFields},
    {"import", "/admin/import", staff::Permission::ImportCitizens},
    {"topics", "/admin/topics", staff::Permission::ManageFields},
    {"campaigns", "/admin/campaigns", staff::Permission::ReadCampaigns},
    {"segments", "/admin/segments", staff::Permission::ManageSegments},
    {"journeys", "/admin/journeys", staff::Permission::ManageJourneys},
    {"surveys", "/admin/surveys", staff::Permission::ManageParticipation},
    {"events", "/admin/events", staff::Permission::ManageParticipation},
    {"points", "/admin/points", staff::Permission::ManagePoints},
    {"shop", "/admin/offers", staff::Permission::ManageOffers},
    {"stadttaler", "/admin/stadttaler", staff::Permission::ManageStadttaler},
    {"partner", "/partner", staff::Permission::RedeemVouchers},
    {"webhooks", "/admin/webhooks", staff::Permission::ManageWebhooks},
    {"staff", "/admin/staff", staff::Permission::ManageStaff},
    {"audit", "/admin/audit", staff::Permission::ViewAudit},
};

// The citizen portal's pages, for a signed-in citizen. Later capabilities (points, shop,
// events, surveys) add theirs here.
constexpr std::pair<const char*, const char*> kPortalNav[] = {
    {"home", "/portal"},
    {"profile", "/portal/profile"},
    {"preferences", "/portal/preferences"},
    {"surveys", "/portal/surveys"},
    {"points", "/portal/points"},
    {"events", "/portal/events"},
    {"shop", "/portal/shop"},
    {"vouchers", "/portal/vouchers"},
    {"wallet", "/portal/wallet"},
    {"privacy", "/portal/privacy"},
    {"security", "/portal/security"},
};

nlohmann::json portal_navigation(RouteContext& ctx) {
    nlohmann::json items = nlohmann::json::array();
    const auto& t = texts(ctx.locale);
    for (const auto& [key, href] : kPortalNav) {
        bool current = ctx.req.path == href ||
                       (std::string_view(href) != "/portal" && ctx.req.path.starts_with(href));
        items.push_back({{"href", href},
                         {"label", t["portal_nav"].value(key, key)},
                         {"current", current}});
    }
    return items;
}

nlohmann::json navigation(RouteContext& ctx) {
    nlohmann::json items = nlohmann::json::array();
    const auto& t = texts(ctx.locale);
    for (const auto& n : kNav) {
        if (!ctx.who.signed_in() || !staff::allows(ctx.who.role, n.permission))
            continue;
        bool current = ctx.req.path == n.href ||
                       (std::string_view(n.href) != "/admin" && ctx.req.path.starts_with(n.href));
        items.push_back({{"href", n.href},
                         {"label", t["nav"].value(n.key, n.key)},
                         {"current", current}});
    }
    return items;
}

http::Response render(RouteContext& ctx, int status, std::string_view name, nlohmann::json data,
                      const std::string& title, bool with_nav) {
    bool portal = with_nav && ctx.who.is_citizen();
    data["csrf"] = ctx.csrf_token;
    auto content = render_template(name, data, ctx.locale);
    if (!content) {
        spdlog::error("render {}: {}", name, content.error().message);
        return http::Response::html(500, "<!doctype html><title>Error</title><p>Internal error</p>");
    }
    nlohmann::json layout{{"title", title},
                          {"content", *content},
                          {"csrf", ctx.csrf_token},
                          {"town", ctx.app.settings.town_name},
                          {"path", ctx.req.path},
                          {"nav", portal     ? portal_navigation(ctx)
                                  : with_nav ? navigation(ctx)
                                             : nlohmann::json::array()},
                          {"with_nav", with_nav && (ctx.who.signed_in() || portal)},
                          {"portal", portal},
                          {"home", portal ? "/portal" : with_nav ? "/admin" : "/"},
                          {"logout", portal ? "/portal/logout" : "/admin/logout"},
                          {"user", ctx.who.kind == Principal::Kind::Staff || portal ? ctx.who.name
                                                                                    : ""},
                          {"is_de", ctx.locale == Locale::De},
                          {"is_en", ctx.locale == Locale::En}};
    auto html = render_template("layout", layout, ctx.locale);
    if (!html) {
        spdlog::error("render layout: {}", html.error().message);
        return http::Response::html(500, "<!doctype html><title>Error</title><p>Internal error</p>");
    }
    return http::Response::html(status, std::move(*html));
}

} // namespace

http::Response page(RouteContext& ctx, int status, std::string_view name, nlohmann::json data,
                    const std::string& title) {
    return render(ctx, status, name, std::move(data), title, true);
}

http::Response bare_page(RouteContext& ctx, int status, std::string_view name,
                         nlohmann::json data, const std::string& title) {
    return render(ctx, status, name, std::move(data), title, false);
}

http::Response error_page(RouteContext& ctx, int status, const std::string& message) {
    const auto& t = texts(ctx.locale);
    std::string title = t["error"].value(std::to_string(status), t["error"].value("title", "Error"));
    return render(ctx, status, "error", {{"status", status}, {"message", message}}, title,
                  ctx.who.signed_in() || ctx.who.is_citizen());
}

std::string safe_next(const std::string& next, const std::string& fallback) {
    if (next.empty() || next.front() != '/' || next.starts_with("//") ||
        next.find('\\') != std::string::npos || next.find("://") != std::string::npos)
        return fallback;
    return next;
}

http::Response json(int status, const nlohmann::json& body) {
    return http::Response::json(status, body.dump());
}

http::Response api_error(const Error& error, std::string_view what) {
    if (http::status_for(error.code) >= 500)
        spdlog::error("{}: {}", what, error.message);
    return http::problem(error);
}

Result<nlohmann::json> read_json_object(const http::Request& req) {
    auto ct = req.header("content-type").value_or("");
    if (!ct.starts_with("application/json") && !ct.starts_with("application/merge-patch+json"))
        return fail(Error{ErrorCode::UnsupportedMedia,
                          "Send the body as JSON with Content-Type: application/json.",
                          "content-type"});
    try {
        auto j = nlohmann::json::parse(req.body);
        if (!j.is_object())
            return fail(Error::invalid("The body must be a JSON object."));
        return j;
    } catch (const nlohmann::json::parse_error& e) {
        return fail(Error::invalid(std::string("Malformed JSON: ") + e.what()));
    }
}

std::string display_time(Locale locale, std::int64_t unix_ms) {
    std::string iso = format_iso8601(from_unix_ms(unix_ms)); // 2026-11-24T10:00:00.000Z
    if (locale == Locale::En)
        return iso.substr(0, 10) + " " + iso.substr(11, 5) + " UTC";
    return iso.substr(8, 2) + "." + iso.substr(5, 2) + "." + iso.substr(0, 4) + ", " +
           iso.substr(11, 5) + " UTC";
}

std::string form_value(const std::vector<std::pair<std::string, std::string>>& form,
                       std::string_view name) {
    for (const auto& [k, v] : form)
        if (k == name)
            return v;
    return {};
}

} // namespace teilhabe::web
