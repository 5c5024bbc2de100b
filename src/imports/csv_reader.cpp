#include "imports/csv_reader.h"

#include <algorithm>
#include <fmt/format.h>

namespace teilhabe::imports {

namespace {

// How much of the file is looked at to tell UTF-8 from Windows-1252.
constexpr std::size_t kDetectBytes = 256 * 1024;

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// Windows-1252 0x80..0x9F; 0 marks the five undefined bytes.
constexpr char16_t kCp1252High[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

} // namespace

const char* to_string(Encoding e) { return e == Encoding::Utf8 ? "UTF-8" : "Windows-1252"; }

std::string windows1252_to_utf8(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size() + bytes.size() / 8);
    for (unsigned char b : bytes) {
        if (b < 0x80)
            out += static_cast<char>(b);
        else if (b < 0xA0)
            append_utf8(out, kCp1252High[b - 0x80] ? kCp1252High[b - 0x80] : 0xFFFD);
        else
            append_utf8(out, b); // 0xA0..0xFF are Latin-1
    }
    return out;
}

bool is_valid_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        auto b = static_cast<unsigned char>(s[i]);
        if (b < 0x80) {
            ++i;
            continue;
        }
        int n;
        char32_t cp;
        if ((b & 0xE0) == 0xC0) {
            n = 1;
            cp = b & 0x1F;
        } else if ((b & 0xF0) == 0xE0) {
            n = 2;
            cp = b & 0x0F;
        } else if ((b & 0xF8) == 0xF0) {
            n = 3;
            cp = b & 0x07;
        } else {
            return false;
        }
        for (int k = 1; k <= n; ++k) {
            if (i + k >= s.size())
                return false;
            auto c = static_cast<unsigned char>(s[i + k]);
            if ((c & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (c & 0x3F);
        }
        static constexpr char32_t kMin[] = {0, 0x80, 0x800, 0x10000};
        if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += n + 1;
    }
    return true;
}

Result<CsvReader> CsvReader::open(std::istream& in) {
    CsvReader r(in);
    std::string header;
    std::int64_t line = 0;
    if (!r.read_record(header, line))
        return fail(Error::invalid("the file is empty: the first line must name the columns"));
    if (header.starts_with("\xEF\xBB\xBF")) {
        header.erase(0, 3);
        r.m_bom = true;
    }
    // German spreadsheets write `;` (the comma is their decimal sign): whichever separator
    // occurs more often outside quotes in the header line wins.
    std::size_t semis = 0, commas = 0;
    bool quoted = false;
    for (char c : header) {
        if (c == '"')
            quoted = !quoted;
        else if (!quoted && c == ';')
            ++semis;
        else if (!quoted && c == ',')
            ++commas;
    }
    r.m_separator = semis > commas ? ';' : ',';
    // Read ahead to decide the encoding on more than the header.
    std::size_t seen = header.size();
    bool utf8 = is_valid_utf8(header);
    while (seen < kDetectBytes) {
        std::string rec;
        std::int64_t at = 0;
        if (!r.read_record(rec, at))
            break;
        seen += rec.size();
        utf8 = utf8 && is_valid_utf8(rec);
        r.m_ahead.emplace_back(at, std::move(rec));
    }
    r.m_encoding = r.m_bom || utf8 ? Encoding::Utf8 : Encoding::Windows1252;
    auto cells = TRY(r.split(r.decode(header), 1));
    for (auto& c : cells) {
        auto b = c.find_first_not_of(" \t");
        auto e = c.find_last_not_of(" \t");
        c = b == std::string::npos ? std::string{} : c.substr(b, e - b + 1);
    }
    if (cells.empty() || std::ranges::all_of(cells, [](const auto& c) { return c.empty(); }))
        return fail(Error::invalid("the first line must name the columns"));
    r.m_header = std::move(cells);
    return r;
}

bool CsvReader::read_record(std::string& out, std::int64_t& first_line) {
    out.clear();
    std::string line;
    bool any = false;
    std::size_t quotes = 0;
    while (std::getline(*m_in, line)) {
        ++m_line;
        m_bytes += line.size() + 1;
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (!any) {
            first_line = m_line;
            if (line.empty())
                continue; // a blank line between records
            any = true;
        } else {
            out += '\n';
        }
        out += line;
        quotes += static_cast<std::size_t>(std::ranges::count(line, '"'));
        if (quotes % 2 == 0)
            return true; // not inside a quoted cell: the record ends here
    }
    return any; // an unclosed quote at the end of the file: split() reports it
}

Result<std::vector<std::string>> CsvReader::split(const std::string& rec, std::int64_t line) const {
    std::vector<std::string> cells;
    std::string cell;
    std::size_t i = 0;
    for (;;) {
        cell.clear();
        if (i < rec.size() && rec[i] == '"') {
            ++i;
            for (;;) {
                if (i >= rec.size())
                    return fail(Error::invalid(
                        fmt::format("line {}: a quoted cell is never closed", line), "file"));
                if (rec[i] == '"') {
                    if (i + 1 < rec.size() && rec[i + 1] == '"') {
                        cell += '"';
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                cell += rec[i++];
            }
            if (i < rec.size() && rec[i] != m_separator)
                return fail(Error::invalid(
                    fmt::format("line {}: text after the closing quote of a cell", line), "file"));
        } else {
            auto end = rec.find(m_separator, i);
            cell = rec.substr(i, end == std::string::npos ? std::string::npos : end - i);
            i = end == std::string::npos ? rec.size() : end;
        }
        cells.push_back(cell);
        if (i >= rec.size())
            return cells;
        ++i; // the separator
        if (i == rec.size()) {
            cells.emplace_back(); // a trailing separator: one more, empty cell
            return cells;
        }
    }
}

std::string CsvReader::decode(std::string bytes) const {
    return m_encoding == Encoding::Windows1252 ? windows1252_to_utf8(bytes) : bytes;
}

Result<std::optional<CsvRow>> CsvReader::next() {
    std::string rec;
    std::int64_t line = 0;
    if (m_ahead_pos < m_ahead.size()) {
        line = m_ahead[m_ahead_pos].first;
        rec = std::move(m_ahead[m_ahead_pos].second);
        if (++m_ahead_pos == m_ahead.size()) {
            m_ahead.clear();
            m_ahead_pos = 0;
        }
    } else if (!read_record(rec, line)) {
        return std::optional<CsvRow>{};
    }
    CsvRow row;
    row.line = line;
    if (m_encoding == Encoding::Utf8 && !is_valid_utf8(rec)) {
        row.error = "the line is not valid UTF-8: save the whole file as UTF-8 (or as Windows-1252)";
        return std::optional<CsvRow>(std::move(row));
    }
    row.cells = TRY(split(decode(std::move(rec)), line));
    return std::optional<CsvRow>(std::move(row));
}

} // namespace teilhabe::imports
