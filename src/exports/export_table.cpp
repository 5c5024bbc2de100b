#include "exports/export_table.h"

#include "citizens/field_value.h"

#include <algorithm>
#include <charconv>

namespace teilhabe::exports {

namespace {

using nlohmann::json;

constexpr const char* kMembers[] = {
    "id",       "email", "first_name", "last_name",  "language",  "preferred_channel",
    "district", "tags",  "interests",  "created_at", "updated_at"};

// A field's value from "attributes" (typed JSON, see citizens::value_to_json) as a cell.
Cell field_cell(const citizens::FieldDefinition& def, const json& v) {
    using citizens::FieldType;
    if (v.is_null())
        return std::monostate{};
    switch (def.type) {
    case FieldType::Number:
        if (v.is_number()) {
            double n = v.get<double>();
            return Number{n, citizens::canonical_number(n)};
        }
        break;
    case FieldType::Date:
        if (v.is_string())
            if (auto d = parse_iso_date(v.get<std::string>()))
                return *d;
        break;
    case FieldType::Bool:
        if (v.is_boolean())
            return v.get<bool>();
        break;
    case FieldType::Multichoice:
        if (v.is_array())
            return List{v.get<std::vector<std::string>>()};
        break;
    default:
        break;
    }
    // Text and choice; and, defensively, a stored value of an unexpected shape as its text.
    return Text{v.is_string() ? v.get<std::string>() : v.dump()};
}

} // namespace

std::optional<ExportFormat> parse_export_format(std::string_view s) {
    if (s == "csv")
        return ExportFormat::Csv;
    if (s == "xlsx")
        return ExportFormat::Xlsx;
    if (s == "json")
        return ExportFormat::Json;
    return std::nullopt;
}

const char* to_string(ExportFormat f) {
    switch (f) {
    case ExportFormat::Csv:
        return "csv";
    case ExportFormat::Xlsx:
        return "xlsx";
    case ExportFormat::Json:
        return "json";
    }
    return "csv";
}

const char* content_type(ExportFormat f) {
    switch (f) {
    case ExportFormat::Csv:
        return "text/csv; charset=utf-8; header=present";
    case ExportFormat::Xlsx:
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    case ExportFormat::Json:
        return "application/json";
    }
    return "application/octet-stream";
}

std::optional<Date> parse_iso_date(std::string_view s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-')
        return std::nullopt;
    auto num = [&](std::size_t at, std::size_t len, int& out) {
        auto [p, ec] = std::from_chars(s.data() + at, s.data() + at + len, out);
        return ec == std::errc{} && p == s.data() + at + len;
    };
    Date d;
    if (!num(0, 4, d.year) || !num(5, 2, d.month) || !num(8, 2, d.day) || d.month < 1 ||
        d.month > 12 || d.day < 1 || d.day > 31)
        return std::nullopt;
    return d;
}

ExportTable::ExportTable(std::vector<citizens::FieldDefinition> fields)
    : m_fields(std::move(fields)) {
    std::ranges::sort(m_fields, {}, &citizens::FieldDefinition::key);
    for (const char* m : kMembers)
        m_header.emplace_back(m);
    for (const auto& f : m_fields) {
        bool clash = std::ranges::find(kMembers, f.key) != std::end(kMembers);
        m_header.push_back(clash ? "attributes." + f.key : f.key);
    }
}

std::vector<Cell> ExportTable::row(const citizens::Citizen& c) const {
    std::vector<Cell> out;
    out.reserve(m_header.size());
    out.emplace_back(Number{static_cast<double>(c.id), std::to_string(c.id)});
    out.emplace_back(Text{c.email});
    out.emplace_back(Text{c.first_name});
    out.emplace_back(Text{c.last_name});
    out.emplace_back(Text{citizens::to_string(c.language)});
    out.emplace_back(Text{citizens::to_string(c.preferred_channel)});
    out.emplace_back(Text{c.district});
    out.emplace_back(List{c.tags});
    out.emplace_back(List{c.interests});
    out.emplace_back(Time{c.created_at});
    out.emplace_back(Time{c.updated_at});
    for (const auto& f : m_fields) {
        auto it = c.attributes.find(f.key);
        out.push_back(it == c.attributes.end() ? Cell{} : field_cell(f, *it));
    }
    return out;
}

} // namespace teilhabe::exports
