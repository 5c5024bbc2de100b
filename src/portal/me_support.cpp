#include "portal/me_support.h"

#include "citizens/field_value.h"
#include "citizens/text.h"
#include "web/i18n.h"
#include "web/respond.h"
#include "web/templates.h"

#include <algorithm>
#include <cstdio>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace teilhabe::portal::detail {

using citizens::FieldDefinition;
using citizens::FieldType;
using nlohmann::json;

std::string tr(const web::RouteContext& ctx, std::string_view key) {
    return web::tr(ctx.locale, key);
}

std::int64_t me(const web::RouteContext& ctx) {
    return ctx.who.id;
}

citizens::Actor actor_of(const web::RouteContext& ctx) {
    return {ctx.who.actor(), ctx.req.remote_addr};
}

consent::Proof proof_of(const web::RouteContext& ctx, std::string_view path) {
    std::string base = ctx.app.settings.base_url;
    while (!base.empty() && base.back() == '/')
        base.pop_back();
    return {ctx.app.clock.now_ms(), ctx.req.remote_addr,
            consent::clip(ctx.req.header("user-agent").value_or("")), base + std::string(path)};
}

std::vector<std::string> form_values(const Form& form, std::string_view name) {
    std::vector<std::string> out;
    for (const auto& [k, v] : form)
        if (k == name)
            out.push_back(v);
    return out;
}

std::string field_label(const web::RouteContext& ctx, const FieldDefinition& def) {
    const std::string& first = ctx.locale == web::Locale::En ? def.label_en : def.label_de;
    const std::string& second = ctx.locale == web::Locale::En ? def.label_de : def.label_en;
    return !first.empty() ? first : !second.empty() ? second : def.key;
}

http::Response failure(web::RouteContext& ctx, const Error& e, std::string_view what) {
    switch (e.code) {
    case ErrorCode::NotFound:
        return web::error_page(ctx, 404, tr(ctx, "error.not_found"));
    case ErrorCode::PermissionDenied:
        return web::error_page(ctx, 403, tr(ctx, "error.forbidden"));
    default:
        break;
    }
    spdlog::error("{}: {}", what, e.message);
    return web::error_page(ctx, e.code == ErrorCode::Unavailable ? 503 : 500,
                           tr(ctx, "error.internal"));
}

json form_field(const std::string& value, const FieldErrors& errors, const std::string& member) {
    json out{{"value", value}, {"error", nullptr}, {"has_error", false}};
    if (auto it = errors.find(member); it != errors.end()) {
        out["error"] = it->second;
        out["has_error"] = true;
    }
    return out;
}

json error_summary(const FieldErrors& errors, const std::map<std::string, std::string>& anchors) {
    json items = json::array();
    for (const auto& [member, message] : errors) {
        auto a = anchors.find(member);
        items.push_back({{"message", message},
                         {"href", a == anchors.end() ? json(nullptr) : json("#" + a->second)}});
    }
    return items;
}

bool add_error(const web::RouteContext& ctx, const Error& e, FieldErrors& errors) {
    switch (e.code) {
    case ErrorCode::InvalidArgument: {
        std::string key = "portal_form.errors." + (e.field.empty() ? std::string("form") : e.field);
        std::string text = tr(ctx, key);
        errors[e.field] = text == key ? tr(ctx, "portal_form.errors.form") : text;
        return true;
    }
    case ErrorCode::Conflict:
    case ErrorCode::FailedPrecondition:
        errors[""] = tr(ctx, "portal_form.errors.state");
        return true;
    case ErrorCode::PermissionDenied:
        errors[""] = tr(ctx, "error.forbidden");
        return true;
    default:
        return false;
    }
}

