#pragma once
// An export of the people a filter selects (SPEC "Citizen data hub": export of a filtered list).
// It pages through the same filter as the list, in id order from a cursor, one transaction per
// page: an export of any size holds neither all rows in memory nor a transaction open while a
// slow client downloads (on PostgreSQL an open transaction delays every activity consumer, see
// docs/decisions.md). The price: a person changed while the export runs appears as their page
// found them, and people added meanwhile with a higher id are included.
//
// Every export is in the audit log (GDPR Art. 5(2)): when it starts — who, from where, which
// format, the names of the filters (never their values, which can be personal data) — and when
// it ends, with the number of people, or when it is broken off.

#include "base/clock.h"
#include "citizens/citizen_query.h"
#include "db/database.h"
#include "exports/export_writer.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace teilhabe::exports {

constexpr int kExportPageSize = 500;

struct ExportRequest {
    ExportFormat format{ExportFormat::Csv};
    citizens::CitizenQuery query;          // the filters; limit and cursor are not used
    std::vector<std::string> filter_names; // for the audit log
    int page_size{kExportPageSize};        // people read per transaction
};

// The list's filters (q, district, tag, interest, field.<key>) and `format` (csv, xlsx, json;
// csv when absent). Refused by name: limit and cursor (an export is the whole list), and
// restricted=true — people whose processing is restricted (GDPR Art. 18) are never exported in
// bulk; their own data goes out through the GDPR export of the one person.
Result<ExportRequest>
parse_export_request(const std::vector<std::pair<std::string, std::string>>& params);

class CitizenExport {
public:
    // Reads the field definitions and the first page — which checks the filters: an unknown
    // field or topic is InvalidArgument naming the parameter — and records the start.
    static Result<std::unique_ptr<CitizenExport>> start(db::Database& db, ExportRequest request,
                                                        std::unique_ptr<ExportWriter> writer,
                                                        citizens::Actor who, const Clock& clock);
    CitizenExport(const CitizenExport&) = delete;
    CitizenExport& operator=(const CitizenExport&) = delete;

    // Appends the next page's output to `out`; false once everything has been written. After
    // the last page the end is recorded. An error is recorded as a broken-off export.
    Result<bool> next(std::string& out);
    // The reader went away before the end: recorded as broken off (once).
    void cancelled();
    std::int64_t rows() const { return m_rows; }
    ExportFormat format() const { return m_request.format; }

private:
    CitizenExport(db::Database& db, ExportRequest request, std::unique_ptr<ExportWriter> writer,
                  citizens::Actor who, const Clock& clock);
    Result<citizens::CitizenPage> read_page(db::Connection& c) const;
    Result<bool> write_next(std::string& out);
    Result<void> record(const std::string& action, const std::string& what);
    std::string filters() const;

    db::Database& m_db;
    ExportRequest m_request;
    std::unique_ptr<ExportWriter> m_writer;
    citizens::Actor m_who;
    const Clock& m_clock;
    std::optional<ExportTable> m_table;
    std::optional<citizens::CitizenPage> m_pending; // the first page, read by start()
    std::int64_t m_after{0};
    std::int64_t m_rows{0};
    bool m_begun{false};
    bool m_done{false};
};

// Runs an export to its end, handing each page's output to `sink` (a file, standard output).
// Returns the number of people written.
Result<std::int64_t> run_to_end(CitizenExport& e,
                                const std::function<Result<void>(std::string_view)>& sink);

} // namespace teilhabe::exports
