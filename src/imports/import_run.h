#pragma once
// An import of an uploaded file run by the job worker (no SQL, no HTTP): the admin screen's
// import of a large file runs in the background and shows its progress, then the report. The
// import itself stays all or nothing (importer.h).

#include "base/error.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace teilhabe::imports {

// queued -> running -> done (imported) | refused (rows refused; nothing written) | failed (the
// file cannot be read, or the database failed on every attempt).
enum class RunState { Queued, Running, Done, Refused, Failed };
const char* to_string(RunState s);
std::optional<RunState> parse_run_state(std::string_view s);
inline bool is_final(RunState s) {
    return s == RunState::Done || s == RunState::Refused || s == RunState::Failed;
}

struct ImportRun {
    std::int64_t id{0};
    RunState state{RunState::Queued};
    std::string file_name;
    std::string actor;
    std::optional<std::int64_t> rows_total; // known once the worker has counted the rows
    std::int64_t rows_done{0};
    nlohmann::json report; // null until the run ends (see to_json(ImportReport))
    std::string error;     // why a run failed
    std::int64_t created_at{0};
    std::optional<std::int64_t> started_at;
    std::optional<std::int64_t> finished_at;
};

nlohmann::json to_json(const ImportRun& run);

// The job that runs an import: its kind, and the key that makes enqueueing it idempotent.
constexpr const char* kImportJobKind = "imports.run";
std::string import_job_key(std::int64_t run_id);

// Finished runs are deleted this long after they ended (their reports can quote e-mail
// addresses of refused rows; GDPR Art. 5(1)(e) storage limitation).
constexpr std::int64_t kRunRetentionMs = 30LL * 24 * 3600 * 1000;

} // namespace teilhabe::imports
