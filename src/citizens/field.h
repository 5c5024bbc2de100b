#pragma once
// The municipality's own data model: custom field definitions and the rules for them (no SQL,
// no HTTP). Staff define fields; each person's values for them are the profile's "attributes".

#include "base/error.h"
#include "citizens/citizen.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace teilhabe::citizens {

enum class FieldType { Text, Number, Date, Bool, Choice, Multichoice };
const char* to_string(FieldType t);
std::optional<FieldType> parse_field_type(std::string_view s);
inline bool is_choice_type(FieldType t) {
    return t == FieldType::Choice || t == FieldType::Multichoice;
}

struct FieldDefinition {
    std::int64_t id{0};
    std::string key; // [a-z][a-z0-9_]{0,39}; the name in "attributes" and in filters
    FieldType type{FieldType::Text};
    std::string label_de;
    std::string label_en;
    std::vector<std::string> options; // choice and multichoice only
    // A profile created or changed by staff or the API must have a value.
    bool required{false};
    // Bounds, by type: number -> the value; text -> length in characters; date -> days since
    // 1970-01-01 (shown as YYYY-MM-DD); multichoice -> how many options may be chosen.
    std::optional<double> min;
    std::optional<double> max;
    std::optional<std::string> pattern; // text only: ECMAScript regex the whole value must match
    // Personal data (GDPR Art. 4(1)); true unless staff say otherwise, the safe default.
    bool personal{true};
    std::optional<std::string> department; // department key; none = the whole town hall's
    // GDPR Art. 5(1)(e) storage limitation: values older than this are to be deleted. The
    // period is given in days or in calendar months (as retention rules are usually written),
    // never both.
    std::optional<int> retention_days;
    std::optional<int> retention_months;
    bool ask_in_portal{false}; // progressive profiling may ask for it
    int portal_order{0};
    std::int64_t created_at{0};
    std::int64_t updated_at{0};
};

constexpr std::size_t kMaxTextChars = 500; // keeps a value within one index entry
constexpr std::size_t kMaxOptions = 100;
constexpr std::size_t kMaxPatternChars = 200;
constexpr int kMaxRetentionDays = 36500;  // 100 years
constexpr int kMaxRetentionMonths = 1200; // 100 years

// [a-z][a-z0-9_]{0,39}: a field key as it may appear in JSON, URLs and filters.
bool valid_field_key(std::string_view key);

// Whether `pattern` compiles as an ECMAScript regular expression; the message says why not.
Result<void> check_pattern_syntax(const std::string& pattern);

// Checks a whole definition; the error's field names the member ("key", "options", "min").
Result<void> validate_definition(const FieldDefinition& def);

nlohmann::json to_json(const FieldDefinition& def);

// A create body or a merge patch (RFC 7396) of a field, not yet applied.
struct FieldChanges {
    nlohmann::json members = nlohmann::json::object();
    bool confirm{false}; // "confirm": true: drop values that no longer fit
};
Result<FieldChanges> parse_field_input(const nlohmann::json& body, InputMode mode);
// Applies the changes to `def` (a default definition for a create) and validates the result.
// The key cannot change.
Result<FieldDefinition> apply_field_changes(FieldDefinition def, const FieldChanges& changes,
                                            InputMode mode);

// Options of `before` that `after` no longer offers (values holding them must go).
std::vector<std::string> removed_options(const FieldDefinition& before,
                                         const FieldDefinition& after);

// Dates as stored and shown (YYYY-MM-DD) and as days since 1970-01-01, for the bounds.
std::optional<std::int64_t> parse_date_days(std::string_view iso_date);
std::string format_date_days(std::int64_t days);

} // namespace teilhabe::citizens
