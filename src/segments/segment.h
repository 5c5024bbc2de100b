#pragma once
// A segment: a named rule whose members are kept live (issue 6). Domain only: the resource's
// shape, input from the API or the editor, and its JSON.

#include "segments/rule.h"

#include <nlohmann/json.hpp>

namespace teilhabe::segments {

enum class Status { Computing, Live };
const char* to_string(Status s);

struct Segment {
    std::int64_t id{0};
    std::string key; // [a-z][a-z0-9_-]{0,59}; named in the segment.entered/left activities
    std::string name;
    std::string description;
    Rule rule;
    std::int64_t version{1};
    Status status{Status::Computing};
    std::int64_t computed_upto{0};
    std::optional<std::int64_t> computed_at;
    std::int64_t member_count{0};
    std::string created_by;
    std::int64_t created_at{0};
    std::int64_t updated_at{0};
};

struct SegmentInput {
    std::optional<std::string> key;
    std::optional<std::string> name;
    std::optional<std::string> description;
    std::optional<Rule> rule;
};

enum class InputMode { Create, Patch };
bool valid_key(std::string_view key);
// The rule comes as "rule" (the JSON definition) or "rule_text" (the text form), not both.
// Errors name the member: "key", "/rule/all/1/op" (a JSON pointer into the body), "rule_text".
Result<SegmentInput> parse_input(const nlohmann::json& body, InputMode mode);
Result<void> check_input(const SegmentInput& in, InputMode mode);

nlohmann::json to_json(const Segment& s);

} // namespace teilhabe::segments
