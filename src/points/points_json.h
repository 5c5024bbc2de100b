#pragma once
// JSON of the points API: rules in and out, ledger entries out. Shared by the API and tests.

#include "ledger/ledger.h"
#include "points/rule.h"

#include <nlohmann/json.hpp>

namespace teilhabe::points {

nlohmann::json to_json(const Rule& r);
nlohmann::json to_json(const ledger::Entry& e);
nlohmann::json to_json(const ledger::Transfer& t);

// A rule from a request body. With `base` (PATCH) members left out keep their value.
Result<Rule> rule_from_json(const nlohmann::json& body, const Rule& base = {});

} // namespace teilhabe::points
