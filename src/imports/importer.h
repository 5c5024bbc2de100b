#pragma once
// Import of citizens from a CSV file (SPEC "Citizen data hub"): columns mapped to profile
// members and custom fields, upsert by e-mail address, a report per row (line, column, why),
// and all or nothing: one transaction, rolled back when any row is refused or for a dry run.

#include "base/clock.h"
#include "citizens/citizen.h"
#include "db/database.h"
#include "imports/csv_reader.h"

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace teilhabe::imports {

// Where a column goes: "email", "first_name", "last_name", "language", "district",
// "preferred_channel", "tags", "interests", "attributes.<field key>", or "" to ignore it.
using Mapping = std::map<std::string, std::string>; // header text -> target

struct RowError {
    std::int64_t line{0};
    std::string column; // the header text of the column, empty when the row as a whole is wrong
    std::string message;
};

// Something about a whole column that is not an error (e.g. why it was not imported).
struct ColumnNote {
    std::string column;
    std::string message;
};

struct ImportReport {
    std::string encoding;
    char separator{','};
    std::map<std::string, std::string> columns; // header -> target actually used ("" ignored)
    std::int64_t rows{0};
    std::int64_t created{0};
    std::int64_t updated{0};
    std::int64_t unchanged{0};
    std::int64_t error_count{0};
    std::vector<RowError> errors; // the first kMaxReportedErrors
    std::vector<ColumnNote> notes;
    bool applied{false}; // true only when the changes were committed
};
constexpr std::size_t kMaxReportedErrors = 1000;

struct ImportOptions {
    enum class Mode { Apply, DryRun };
    Mode mode{Mode::Apply};
    Mapping mapping; // overrides the automatic mapping for the columns it names
    // Called now and then with the bytes read so far (for a progress bar).
    std::function<void(std::uint64_t bytes, std::int64_t rows)> progress;
    // Inside the import's transaction (the job that imports an uploaded file): `on_begin` before
    // the first row — an error ends the import without a change —, and `before_commit` with
    // the report just before the changes commit, so that a record of the import commits with
    // them or not at all.
    std::function<Result<void>(db::Connection&)> on_begin;
    std::function<Result<void>(db::Connection&, const ImportReport&)> before_commit;
};

nlohmann::json to_json(const ImportReport& r);

// Runs the import. Errors in rows are in the report (nothing is written then); a returned
// Error means the file could not be read at all or the database failed.
Result<ImportReport> import_citizens(db::Database& db, std::istream& csv,
                                     const ImportOptions& options, const citizens::Actor& who,
                                     const Clock& clock);

} // namespace teilhabe::imports
