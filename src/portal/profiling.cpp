#include "portal/profiling.h"

#include <algorithm>

namespace teilhabe::portal {

namespace {

bool has_value(const nlohmann::json& attributes, const std::string& key) {
    if (!attributes.is_object() || !attributes.contains(key))
        return false;
    const auto& v = attributes.at(key);
    return !(v.is_null() || (v.is_string() && v.get_ref<const std::string&>().empty()) ||
             (v.is_array() && v.empty()));
}

bool resting(const Declines& declines, std::int64_t field_id, std::int64_t now_ms,
             const ProfilingPolicy& policy) {
    auto it = declines.find(field_id);
    return it != declines.end() && now_ms < it->second + policy.ask_again_after.count();
}

} // namespace

bool may_ask(const citizens::FieldDefinition& field, const nlohmann::json& attributes,
             const Declines& declines, std::int64_t now_ms, const ProfilingPolicy& policy) {
    return field.ask_in_portal && !has_value(attributes, field.key) &&
           !resting(declines, field.id, now_ms, policy);
}

std::vector<citizens::FieldDefinition>
next_questions(const std::vector<citizens::FieldDefinition>& fields,
               const nlohmann::json& attributes, const Declines& declines, std::int64_t now_ms,
               const ProfilingPolicy& policy) {
    std::vector<citizens::FieldDefinition> out;
    for (const auto& f : fields)
        if (may_ask(f, attributes, declines, now_ms, policy))
            out.push_back(f);
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        return a.portal_order != b.portal_order ? a.portal_order < b.portal_order : a.key < b.key;
    });
    if (out.size() > policy.at_most)
        out.resize(policy.at_most);
    return out;
}

} // namespace teilhabe::portal
