#include "admin/field_form.h"

#include "web/respond.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <fmt/format.h>

namespace teilhabe::admin::detail {

namespace {

using citizens::FieldType;
using nlohmann::json;

constexpr FieldType kTypes[] = {FieldType::Text, FieldType::Number, FieldType::Date,
                                FieldType::Bool, FieldType::Choice, FieldType::Multichoice};

std::string trimmed(std::string s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.pop_back();
    auto first = s.find_first_not_of(" \t");
    return first == std::string::npos ? std::string{} : s.substr(first);
}

// Options one per line; blank lines and surrounding spaces (and the \r of browsers) dropped.
json options_of(const std::string& text) {
    json out = json::array();
    std::size_t start = 0;
    while (start < text.size()) {
        auto nl = text.find('\n', start);
        auto line = trimmed(text.substr(start, nl == std::string::npos ? nl : nl - start));
        if (!line.empty())
            out.push_back(line);
        if (nl == std::string::npos)
            break;
        start = nl + 1;
    }
    return out;
}

// "2,5" as people in Germany write it, or "2.5".
std::optional<double> number_of(std::string s) {
    for (auto& ch : s)
        if (ch == ',')
            ch = '.';
    double n = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (s.empty() || ec != std::errc{} || p != s.data() + s.size() || !std::isfinite(n))
        return std::nullopt;
    return n;
}

std::optional<long long> whole_number_of(const std::string& s) {
    long long n = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (s.empty() || ec != std::errc{} || p != s.data() + s.size())
        return std::nullopt;
    return n;
}

// 31.12.1990 (as people in Germany write it) or 1990-12-31, as 1990-12-31.
std::optional<std::string> date_of(const std::string& s) {
    std::string iso = s;
    if (s.size() == 10 && s[2] == '.' && s[5] == '.')
        iso = s.substr(6, 4) + "-" + s.substr(3, 2) + "-" + s.substr(0, 2);
    if (!citizens::parse_date_days(iso))
        return std::nullopt;
    return iso;
}

std::string bound_text(const json& j) {
    if (j.is_string())
        return j.get<std::string>();
    return j.is_null() ? std::string{} : j.dump();
}

// Where the domain's member is shown in the form.
std::string control_of(const std::string& member) {
    if (member == "label.de")
        return "label";
    if (member == "label.en")
        return "label_en";
    if (member == "retention_days" || member == "retention_months")
        return "retention";
    return member;
}

json bound_json(const std::string& text, std::optional<FieldType> type, const char* member,
                const web::RouteContext& ctx, FieldErrors& errors) {
    if (text.empty() || !type)
        return nullptr;
    if (*type == FieldType::Date) {
        if (auto iso = date_of(text))
            return *iso;
    } else if (auto n = number_of(text)) {
        return *n;
    }
    errors[member] = {tr(ctx, "fields.errors.bound_format"), ""};
    return nullptr;
}

} // namespace

FieldFormValues values_from_form(const Form& f) {
    FieldFormValues v;
    v.key = web::form_value(f, "key");
    v.type = web::form_value(f, "type");
    v.label_de = web::form_value(f, "label_de");
    v.label_en = web::form_value(f, "label_en");
    v.options = web::form_value(f, "options");
    v.department = web::form_value(f, "department");
    v.min = trimmed(web::form_value(f, "min"));
    v.max = trimmed(web::form_value(f, "max"));
    v.pattern = web::form_value(f, "pattern");
    v.retention = trimmed(web::form_value(f, "retention"));
    v.retention_unit = web::form_value(f, "retention_unit") == "days" ? "days" : "months";
    v.portal_order = trimmed(web::form_value(f, "portal_order"));
    v.required = web::form_value(f, "required") == "yes";
    v.personal = web::form_value(f, "personal") == "yes";
    v.ask_in_portal = web::form_value(f, "ask_in_portal") == "yes";
    return v;
}

FieldFormValues values_from_definition(const citizens::FieldDefinition& d) {
    json j = citizens::to_json(d);
    FieldFormValues v;
    v.key = d.key;
    v.type = citizens::to_string(d.type);
    v.label_de = d.label_de;
    v.label_en = d.label_en;
    for (const auto& o : d.options)
        v.options += o + "\n";
    v.department = d.department.value_or("");
    v.min = bound_text(j["min"]);
    v.max = bound_text(j["max"]);
    v.pattern = d.pattern.value_or("");
    if (d.retention_days) {
        v.retention = std::to_string(*d.retention_days);
        v.retention_unit = "days";
    } else if (d.retention_months) {
        v.retention = std::to_string(*d.retention_months);
    }
    v.portal_order = std::to_string(d.portal_order);
    v.required = d.required;
    v.personal = d.personal;
    v.ask_in_portal = d.ask_in_portal;
    return v;
}

void drop_old_limits_on_type_change(FieldFormValues& v, const citizens::FieldDefinition& stored) {
    if (v.type == citizens::to_string(stored.type))
        return;
    auto old = values_from_definition(stored);
    for (auto [typed, kept] : {std::pair{&v.min, &old.min}, std::pair{&v.max, &old.max},
                               std::pair{&v.pattern, &old.pattern}})
        if (*typed == *kept)
            typed->clear();
}

std::optional<json> body_of(const web::RouteContext& ctx, const FieldFormValues& v,
                            citizens::InputMode mode, FieldErrors& errors) {
    auto type = citizens::parse_field_type(v.type);
    json body{{"type", v.type},
              {"label", {{"de", v.label_de}, {"en", v.label_en}}},
              {"required", v.required},
              {"personal", v.personal},
              {"ask_in_portal", v.ask_in_portal},
              {"department", v.department.empty() ? json(nullptr) : json(v.department)},
              {"options",
               type && citizens::is_choice_type(*type) ? options_of(v.options) : json::array()},
              {"min", bound_json(v.min, type, "min", ctx, errors)},
              {"max", bound_json(v.max, type, "max", ctx, errors)},
              {"pattern", v.pattern.empty() ? json(nullptr) : json(v.pattern)},
              {"retention_days", nullptr},
              {"retention_months", nullptr}};
    if (mode == citizens::InputMode::Create)
        body["key"] = v.key;
    if (!v.pattern.empty())
        if (auto ok = citizens::check_pattern_syntax(v.pattern); !ok)
            errors["pattern"] = {tr(ctx, "fields.errors.pattern_invalid"), ok.error().message};
    if (!v.retention.empty()) {
        auto n = whole_number_of(v.retention);
        if (n && *n >= 1 && *n <= 36500)
            body[v.retention_unit == "days" ? "retention_days" : "retention_months"] = *n;
        else
            errors["retention"] = {tr(ctx, "fields.errors.retention"), ""};
    }
    auto order =
        v.portal_order.empty() ? std::optional<long long>(0) : whole_number_of(v.portal_order);
    if (order && *order >= -100000 && *order <= 100000)
        body["portal_order"] = *order;
    else
        errors["portal_order"] = {tr(ctx, "fields.errors.portal_order"), ""};
    if (!errors.empty())
        return std::nullopt;
    return body;
}

bool add_field_error(const web::RouteContext& ctx, const Error& e, FieldErrors& errors) {
    Error shown = e;
    shown.field = control_of(e.field);
    return add_input_error(ctx, "fields", shown, errors);
}

json field_form_data(const web::RouteContext& ctx, const FieldFormValues& v,
                     const FieldErrors& errors, const FieldFormView& view,
                     const std::vector<store::NamedRow>& departments) {
    json types = json::array();
    for (auto t : kTypes)
        types.push_back({{"value", citizens::to_string(t)},
                         {"label", tr(ctx, std::string("fields.type_") + citizens::to_string(t))},
                         {"selected", v.type == citizens::to_string(t)}});
    json deps = json::array();
    for (const auto& d : departments)
        deps.push_back({{"value", d.key},
                        {"label", ctx.locale == web::Locale::En ? d.name_en : d.name_de},
                        {"selected", d.key == v.department}});
    bool create = view.editing_key.empty();
    std::map<std::string, std::string> anchors{{"key", "key"},
                                               {"type", "type"},
                                               {"label", "label_de"},
                                               {"label_en", "label_en"},
                                               {"options", "options"},
                                               {"department", "department"},
                                               {"min", "min"},
                                               {"max", "max"},
                                               {"pattern", "pattern"},
                                               {"retention", "retention"},
                                               {"portal_order", "portal_order"}};
    json impact = nullptr;
    if (view.impact && view.impact->retyped) {
        auto to = tr(ctx, "fields.type_" + v.type);
        impact = {{"intro", fmt::format(fmt::runtime(tr(ctx, "fields.impact_retype")), to)},
                  {"converted", fmt::format(fmt::runtime(tr(ctx, "fields.impact_converted")),
                                            view.impact->converted)},
                  {"deleted", fmt::format(fmt::runtime(tr(ctx, "fields.impact_deleted")),
                                          view.impact->deleted)},
                  {"confirm", tr(ctx, "fields.confirm_convert")}};
    } else if (view.impact) {
        bool de = ctx.locale == web::Locale::De;
        std::string options;
        for (const auto& o : view.impact->removed_options)
            options +=
                (options.empty() ? "" : ", ") + std::string(de ? "„" : "“") + o + (de ? "“" : "”");
        impact = {{"intro", fmt::format(fmt::runtime(tr(ctx, "fields.impact_options")), options,
                                        view.impact->people)},
                  {"converted", nullptr},
                  {"deleted", nullptr},
                  {"confirm", tr(ctx, "fields.confirm_values")}};
    }
    std::string heading = tr(ctx, create ? "fields.new_title" : "fields.edit_title");
    return json{{"heading", heading},
                {"create", create},
                {"action", create
                               ? "/admin/fields/new"
                               : "/admin/fields/" + http::url_encode(view.editing_key) + "/edit"},
                {"errors", error_summary(errors, anchors)},
                {"has_errors", !errors.empty()},
                {"key", form_field(v.key, errors, "key")},
                {"type", form_field(v.type, errors, "type")},
                {"types", types},
                {"label_de", form_field(v.label_de, errors, "label")},
                {"label_en", form_field(v.label_en, errors, "label_en")},
                {"options", form_field(v.options, errors, "options")},
                {"departments", deps},
                {"department", form_field(v.department, errors, "department")},
                {"min", form_field(v.min, errors, "min")},
                {"max", form_field(v.max, errors, "max")},
                {"pattern", form_field(v.pattern, errors, "pattern")},
                {"retention", form_field(v.retention, errors, "retention")},
                {"retention_months", v.retention_unit != "days"},
                {"retention_days", v.retention_unit == "days"},
                {"portal_order", form_field(v.portal_order, errors, "portal_order")},
                {"required", v.required},
                {"personal", v.personal},
                {"ask_in_portal", v.ask_in_portal},
                {"ask_confirm", view.ask_confirm},
                {"impact", impact}};
}

} // namespace teilhabe::admin::detail
