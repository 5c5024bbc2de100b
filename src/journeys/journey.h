#pragma once
// A journey (SPEC.md capability 3): a trigger and a list of steps that each enrolled person
// walks through. The definition is JSON (documented in docs/decisions.md); parse_definition()
// checks it all and names the part that is wrong ("steps[2].duration"), for the API's 422 and
// the editor's message beside the field. Domain only: no SQL, no HTTP.

#include "base/clock.h"
#include "base/error.h"
#include "journeys/calendar.h"

#include <chrono>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace teilhabe::journeys {

class ConditionEvaluator;

enum class TriggerKind { Activity, Segment, DateField };
const char* to_string(TriggerKind k);

struct Trigger {
    TriggerKind kind{TriggerKind::Activity};
    std::string activity_type;          // Activity; Segment: "segment.entered"
    std::optional<std::string> object;  // Activity filter: exact object ("topic:kultur")
    nlohmann::json props = nlohmann::json::object(); // Activity filter: props that must be equal
    std::int64_t segment_id{0};         // Segment
    std::string field;                  // DateField: a custom field of type date
    int offset_days{0};                 // DateField: -2 = two days before the date
    int at_minutes{9 * 60};             // DateField: the time of day (Berlin) to enrol
};

enum class Reentry { Never, Always, AfterDays };
struct ReentryRule {
    Reentry mode{Reentry::Never};
    int days{0};
};

enum class StepKind { Wait, Branch, SendEmail, AwardPoints, SetField, AddTag, AddInterest, Webhook, Exit };
const char* to_string(StepKind k);

inline constexpr std::string_view kExit = "exit"; // a jump target: leave the journey
inline constexpr std::string_view kEnd = "";      // after the last step: the journey is done

struct Step {
    std::string id;
    StepKind kind{StepKind::Exit};
    std::string next; // the step after this one (default: the following one; "" = done)
    // Wait: exactly one of duration, until_time, until_date, until_trigger.
    std::optional<std::chrono::milliseconds> duration;
    std::optional<int> until_minutes; // time of day, Berlin
    bool skip_sundays{false};
    std::optional<TimePoint> until_date;
    std::string until_trigger; // a props member of the trigger activity holding an RFC 3339 time
    std::chrono::milliseconds offset{0}; // added to until_date / until_trigger
    bool exit_if_past{false};            // until_*: leave when the moment has passed already
    // Branch: a segment rule (ConditionEvaluator) and where to go.
    nlohmann::json rule;
    std::string then_step, else_step;
    // SendEmail
    std::string subject, body; // mail template language (mail/placeholders.h)
    std::string topic;         // consent needed: a confirmed subscription to this topic ("" any)
    // AwardPoints
    std::int64_t points{0};
    std::string reason;
    // SetField
    std::string field;
    nlohmann::json value;
    // AddTag / AddInterest
    std::string tag;
    // Webhook
    std::int64_t webhook_id{0};
};

struct Definition {
    Trigger trigger;
    ReentryRule reentry;
    // None: the town's quiet hours (JourneySettings); "quiet_hours": false switches them off.
    std::optional<QuietHours> quiet_hours;
    bool quiet_hours_off{false};
    std::vector<Step> steps;

    const Step* find(std::string_view id) const;
    std::size_t index_of(std::string_view id) const; // steps.size() when absent
};

// `evaluator` checks branch rules (may be null: rules are then only required to be objects).
Result<Definition> parse_definition(const nlohmann::json& j, ConditionEvaluator* evaluator = nullptr);
nlohmann::json to_json(const Definition& d);

// "3d", "12h", "30m", "2d12h", "-2d" -> milliseconds; nullopt when malformed.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);
std::string format_duration(std::chrono::milliseconds d);

// Whether an activity matches the trigger's filter (type, object, props).
bool trigger_matches(const Trigger& t, std::string_view type, std::string_view object,
                     const nlohmann::json& props);

struct Journey {
    std::int64_t id{0};
    std::string key; // seeded journeys: "welcome", "event_reminder"; "" for staff-made ones
    std::string name;
    std::string description;
    bool active{false};
    Definition definition;
    nlohmann::json definition_json;
    TimePoint created_at{}, updated_at{};
};

struct JourneyInput {
    std::optional<std::string> name;
    std::optional<std::string> description;
    std::optional<nlohmann::json> definition;
};
enum class InputMode { Create, Patch };
Result<JourneyInput> parse_input(const nlohmann::json& body, InputMode mode,
                                 ConditionEvaluator* evaluator = nullptr);

} // namespace teilhabe::journeys
