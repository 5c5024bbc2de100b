#pragma once
// Points rules (SPEC capability 5): an activity type and a filter give points, with caps per
// day and per month (awards per person and rule) and once per object. Domain only: no SQL.

#include "activity/activity.h"
#include "base/clock.h"
#include "base/error.h"

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

namespace teilhabe::points {

struct Rule {
    std::int64_t id{0};
    std::string name;
    std::string activity_type;  // e.g. "newsletter.confirmed"
    std::string filter{"{}"};   // JSON object, see matches()
    std::int64_t points{0};     // > 0
    std::optional<int> cap_per_day;   // awards per person and UTC day
    std::optional<int> cap_per_month; // awards per person and UTC calendar month
    // Once per object: a template over the activity, e.g. "{object}" or
    // "{props.campaign_id}/{props.topic}"; empty = no such limit.
    std::string once_key;
    int position{0};
    bool enabled{true};
};

// Points are never given for the ledger's own activities (points.*, stadttaler.*, voucher.*,
// wallet.*): an award would record an activity that gives an award ...
Result<void> validate(const Rule& r);

// The filter is a JSON object; each member is a condition on the activity, all must hold:
//   "object": "topic:kultur"          equality; "topic:*" a prefix; "*" present and not empty
//   "props.<name>": "value"           the same on a member of props (strings, numbers as text)
// Both questions take the activity's props parsed once (parse_props): the consumer asks them
// for several rules of every activity of a rule's type.
Result<void> validate_filter(std::string_view filter_json);
nlohmann::json parse_props(const activity::Activity& a);
bool matches(const Rule& r, const activity::Activity& a, const nlohmann::json& props);

// The rule's once-per-object key for this activity ({object}, {props.<name>} replaced); empty
// when the rule has no such limit.
std::string once_key_for(const Rule& r, const activity::Activity& a, const nlohmann::json& props);

// The UTC day and calendar month that contain t, as [begin, end) in milliseconds.
struct Window {
    std::int64_t begin_ms{0};
    std::int64_t end_ms{0};
};
Window day_of(TimePoint t);
Window month_of(TimePoint t);

// The idempotency key of the transfer a rule makes for an activity: exactly once per pair.
std::string award_key(std::int64_t rule_id, std::int64_t activity_id);

} // namespace teilhabe::points
