#pragma once
// Writers of an export, one per format (no SQL, no HTTP). A writer appends what it produces to
// `out`, page by page, so the caller decides where it goes (an HTTP body in parts, a file);
// the XLSX writer writes into its workbook file instead and leaves `out` empty.

#include "base/error.h"
#include "exports/export_table.h"

#include <memory>
#include <string>
#include <string_view>

namespace teilhabe::exports {

class ExportWriter {
public:
    virtual ~ExportWriter() = default;
    // The header row (CSV, XLSX) or the opening bracket (JSON).
    virtual Result<void> begin(const ExportTable& table, std::string& out) = 0;
    virtual Result<void> row(const ExportTable& table, const citizens::Citizen& c,
                             std::string& out) = 0;
    // The end of the document; for XLSX the workbook is complete on disk afterwards.
    virtual Result<void> end(std::string& out) = 0;
};

// UTF-8 with a byte-order mark and `;` between cells (how Excel in Germany reads a CSV file
// correctly), CRLF and RFC 4180 quoting. Numbers with a decimal comma, yes/no as "ja"/"nein",
// dates as YYYY-MM-DD, times as ISO 8601 in UTC, lists separated by ", " — all as the CSV
// import reads them back.
std::unique_ptr<ExportWriter> csv_writer();
// A JSON array of citizens in the API's resource shape.
std::unique_ptr<ExportWriter> json_writer();

// One CSV cell of text typed by people: OWASP "CSV injection" — a cell beginning with = + - @,
// a tab or a carriage return would be run as a formula by a spreadsheet, so it gets a leading
// apostrophe; then RFC 4180 quoting where the text needs it.
std::string csv_text_cell(std::string_view text);

} // namespace teilhabe::exports
