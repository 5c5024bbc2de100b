#pragma once
// The JSON definition of a rule, the one stored and exchanged through the API:
//   {"all": [r, r, ...]}   {"any": [r, r, ...]}   {"not": r}
//   {"field": "district", "op": "eq", "value": "Nord"}
//   {"attribute": "birth_year", "op": "ge", "value": 1990}
//   {"interest": "kultur"}   {"tag": "ehrenamt"}
//   {"consent": "topic", "topic": "kultur"}   {"consent": "tracking"}
//   {"activity": "email.clicked", "object": "topic:kultur", "op": "ge", "count": 1,
//    "within_days": 30}            (or "from": "2026-01-01", "until": "2027-01-01"; or neither)
// "op" defaults to "eq" (fields) and "ge" (activities), "count" to 1. An all/any of one rule is
// that rule. Errors name the wrong part as a JSON pointer (RFC 6901) in Error::field.

#include "segments/rule.h"

#include <nlohmann/json.hpp>

namespace teilhabe::segments {

Result<Rule> from_json(const nlohmann::json& j, const std::string& pointer = "");
Result<Rule> parse_json(std::string_view text);
nlohmann::json to_json(const Rule& r);
// Canonical text of the JSON (what is stored).
std::string dump_json(const Rule& r);

// The contract for journeys' branch step: a rule definition is acceptable (no database).
Result<void> validate_rule_json(std::string_view rule_json);

} // namespace teilhabe::segments
