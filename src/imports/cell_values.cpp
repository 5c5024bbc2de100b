#include "imports/cell_values.h"

#include "citizens/field_value.h"

#include <fmt/format.h>

namespace teilhabe::imports {

std::string trim(std::string_view s) {
    auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos)
        return {};
    auto e = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(b, e - b + 1));
}

std::vector<std::string> split_list(std::string_view cell) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= cell.size(); ++i) {
        if (i == cell.size() || cell[i] == ',' || cell[i] == '|') {
            auto part = trim(cell.substr(start, i - start));
            if (!part.empty())
                out.push_back(std::move(part));
            start = i + 1;
        }
    }
    return out;
}

Result<nlohmann::json> cell_to_value(const citizens::FieldDefinition& def, std::string_view cell) {
    using citizens::FieldType;
    std::string text = trim(cell);
    switch (def.type) {
    case FieldType::Number:
        // "1,5" is how German spreadsheets write 1.5; "1.234,5" (thousands) is refused as
        // ambiguous by the number parser rather than guessed.
        if (text.find(',') != std::string::npos && text.find('.') == std::string::npos)
            text[text.find(',')] = '.';
        break;
    case FieldType::Date:
        // 24.11.2026 -> 2026-11-24
        if (text.size() == 10 && text[2] == '.' && text[5] == '.')
            text = fmt::format("{}-{}-{}", text.substr(6, 4), text.substr(3, 2), text.substr(0, 2));
        break;
    case FieldType::Bool:
        if (text == "x" || text == "X")
            return nlohmann::json(true);
        break;
    case FieldType::Multichoice: return nlohmann::json(split_list(text));
    default: break;
    }
    return citizens::parse_value_text(def, text);
}

} // namespace teilhabe::imports
