#include "points/rule.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace teilhabe::points {

namespace {

constexpr std::string_view kNoPointsFor[] = {"points.", "stadttaler.", "voucher.", "wallet."};

// The text of a filter's subject in the activity, or nothing when it is absent.
std::optional<std::string> subject(const activity::Activity& a, std::string_view key,
                                   const nlohmann::json& props) {
    if (key == "object")
        return a.object;
    if (!key.starts_with("props."))
        return std::nullopt;
    auto name = std::string(key.substr(6));
    if (!props.is_object() || !props.contains(name))
        return std::nullopt;
    const auto& v = props[name];
    if (v.is_string())
        return v.get<std::string>();
    if (v.is_null())
        return std::nullopt;
    return v.dump();
}

bool condition_holds(const std::optional<std::string>& value, const std::string& want) {
    if (!value)
        return false;
    if (want == "*")
        return !value->empty();
    if (want.ends_with('*'))
        return value->starts_with(std::string_view(want).substr(0, want.size() - 1));
    return *value == want;
}

} // namespace

Result<void> validate_filter(std::string_view filter_json) {
    auto f = nlohmann::json::parse(filter_json, nullptr, false);
    if (!f.is_object())
        return fail(Error::invalid("the filter must be a JSON object, e.g. {\"props.topic\": \"kultur\"}",
                                   "filter"));
    for (const auto& [key, value] : f.items()) {
        if (key != "object" && !(key.starts_with("props.") && key.size() > 6))
            return fail(Error::invalid(
                fmt::format("unknown filter member '{}': use \"object\" or \"props.<name>\"", key),
                "filter"));
        if (!value.is_string())
            return fail(Error::invalid(fmt::format("the filter value of '{}' must be a string", key),
                                       "filter"));
    }
    return {};
}

Result<void> validate(const Rule& r) {
    if (r.name.empty() || r.name.size() > 200)
        return fail(Error::invalid("a name of at most 200 characters is required", "name"));
    if (auto t = activity::validate_type(r.activity_type); !t) {
        auto e = t.error();
        e.field = "activity_type";
        return fail(std::move(e));
    }
    for (auto prefix : kNoPointsFor)
        if (r.activity_type.starts_with(prefix))
            return fail(Error::invalid("points cannot be given for the ledger's own activities",
                                       "activity_type"));
    if (r.points <= 0 || r.points > 1'000'000)
        return fail(Error::invalid("points must be between 1 and 1000000", "points"));
    if (r.cap_per_day && *r.cap_per_day <= 0)
        return fail(Error::invalid("a daily cap must be at least 1 (or empty for none)", "cap_per_day"));
    if (r.cap_per_month && *r.cap_per_month <= 0)
        return fail(Error::invalid("a monthly cap must be at least 1 (or empty for none)",
                                   "cap_per_month"));
    if (r.once_key.size() > 200)
        return fail(Error::invalid("the once-per key is too long", "once_key"));
    TRY(validate_filter(r.filter));
    return {};
}

nlohmann::json parse_props(const activity::Activity& a) { return nlohmann::json::parse(a.props, nullptr, false); }

bool matches(const Rule& r, const activity::Activity& a, const nlohmann::json& props) {
    if (!r.enabled || r.activity_type != a.type || !a.citizen_id)
        return false;
    if (r.filter == "{}")
        return true;
    auto f = nlohmann::json::parse(r.filter, nullptr, false);
    if (!f.is_object() || f.empty())
        return f.is_object();
    for (const auto& [key, want] : f.items())
        if (!want.is_string() || !condition_holds(subject(a, key, props), want.get<std::string>()))
            return false;
    return true;
}

std::string once_key_for(const Rule& r, const activity::Activity& a, const nlohmann::json& props) {
    std::string out;
    std::string_view t = r.once_key;
    while (!t.empty()) {
        auto open = t.find('{');
        auto close = open == std::string_view::npos ? open : t.find('}', open);
        if (close == std::string_view::npos) {
            out += t;
            break;
        }
        out += t.substr(0, open);
        out += subject(a, t.substr(open + 1, close - open - 1), props).value_or("");
        t.remove_prefix(close + 1);
    }
    return out;
}

Window day_of(TimePoint t) {
    auto day = std::chrono::floor<std::chrono::days>(t);
    return {to_unix_ms(day), to_unix_ms(day + std::chrono::days(1))};
}

Window month_of(TimePoint t) {
    std::chrono::year_month_day ymd{std::chrono::floor<std::chrono::days>(t)};
    auto first = std::chrono::year_month_day{ymd.year(), ymd.month(), std::chrono::day(1)};
    auto next = first + std::chrono::months(1);
    return {to_unix_ms(std::chrono::sys_days(first)), to_unix_ms(std::chrono::sys_days(next))};
}

std::string award_key(std::int64_t rule_id, std::int64_t activity_id) {
    return fmt::format("points:rule:{}:activity:{}", rule_id, activity_id);
}

} // namespace teilhabe::points
