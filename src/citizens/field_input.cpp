// Field definitions as JSON: the resource shape (SPEC "Field") and reading a create body or a
// merge patch (RFC 7396).

#include "base/clock.h"
#include "citizens/field.h"
#include "citizens/text.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace teilhabe::citizens {

namespace {

using nlohmann::json;

json bound_to_json(const FieldDefinition& d, const std::optional<double>& b) {
    if (!b)
        return nullptr;
    if (d.type == FieldType::Date)
        return format_date_days(static_cast<std::int64_t>(*b));
    if (std::floor(*b) == *b && std::fabs(*b) < 9.0e15)
        return static_cast<std::int64_t>(*b);
    return *b;
}

Result<std::optional<double>> bound_from_json(FieldType type, const json& v, const char* name) {
    if (v.is_null())
        return std::optional<double>{};
    if (type == FieldType::Date) {
        auto days = v.is_string() ? parse_date_days(v.get<std::string>()) : std::nullopt;
        if (!days)
            return fail(Error::invalid(
                fmt::format("{} of a date field is a date like 1990-12-31.", name), name));
        return std::optional<double>(static_cast<double>(*days));
    }
    if (!v.is_number())
        return fail(Error::invalid(fmt::format("{} must be a number.", name), name));
    return std::optional<double>(v.get<double>());
}

Result<bool> read_bool(const json& v, const char* name) {
    if (!v.is_boolean())
        return fail(Error::invalid(fmt::format("{} must be true or false.", name), name));
    return v.get<bool>();
}

Result<int> read_int(const json& v, const char* name, int lo, int hi) {
    if (!v.is_number_integer() || v.get<std::int64_t>() < lo || v.get<std::int64_t>() > hi)
        return fail(Error::invalid(
            fmt::format("{} must be a whole number between {} and {}.", name, lo, hi), name));
    return static_cast<int>(v.get<std::int64_t>());
}

Result<void> apply_labels(FieldDefinition& d, const json& v) {
    if (!v.is_object())
        return fail(Error::invalid("label is an object with \"de\" and \"en\".", "label"));
    for (const auto& [lang, text] : v.items()) {
        if (lang != "de" && lang != "en")
            return fail(Error::invalid("label has only \"de\" and \"en\".", "label." + lang));
        if (!text.is_string())
            return fail(Error::invalid("A label is a string.", "label." + lang));
        (lang == "de" ? d.label_de : d.label_en) = trim(text.get<std::string>());
    }
    return {};
}

Result<void> apply_options(FieldDefinition& d, const json& v) {
    d.options.clear();
    if (v.is_null())
        return {};
    if (!v.is_array())
        return fail(Error::invalid("options is a list of strings.", "options"));
    for (const auto& o : v) {
        if (!o.is_string())
            return fail(Error::invalid("options is a list of strings.", "options"));
        d.options.push_back(trim(o.get<std::string>()));
    }
    return {};
}

// Members other than key, type and the bounds, which depend on the type.
Result<void> apply_member(FieldDefinition& d, const std::string& k, const json& v) {
    if (k == "label")
        return apply_labels(d, v);
    if (k == "options")
        return apply_options(d, v);
    if (k == "required")
        d.required = TRY(read_bool(v, "required"));
    else if (k == "personal")
        d.personal = TRY(read_bool(v, "personal"));
    else if (k == "ask_in_portal")
        d.ask_in_portal = TRY(read_bool(v, "ask_in_portal"));
    else if (k == "portal_order")
        d.portal_order = TRY(read_int(v, "portal_order", -100000, 100000));
    else if (k == "retention_days")
        d.retention_days =
            v.is_null() ? std::nullopt
                        : std::optional<int>(TRY(read_int(v, k.c_str(), 1, kMaxRetentionDays)));
    else if (k == "retention_months")
        d.retention_months =
            v.is_null() ? std::nullopt
                        : std::optional<int>(TRY(read_int(v, k.c_str(), 1, kMaxRetentionMonths)));
    else if (k == "pattern") {
        if (!v.is_null() && !v.is_string())
            return fail(Error::invalid("pattern is a regular expression (string) or null.", k));
        d.pattern = v.is_null() ? std::nullopt : std::optional<std::string>(v.get<std::string>());
    } else if (k == "department") {
        if (!v.is_null() && !v.is_string())
            return fail(Error::invalid("department is a department key or null.", k));
        d.department =
            v.is_null() ? std::nullopt : std::optional<std::string>(v.get<std::string>());
    }
    return {};
}

constexpr const char* kMembers[] = {
    "key",           "type",        "label",    "options",    "required",       "min",
    "max",           "pattern",     "personal", "department", "retention_days", "retention_months",
    "ask_in_portal", "portal_order"};

} // namespace

