#pragma once
// Cells of a town hall's spreadsheet as profile values: German decimal commas ("1,5"), German
// dates ("24.11.2026"), yes/no as "ja"/"nein"/"x", lists separated by commas or "|".

#include "base/error.h"
#include "citizens/field.h"

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace teilhabe::imports {

// A custom field's cell as the typed JSON that citizens::validate_value takes.
Result<nlohmann::json> cell_to_value(const citizens::FieldDefinition& def, std::string_view cell);
// "Kultur, Sport | Umwelt" -> {"Kultur", "Sport", "Umwelt"}; empty parts are dropped.
std::vector<std::string> split_list(std::string_view cell);
std::string trim(std::string_view s);

} // namespace teilhabe::imports
