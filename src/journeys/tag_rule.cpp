// The stand-in branch rule of journeys' own tests and of a build without segments
// (interfaces.h): {"tag": "x"}, {"not": r}, {"all": [r...]}, {"any": [r...]}.

#include "journeys/interfaces.h"

#include <nlohmann/json.hpp>

namespace teilhabe::journeys {

namespace {

Result<void> check(const nlohmann::json& r) {
    if (!r.is_object() || r.size() != 1)
        return fail(Error::invalid("a rule is one of {\"tag\": \"x\"}, {\"not\": rule}, {\"all\": [...]}, {\"any\": [...]}"));
    if (r.contains("tag"))
        return r["tag"].is_string() ? Result<void>{} : fail(Error::invalid("tag must be text"));
    if (r.contains("not"))
        return check(r["not"]);
    for (const char* k : {"all", "any"})
        if (r.contains(k)) {
            if (!r[k].is_array())
                return fail(Error::invalid(std::string(k) + " must be a list of rules"));
            for (const auto& x : r[k])
                TRY(check(x));
            return {};
        }
    return fail(Error::invalid("unknown rule; this build knows tag, not, all and any"));
}

Result<bool> eval(db::Connection& c, const nlohmann::json& r, std::int64_t citizen_id) {
    if (r.contains("tag")) {
        auto rows = TRY(c.query("SELECT 1 FROM citizen_tags WHERE citizen_id = ? AND tag = ?",
                                {citizen_id, r["tag"].get<std::string>()}));
        return !rows.empty();
    }
    if (r.contains("not"))
        return !TRY(eval(c, r["not"], citizen_id));
    bool all = r.contains("all");
    for (const auto& x : r[all ? "all" : "any"]) {
        bool m = TRY(eval(c, x, citizen_id));
        if (m != all)
            return m;
    }
    return all;
}

} // namespace

Result<void> TagRuleEvaluator::validate(std::string_view rule_json) {
    auto r = nlohmann::json::parse(rule_json, nullptr, false);
    return check(r);
}

Result<bool> TagRuleEvaluator::matches(db::Connection& c, std::string_view rule_json, std::int64_t citizen_id,
                                       TimePoint) {
    auto r = nlohmann::json::parse(rule_json, nullptr, false);
    TRY(check(r));
    return eval(c, r, citizen_id);
}

} // namespace teilhabe::journeys
