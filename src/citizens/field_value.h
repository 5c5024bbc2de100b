#pragma once
// One person's value for a custom field: checked against the definition and turned into the
// canonical form that is stored, compared and filtered on (no SQL, no HTTP).

#include "base/error.h"
#include "citizens/field.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace teilhabe::citizens {

// As stored: one row per text (several for multichoice, one per chosen option). Numbers are
// written without a needless fraction ("1984", "2.5") so that equal numbers are equal texts,
// and also kept as a number for range comparisons; dates are YYYY-MM-DD, which sorts as text.
struct StoredValue {
    std::vector<std::string> texts; // empty: no value
    std::optional<double> number;
};

// Checks `value` (typed JSON, as in "attributes") against the definition. null, "" and []
// mean "no value", refused for a required field. The error's field is "attributes.<key>" and
// its message says what would be accepted.
Result<StoredValue> validate_value(const FieldDefinition& def, const nlohmann::json& value);

// A value written as text (a query string, later a CSV cell) as the typed JSON validate_value
// takes: "1984" -> 1984, "ja"/"yes"/"true"/"1" -> true, a multichoice option -> ["option"].
Result<nlohmann::json> parse_value_text(const FieldDefinition& def, std::string_view text);

// Stored texts back to the typed JSON of "attributes".
nlohmann::json value_to_json(FieldType type, const std::vector<std::string>& texts);

std::string canonical_number(double n);

// A stored value carried over to a changed definition (another type, fewer options): the texts
// as stored under the old definition, read as the new type would read them and checked against
// it. None when the value does not fit (the change then deletes it, after confirmation).
// Examples: number 1984 -> text "1984"; text "1984" -> number 1984; choice "Lesen" ->
// multichoice ["Lesen"]; multichoice with two options -> choice: none.
std::optional<StoredValue> convert_value(const std::vector<std::string>& texts,
                                         const FieldDefinition& to);

} // namespace teilhabe::citizens