json to_json(const FieldDefinition& d) {
    return {{"key", d.key},
            {"type", to_string(d.type)},
            {"label", {{"de", d.label_de}, {"en", d.label_en}}},
            {"options", d.options},
            {"required", d.required},
            {"min", bound_to_json(d, d.min)},
            {"max", bound_to_json(d, d.max)},
            {"pattern", d.pattern ? json(*d.pattern) : json(nullptr)},
            {"personal", d.personal},
            {"department", d.department ? json(*d.department) : json(nullptr)},
            {"retention_days", d.retention_days ? json(*d.retention_days) : json(nullptr)},
            {"retention_months", d.retention_months ? json(*d.retention_months) : json(nullptr)},
            {"ask_in_portal", d.ask_in_portal},
            {"portal_order", d.portal_order},
            {"created_at", format_iso8601(from_unix_ms(d.created_at))},
            {"updated_at", format_iso8601(from_unix_ms(d.updated_at))}};
}

Result<FieldChanges> parse_field_input(const json& body, InputMode mode) {
    if (!body.is_object())
        return fail(Error::invalid("The body must be a JSON object."));
    FieldChanges out;
    for (const auto& [k, v] : body.items()) {
        if (k == "confirm") {
            out.confirm = TRY(read_bool(v, "confirm"));
            continue;
        }
        if (k == "created_at" || k == "updated_at")
            continue; // read-only, so that a client may send back what it read
        if (std::find(std::begin(kMembers), std::end(kMembers), k) == std::end(kMembers))
            return fail(Error::invalid(fmt::format("unknown member '{}' of a field", k), k));
        out.members[k] = v;
    }
    if (mode == InputMode::Create)
        for (const char* needed : {"key", "type", "label"})
            if (!out.members.contains(needed))
                return fail(Error::invalid(fmt::format("{} is missing.", needed), needed));
    return out;
}

Result<FieldDefinition> apply_field_changes(FieldDefinition d, const FieldChanges& changes,
                                            InputMode mode) {
    const json& m = changes.members;
    if (m.contains("key")) {
        const json& k = m["key"];
        if (!k.is_string())
            return fail(Error::invalid("key must be a string, e.g. birth_year.", "key"));
        if (mode == InputMode::Patch && k.get<std::string>() != d.key)
            return fail(Error::invalid("The key of a field cannot be changed; create a new field "
                                       "instead.",
                                       "key"));
        d.key = k.get<std::string>();
    }
    if (m.contains("type")) {
        auto t =
            m["type"].is_string() ? parse_field_type(m["type"].get<std::string>()) : std::nullopt;
        if (!t)
            return fail(Error::invalid(
                "type is one of text, number, date, bool, choice, multichoice.", "type"));
        if (*t != d.type && mode == InputMode::Patch) {
            // Bounds and pattern mean something else under another type: they go unless the
            // same patch gives new ones. Options survive between choice and multichoice.
            d.min.reset();
            d.max.reset();
            d.pattern.reset();
            if (!(is_choice_type(*t) && is_choice_type(d.type)))
                d.options.clear();
        }
        d.type = *t;
    }
    for (const auto& [k, v] : m.items())
        TRY(apply_member(d, k, v));
    // A period in one unit replaces one in the other; both at once is a contradiction.
    bool days = m.contains("retention_days") && !m["retention_days"].is_null();
    bool months = m.contains("retention_months") && !m["retention_months"].is_null();
    if (days && months)
        return fail(Error::invalid("Give the retention period in days or in months, not both.",
                                   "retention_months"));
    if (days)
        d.retention_months.reset();
    if (months)
        d.retention_days.reset();
    if (m.contains("min"))
        d.min = TRY(bound_from_json(d.type, m["min"], "min"));
    if (m.contains("max"))
        d.max = TRY(bound_from_json(d.type, m["max"], "max"));
    TRY(validate_definition(d));
    return d;
}

} // namespace teilhabe::citizens
