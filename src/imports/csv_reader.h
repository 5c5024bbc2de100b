#pragma once
// A streaming CSV reader for the files town halls have: RFC 4180 quoting, `;` (German Excel)
// or `,` as separator (detected from the header line), CRLF or LF, UTF-8 with or without a
// byte-order mark or Windows-1252 (detected, converted to UTF-8). Rows are handed out one at a
// time, so a file of a million rows needs memory for one row only.

#include "base/error.h"

#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <vector>

namespace teilhabe::imports {

enum class Encoding { Utf8, Windows1252 };
const char* to_string(Encoding e);

// Windows-1252 bytes -> UTF-8 (the five undefined bytes become U+FFFD).
std::string windows1252_to_utf8(std::string_view bytes);
// Whether the bytes are well-formed UTF-8 (no overlong forms, no surrogates).
bool is_valid_utf8(std::string_view bytes);

struct CsvRow {
    std::int64_t line{0}; // line number in the file where the row starts (1 = header)
    std::vector<std::string> cells;
    // Set when the row cannot be read (e.g. not UTF-8 in a UTF-8 file); cells are then empty.
    // The import reports it with the line and goes on checking the other rows.
    std::string error;
};

class CsvReader {
public:
    // Reads the header line, detects separator and encoding. InvalidArgument for an empty file
    // or a header without columns.
    static Result<CsvReader> open(std::istream& in);

    char separator() const { return m_separator; }
    Encoding encoding() const { return m_encoding; }
    const std::vector<std::string>& header() const { return m_header; }

    // The next data row; nullopt at the end. InvalidArgument (with the line) for a quote that
    // is never closed or text after a closing quote. Blank lines are skipped.
    Result<std::optional<CsvRow>> next();
    // Bytes consumed so far, for progress.
    std::uint64_t bytes_read() const { return m_bytes; }

private:
    explicit CsvReader(std::istream& in) : m_in(&in) {}
    // One physical record (may span lines inside quotes), raw bytes; false at the end.
    bool read_record(std::string& out, std::int64_t& first_line);
    Result<std::vector<std::string>> split(const std::string& record, std::int64_t line) const;
    std::string decode(std::string bytes) const;

    std::istream* m_in;
    char m_separator{','};
    Encoding m_encoding{Encoding::Utf8};
    std::vector<std::string> m_header;
    std::int64_t m_line{0};
    std::uint64_t m_bytes{0};
    // Records read ahead to detect the encoding, served first by next().
    std::vector<std::pair<std::int64_t, std::string>> m_ahead;
    std::size_t m_ahead_pos{0};
    bool m_bom{false};
};

} // namespace teilhabe::imports
