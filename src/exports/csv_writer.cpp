// The CSV and JSON writers of an export (see export_writer.h).

#include "base/clock.h"
#include "exports/export_writer.h"

#include <fmt/format.h>

namespace teilhabe::exports {

namespace {

constexpr char kSeparator = ';';
constexpr std::string_view kBom = "\xEF\xBB\xBF";

bool needs_quotes(std::string_view s) {
    return s.find_first_of("\";\r\n") != std::string_view::npos;
}

std::string rfc4180_quoted(std::string_view s) {
    if (!needs_quotes(s))
        return std::string(s);
    std::string out = "\"";
    for (char c : s) {
        if (c == '"')
            out += '"';
        out += c;
    }
    return out + '"';
}

// "2.5" -> "2,5": the decimal comma of German spreadsheets. Canonical numbers have no
// thousands separator, so the one dot is the decimal point.
std::string german_number(const std::string& canonical) {
    std::string out = canonical;
    if (auto dot = out.find('.'); dot != std::string::npos)
        out[dot] = ',';
    return out;
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items)
        out += (out.empty() ? "" : ", ") + i;
    return out;
}

struct CsvCell {
    std::string operator()(std::monostate) const { return {}; }
    std::string operator()(const Text& t) const { return csv_text_cell(t.value); }
    std::string operator()(const Number& n) const { return german_number(n.canonical); }
    std::string operator()(const Date& d) const {
        return fmt::format("{:04}-{:02}-{:02}", d.year, d.month, d.day);
    }
    std::string operator()(const Time& t) const { return format_iso8601(from_unix_ms(t.unix_ms)); }
    std::string operator()(bool b) const { return b ? "ja" : "nein"; }
    std::string operator()(const List& l) const { return csv_text_cell(joined(l.items)); }
};

class CsvWriter final : public ExportWriter {
public:
    Result<void> begin(const ExportTable& table, std::string& out) override {
        out += kBom;
        std::string line;
        for (const auto& h : table.header())
            line += (line.empty() ? "" : std::string(1, kSeparator)) + csv_text_cell(h);
        out += line + "\r\n";
        return {};
    }
    Result<void> row(const ExportTable& table, const citizens::Citizen& c,
                     std::string& out) override {
        bool first = true;
        for (const auto& cell : table.row(c)) {
            if (!first)
                out += kSeparator;
            first = false;
            out += std::visit(CsvCell{}, cell);
        }
        out += "\r\n";
        return {};
    }
    Result<void> end(std::string&) override { return {}; }
};

class JsonWriter final : public ExportWriter {
public:
    Result<void> begin(const ExportTable&, std::string& out) override {
        out += "[";
        return {};
    }
    Result<void> row(const ExportTable&, const citizens::Citizen& c, std::string& out) override {
        out += m_first ? "\n" : ",\n";
        m_first = false;
        out += citizens::to_json(c).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        return {};
    }
    Result<void> end(std::string& out) override {
        out += m_first ? "]\n" : "\n]\n";
        return {};
    }

private:
    bool m_first{true};
};

} // namespace

std::string csv_text_cell(std::string_view text) {
    if (!text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos)
        return rfc4180_quoted("'" + std::string(text));
    return rfc4180_quoted(text);
}

std::unique_ptr<ExportWriter> csv_writer() {
    return std::make_unique<CsvWriter>();
}
std::unique_ptr<ExportWriter> json_writer() {
    return std::make_unique<JsonWriter>();
}

} // namespace teilhabe::exports