namespace {

constexpr std::size_t kMaxRadios = 6;

std::string trimmed(std::string_view s) {
    return citizens::trim(s);
}

// 31.12.1990 (how people write a date here) as 1990-12-31; anything else unchanged.
std::string iso_date(const std::string& text) {
    int d = 0, m = 0, y = 0;
    char rest = 0;
    if (std::sscanf(text.c_str(), "%d.%d.%d%c", &d, &m, &y, &rest) == 3 && y >= 1000)
        return fmt::format("{:04}-{:02}-{:02}", y, m, d);
    return text;
}

std::string shown_date(const web::RouteContext& ctx, double days) {
    std::string iso = citizens::format_date_days(static_cast<std::int64_t>(days));
    if (ctx.locale == web::Locale::En)
        return iso;
    return iso.substr(8, 2) + "." + iso.substr(5, 2) + "." + iso.substr(0, 4);
}

std::string text_of(const web::RouteContext& ctx, std::string_view key) {
    return tr(ctx, key);
}

template <class... Args>
std::string format_text(const web::RouteContext& ctx, std::string_view key, Args&&... args) {
    return fmt::format(fmt::runtime(tr(ctx, key)), std::forward<Args>(args)...);
}

// What the field accepts, in the person's language (the store's own messages are English
// and name the key).
std::string bounds_message(const web::RouteContext& ctx, const FieldDefinition& d,
                           const std::string& unit_key, auto show) {
    std::string base = "portal_form.errors." + unit_key;
    if (d.min && d.max)
        return format_text(ctx, base + "_range", show(*d.min), show(*d.max));
    if (d.min)
        return format_text(ctx, base + "_min", show(*d.min));
    if (d.max)
        return format_text(ctx, base + "_max", show(*d.max));
    return text_of(ctx, base);
}

std::string value_message(const web::RouteContext& ctx, const FieldDefinition& d,
                          const std::vector<std::string>& texts) {
    auto number = [](double n) { return citizens::canonical_number(n); };
    switch (d.type) {
    case FieldType::Number:
        return bounds_message(ctx, d, "number", number);
    case FieldType::Date:
        return bounds_message(ctx, d, "date", [&](double days) { return shown_date(ctx, days); });
    case FieldType::Bool:
        return text_of(ctx, "portal_form.errors.bool");
    case FieldType::Choice:
        return text_of(ctx, "portal_form.errors.choice");
    case FieldType::Multichoice:
        if (d.min || d.max)
            return bounds_message(ctx, d, "options", number);
        return text_of(ctx, "portal_form.errors.choice");
    case FieldType::Text: {
        auto n = texts.empty() ? 0 : citizens::count_chars(texts.front());
        auto max = d.max ? static_cast<std::size_t>(*d.max) : citizens::kMaxTextChars;
        if (n > max)
            return format_text(ctx, "portal_form.errors.text_max", max);
        if (d.min && n < static_cast<std::size_t>(*d.min))
            return format_text(ctx, "portal_form.errors.text_min", number(*d.min));
        return text_of(ctx, "portal_form.errors.text_form");
    }
    }
    return text_of(ctx, "portal_form.errors.form");
}

} // namespace

std::optional<json> read_value(const web::RouteContext& ctx, const FieldDefinition& def,
                               const std::vector<std::string>& texts, FieldErrors& errors) {
    std::string member = "attributes." + def.key;
    json value;
    std::vector<std::string> given;
    for (const auto& t : texts)
        if (auto s = trimmed(t); !s.empty())
            given.push_back(s);
    if (def.type == FieldType::Multichoice) {
        value = given.empty() ? json(nullptr) : json(given);
    } else if (!given.empty()) {
        std::string text = given.front();
        if (def.type == FieldType::Number && text.find(',') != std::string::npos &&
            text.find('.') == std::string::npos)
            text[text.find(',')] = '.'; // 1,5
        if (def.type == FieldType::Date)
            text = iso_date(text);
        auto parsed = citizens::parse_value_text(def, text);
        if (!parsed) {
            errors[member] = value_message(ctx, def, given);
            return std::nullopt;
        }
        value = *parsed;
    }
    auto checked = citizens::validate_value(def, value);
    if (!checked) {
        errors[member] = value.is_null() ? text_of(ctx, "portal_form.errors.required")
                                         : value_message(ctx, def, given);
        return std::nullopt;
    }
    return value;
}

std::vector<std::string> value_texts(const json& value) {
    if (value.is_null())
        return {};
    if (value.is_array()) {
        std::vector<std::string> out;
        for (const auto& v : value)
            out.push_back(v.is_string() ? v.get<std::string>() : v.dump());
        return out;
    }
    if (value.is_boolean())
        return {value.get<bool>() ? "yes" : "no"};
    if (value.is_number())
        return {citizens::canonical_number(value.get<double>())};
    if (value.is_string())
        return {value.get<std::string>()};
    return {value.dump()};
}

std::string field_control(const web::RouteContext& ctx, const FieldDefinition& d,
                          const std::vector<std::string>& texts, const FieldErrors& errors,
                          Blank blank) {
    std::string first = texts.empty() ? "" : texts.front();
    json f = form_field(first, errors, "attributes." + d.key);
    f["key"] = d.key;
    f["label"] = field_label(ctx, d);
    f["required"] = d.required;
    f["is_text"] = d.type == FieldType::Text;
    f["is_number"] = d.type == FieldType::Number;
    f["is_date"] = d.type == FieldType::Date;
    f["is_bool"] = d.type == FieldType::Bool;
    f["is_choice"] = d.type == FieldType::Choice;
    f["is_multichoice"] = d.type == FieldType::Multichoice;
    // Few options are radio buttons (all visible at once, easy on a phone), many a list.
    bool many = d.type == FieldType::Choice && d.options.size() > kMaxRadios;
    f["is_group"] = d.type == FieldType::Bool || d.type == FieldType::Multichoice ||
                    (d.type == FieldType::Choice && !many);
    f["is_select"] = many;
    f["offer_blank"] = blank == Blank::Offer && !d.required;
    f["is_blank"] = texts.empty();
    f["is_yes"] = first == "yes" || first == "true";
    f["is_no"] = first == "no" || first == "false";
    json options = json::array();
    int n = 0;
    for (const auto& o : d.options)
        options.push_back({{"value", o},
                           {"id", "attr-" + d.key + "-" + std::to_string(n++)},
                           {"selected", std::find(texts.begin(), texts.end(), o) != texts.end()}});
    f["options"] = options;
    auto html = web::render_template("portal_field", f, ctx.locale);
    if (!html) {
        spdlog::error("render portal_field: {}", html.error().message);
        return {};
    }
    return *html;
}

} // namespace teilhabe::portal::detail
