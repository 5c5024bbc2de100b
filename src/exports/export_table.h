#pragma once
// What an export of citizens contains (no SQL, no HTTP): the columns — the profile's members,
// then one per own field, labelled by its key — and each person as a row of typed cells, which
// every format shows in its own way (CSV as German spreadsheets write it, XLSX as real dates and
// numbers, JSON as the API's resource shape).

#include "base/error.h"
#include "citizens/citizen.h"
#include "citizens/field.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace teilhabe::exports {

enum class ExportFormat { Csv, Xlsx, Json };
std::optional<ExportFormat> parse_export_format(std::string_view s);
const char* to_string(ExportFormat f);
const char* content_type(ExportFormat f);

// A cell's value with its type. Text is what people or staff typed (it may look like a
// formula); every other kind is produced by us.
struct Text {
    std::string value;
};
struct Number {
    double value{0};
    std::string canonical; // as stored: "1984", "2.5"
};
struct Date {
    int year{0}, month{0}, day{0};
};
struct Time {
    std::int64_t unix_ms{0};
};
struct List {
    std::vector<std::string> items; // typed by people or staff, like Text
};
using Cell = std::variant<std::monostate, Text, Number, Date, Time, bool, List>;

class ExportTable {
public:
    explicit ExportTable(std::vector<citizens::FieldDefinition> fields);

    // id, email, first_name, last_name, language, preferred_channel, district, tags, interests,
    // created_at, updated_at, then the fields' keys ("attributes.<key>" where a key is also the
    // name of a member). The member names are those the CSV import recognises, so an exported
    // file can be imported again.
    const std::vector<std::string>& header() const { return m_header; }
    std::vector<Cell> row(const citizens::Citizen& c) const;

private:
    std::vector<citizens::FieldDefinition> m_fields;
    std::vector<std::string> m_header;
};

// "2026-11-24" -> a Date; nullopt for anything else.
std::optional<Date> parse_iso_date(std::string_view s);

} // namespace teilhabe::exports
