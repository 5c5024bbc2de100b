#pragma once
// Progressive profiling (SPEC "Citizen portal"): the portal asks, a few at a time, for the
// custom fields staff marked "may be asked in the portal", in the order staff set, filling the
// profile step by step. A question the person declined is not asked again before a pause has
// passed. Domain rules only: no HTTP, no SQL.

#include "base/clock.h"
#include "citizens/field.h"

#include <chrono>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <vector>

namespace teilhabe::portal {

// How long a declined question rests before it may be asked again (configurable:
// portal_ask_again_days).
inline constexpr int kDefaultAskAgainDays = 90;
inline constexpr std::size_t kMaxQuestionsAtOnce = 3;

struct ProfilingPolicy {
    Millis ask_again_after{std::chrono::hours(24 * kDefaultAskAgainDays)};
    std::size_t at_most{kMaxQuestionsAtOnce};
};

// When the person last declined each field (field id -> Unix ms).
using Declines = std::map<std::int64_t, std::int64_t>;

// The fields to ask now, in the order staff set (portal_order, then key): marked for the
// portal, without a value in `attributes` (the profile's field key -> value), and not declined
// within the pause. At most `policy.at_most`.
std::vector<citizens::FieldDefinition>
next_questions(const std::vector<citizens::FieldDefinition>& fields,
               const nlohmann::json& attributes, const Declines& declines, std::int64_t now_ms,
               const ProfilingPolicy& policy);

// Whether `field` may be asked now (the same rules, for one field named in a form).
bool may_ask(const citizens::FieldDefinition& field, const nlohmann::json& attributes,
             const Declines& declines, std::int64_t now_ms, const ProfilingPolicy& policy);

} // namespace teilhabe::portal
