#include "imports/import_run.h"

#include "base/clock.h"

namespace teilhabe::imports {

const char* to_string(RunState s) {
    switch (s) {
    case RunState::Queued:
        return "queued";
    case RunState::Running:
        return "running";
    case RunState::Done:
        return "done";
    case RunState::Refused:
        return "refused";
    case RunState::Failed:
        return "failed";
    }
    return "queued";
}

std::optional<RunState> parse_run_state(std::string_view s) {
    for (auto st :
         {RunState::Queued, RunState::Running, RunState::Done, RunState::Refused, RunState::Failed})
        if (s == to_string(st))
            return st;
    return std::nullopt;
}

std::string import_job_key(std::int64_t run_id) {
    return std::string(kImportJobKind) + ":" + std::to_string(run_id);
}

nlohmann::json to_json(const ImportRun& run) {
    auto time = [](const std::optional<std::int64_t>& ms) {
        return ms ? nlohmann::json(format_iso8601(from_unix_ms(*ms))) : nlohmann::json(nullptr);
    };
    return {{"id", run.id},
            {"state", to_string(run.state)},
            {"file_name", run.file_name},
            {"rows_total", run.rows_total ? nlohmann::json(*run.rows_total) : nullptr},
            {"rows_done", run.rows_done},
            {"report", run.report},
            {"error", run.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(run.error)},
            {"created_at", format_iso8601(from_unix_ms(run.created_at))},
            {"started_at", time(run.started_at)},
            {"finished_at", time(run.finished_at)}};
}

} // namespace teilhabe::imports
