#include "admin/page_support.h"

#include "web/i18n.h"
#include "web/respond.h"

#include <charconv>
#include <spdlog/spdlog.h>

namespace teilhabe::admin::detail {

std::string tr(const web::RouteContext& ctx, std::string_view key) {
    return web::tr(ctx.locale, key);
}

citizens::Actor actor_of(const web::RouteContext& ctx) {
    return {ctx.who.actor(), ctx.req.remote_addr};
}

std::optional<std::int64_t> parse_id(std::string_view text) {
    std::int64_t id = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (text.empty() || ec != std::errc{} || p != text.data() + text.size() || id <= 0)
        return std::nullopt;
    return id;
}

std::vector<std::string> form_values(const Form& form, std::string_view name) {
    std::vector<std::string> out;
    for (const auto& [k, v] : form)
        if (k == name)
            out.push_back(v);
    return out;
}

nlohmann::json opt(const std::string& s) { return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s); }

http::Response failure(web::RouteContext& ctx, const Error& e, std::string_view what) {
    switch (e.code) {
    case ErrorCode::NotFound: return not_found(ctx);
    case ErrorCode::PermissionDenied: return web::error_page(ctx, 403, tr(ctx, "error.forbidden"));
    default: break;
    }
    spdlog::error("{}: {}", what, e.message);
    return web::error_page(ctx, e.code == ErrorCode::Unavailable ? 503 : 500,
                           tr(ctx, "error.internal"));
}

http::Response not_found(web::RouteContext& ctx) {
    return web::error_page(ctx, 404, tr(ctx, "error.not_found"));
}

std::string field_label(const web::RouteContext& ctx, const citizens::FieldDefinition& def) {
    const std::string& first = ctx.locale == web::Locale::En ? def.label_en : def.label_de;
    const std::string& second = ctx.locale == web::Locale::En ? def.label_de : def.label_en;
    return !first.empty() ? first : !second.empty() ? second : def.key;
}

bool add_input_error(const web::RouteContext& ctx, std::string_view area, const Error& e,
                     FieldErrors& errors) {
    std::string prefix = std::string(area) + ".errors.";
    switch (e.code) {
    case ErrorCode::InvalidArgument: {
        std::string member = e.field;
        // "attributes.birth_year" and "options" have one general text each.
        std::string group = member.starts_with("attributes.") ? "attributes" : member;
        std::string key = prefix + (group.empty() ? "form" : group);
        std::string text = tr(ctx, key);
        if (text == key)
            text = tr(ctx, prefix + "form");
        errors[member] = {text, e.message};
        return true;
    }
    case ErrorCode::AlreadyExists:
        errors[area == "citizens" ? "email" : "key"] = {tr(ctx, prefix + "exists"), e.message};
        return true;
    case ErrorCode::Conflict:
    case ErrorCode::FailedPrecondition:
        errors[""] = {tr(ctx, prefix + "state"), e.message};
        return true;
    case ErrorCode::PermissionDenied:
        errors[""] = {tr(ctx, "error.forbidden"), e.message};
        return true;
    default: return false;
    }
}

nlohmann::json form_field(const std::string& value, const FieldErrors& errors,
                          const std::string& member) {
    nlohmann::json out{{"value", value}, {"error", nullptr}, {"detail", nullptr},
                       {"has_error", false}};
    if (auto it = errors.find(member); it != errors.end()) {
        out["error"] = it->second.message;
        out["detail"] = opt(it->second.detail);
        out["has_error"] = true;
    }
    return out;
}

nlohmann::json error_summary(const FieldErrors& errors,
                             const std::map<std::string, std::string>& anchors) {
    nlohmann::json items = nlohmann::json::array();
    for (const auto& [member, e] : errors) {
        auto a = anchors.find(member);
        items.push_back({{"message", e.message},
                         {"detail", opt(e.detail)},
                         {"href", a == anchors.end() ? nlohmann::json(nullptr)
                                                     : nlohmann::json("#" + a->second)}});
    }
    return items;
}

} // namespace teilhabe::admin::detail
