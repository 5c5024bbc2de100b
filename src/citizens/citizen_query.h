#pragma once
// Which citizens a list asks for: filters and the page (no SQL, no HTTP).

#include "base/error.h"
#include "citizens/citizen.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace teilhabe::citizens {

struct FieldFilter {
    std::string key;  // field key
    std::string text; // the value as written; checked against the field's type by the store
};

// Every filter narrows: a person is listed only when all of them hold. Repeated tag, interest
// and field.<key> parameters must all hold too.
struct CitizenQuery {
    std::string q; // lower-cased prefix of the e-mail, first or last name
    std::optional<std::string> district;
    std::vector<std::string> tags;      // normalised
    std::vector<std::string> interests; // topic keys
    std::vector<FieldFilter> fields;
    std::optional<bool> restricted;
    int limit{50};
    std::int64_t after_id{0}; // from the cursor
};

constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 200;

// Reads q, district, tag, interest, field.<key>, restricted, limit and cursor; refuses any
// other parameter by name (a misspelt filter would otherwise silently list everyone).
Result<CitizenQuery>
parse_citizen_query(const std::vector<std::pair<std::string, std::string>>& params);

struct CitizenPage {
    std::vector<Citizen> items;
    std::optional<std::string> next_cursor; // none on the last page
};

} // namespace teilhabe::citizens
