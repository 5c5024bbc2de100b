#pragma once
// A segment's rule (issue 6): conditions over profile fields, custom fields, interests, tags,
// consents and activities with counts and time windows, combined with all/any/not. Pure domain:
// no SQL, no HTTP. One definition format (JSON, rule_json.h) and a text form staff type
// (rule_text.h) that round-trips: parse_text(print_text(r)) == r.

#include "base/error.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace teilhabe::segments {

enum class Op { Eq, Ne, Lt, Le, Gt, Ge, Contains };
const char* op_symbol(Op op); // "=", "!=", "<", "<=", ">", ">=", "contains"
const char* op_name(Op op);   // JSON: "eq", "ne", "lt", "le", "gt", "ge", "contains"
std::optional<Op> parse_op_name(std::string_view s);

// A compared value: text (also dates "YYYY-MM-DD", booleans "true"/"false") or a number.
using Value = std::variant<std::string, double>;

// A column of the profile: email, first_name, last_name, language, district, created_at.
struct FieldCondition {
    std::string field;
    Op op{Op::Eq};
    Value value;
    bool operator==(const FieldCondition&) const = default;
};

// A custom field by key, typed by its definition (checked by the store).
struct AttributeCondition {
    std::string key;
    Op op{Op::Eq};
    Value value;
    bool operator==(const AttributeCondition&) const = default;
};

struct InterestCondition {
    std::string topic;
    bool operator==(const InterestCondition&) const = default;
};

struct TagCondition {
    std::string tag;
    bool operator==(const TagCondition&) const = default;
};

// A confirmed consent: the subscription of a topic, or tracking (topic empty).
struct ConsentCondition {
    enum class Kind { Topic, Tracking };
    Kind kind{Kind::Topic};
    std::string topic;
    bool operator==(const ConsentCondition&) const = default;
};

// When the counted activities happened: ever, in the last N days before now, or in
// [from, until) given as dates (UTC midnight).
struct Window {
    enum class Kind { Ever, LastDays, Between };
    Kind kind{Kind::Ever};
    std::int64_t days{0};
    std::string from, until; // YYYY-MM-DD
    bool operator==(const Window&) const = default;
};

// "count of activities of type T (about object O) in window W <op> N".
struct ActivityCondition {
    std::string type;
    std::string object; // empty: any object
    Op op{Op::Ge};
    std::int64_t count{1};
    Window window;
    bool operator==(const ActivityCondition&) const = default;
};

using Condition = std::variant<FieldCondition, AttributeCondition, InterestCondition,
                               TagCondition, ConsentCondition, ActivityCondition>;

// A node: a condition, or all/any of two or more nodes, or not of one.
struct Rule {
    enum class Kind { Condition, All, Any, Not };
    Kind kind{Kind::Condition};
    Condition condition;
    std::vector<Rule> children;
    bool operator==(const Rule&) const = default;
};

inline constexpr const char* kProfileFields[] = {"email",    "first_name", "last_name",
                                                 "language", "district",   "created_at"};
bool is_profile_field(std::string_view f);
// A key, tag, topic or activity type: lower-case letters, digits, '_', '-', '.', ':'.
bool is_word(std::string_view s);
bool is_date(std::string_view s);            // YYYY-MM-DD, a real day
std::optional<std::int64_t> date_ms(std::string_view s); // UTC midnight in Unix ms

// Checks what one condition says on its own (no database): known fields, ops that fit the
// value, dates, counts, windows. The error's `field` names the member that is wrong ("op",
// "value", "window"...); the JSON and text parsers turn it into a pointer or a position.
Result<void> check(const Condition& c);

// Whether the rule's result can change as time passes (an activity window "last N days").
bool depends_on_time(const Rule& r);

} // namespace teilhabe::segments
