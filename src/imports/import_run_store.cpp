#include "imports/import_run_store.h"

#include "jobs/job_store.h"

#include <fmt/format.h>

namespace teilhabe::imports::store {

namespace {

constexpr const char* kRunColumns = "id, state, file_name, actor, rows_total, rows_done, report, "
                                    "error, created_at, started_at, finished_at";

ImportRun run_from_row(const db::Row& r) {
    ImportRun run;
    run.id = r.get_int(0);
    run.state = parse_run_state(r.get_text(1)).value_or(RunState::Failed);
    run.file_name = r.get_text(2);
    run.actor = r.get_text(3);
    run.rows_total = r.get_opt_int(4);
    run.rows_done = r.get_int(5);
    if (auto report = r.get_opt_text(6))
        run.report = nlohmann::json::parse(*report, nullptr, false);
    if (run.report.is_discarded())
        run.report = nullptr;
    run.error = r.get_opt_text(7).value_or("");
    run.created_at = r.get_int(8);
    run.started_at = r.get_opt_int(9);
    run.finished_at = r.get_opt_int(10);
    return run;
}

} // namespace

Result<std::int64_t> create_run(db::Connection& c, const NewRun& run, const Clock& clock) {
    auto row = TRY(c.query_one(
        "INSERT INTO import_runs (state, file_name, content, mapping, actor, ip, created_at) "
        "VALUES ('queued', ?, ?, ?, ?, ?, ?) RETURNING id",
        {run.file_name, run.content, nlohmann::json(run.mapping).dump(), run.who.id, run.who.ip,
         clock.now_ms()}));
    auto id = row.get_int(0);
    TRY(jobs::enqueue(c,
                      {.kind = kImportJobKind,
                       .payload = nlohmann::json{{"run_id", id}}.dump(),
                       .unique_key = import_job_key(id),
                       .max_attempts = 3},
                      clock));
    return id;
}

Result<std::optional<ImportRun>> find_run(db::Connection& c, std::int64_t id) {
    auto rows =
        TRY(c.query(fmt::format("SELECT {} FROM import_runs WHERE id = ?", kRunColumns), {id}));
    if (rows.empty())
        return std::optional<ImportRun>{};
    return std::optional<ImportRun>(run_from_row(rows.first()));
}

Result<std::vector<ImportRun>> recent_runs(db::Connection& c, int limit) {
    auto rows =
        TRY(c.query(fmt::format("SELECT {} FROM import_runs ORDER BY id DESC LIMIT ?", kRunColumns),
                    {std::int64_t{limit}}));
    std::vector<ImportRun> out;
    for (const auto& r : rows.rows)
        out.push_back(run_from_row(r));
    return out;
}

Result<std::optional<RunInput>> load_input(db::Connection& c, std::int64_t id) {
    auto rows = TRY(
        c.query("SELECT state, content, mapping, actor, ip FROM import_runs WHERE id = ?", {id}));
    if (rows.empty())
        return std::optional<RunInput>{};
    const auto& r = rows.first();
    RunInput in;
    in.state = parse_run_state(r.get_text(0)).value_or(RunState::Failed);
    in.content = r.get_opt_text(1).value_or("");
    auto mapping = nlohmann::json::parse(r.get_text(2), nullptr, false);
    if (mapping.is_object())
        for (auto& [k, v] : mapping.items())
            if (v.is_string())
                in.mapping[k] = v.get<std::string>();
    in.who = {r.get_text(3), r.get_text(4)};
    return std::optional<RunInput>(std::move(in));
}

Result<std::optional<RunState>> run_state(db::Connection& c, std::int64_t id) {
    auto rows = TRY(c.query("SELECT state FROM import_runs WHERE id = ?", {id}));
    if (rows.empty())
        return std::optional<RunState>{};
    return parse_run_state(rows.first().get_text(0));
}

Result<void> mark_running(db::Connection& c, std::int64_t id, std::int64_t rows_total,
                          const Clock& clock) {
    TRY(c.query("UPDATE import_runs SET state = 'running', rows_total = ?, rows_done = 0, "
                "started_at = COALESCE(started_at, ?) WHERE id = ? AND state IN ('queued', "
                "'running')",
                {rows_total, clock.now_ms(), id}));
    return {};
}

Result<void> record_progress(db::Connection& c, std::int64_t id, std::int64_t rows_done) {
    TRY(c.query("UPDATE import_runs SET rows_done = ? WHERE id = ? AND state = 'running'",
                {rows_done, id}));
    return {};
}

Result<void> finish_run(db::Connection& c, std::int64_t id, RunState state,
                        const ImportReport* report, const std::string& error, const Clock& clock) {
    TRY(c.query("UPDATE import_runs SET state = ?, report = ?, error = ?, rows_done = "
                "COALESCE(?, rows_done), content = NULL, finished_at = ? WHERE id = ? AND state "
                "IN ('queued', 'running')",
                {to_string(state), report ? db::Value(to_json(*report).dump()) : db::null(),
                 error.empty() ? db::null() : db::Value(error),
                 report ? db::Value(report->rows) : db::null(), clock.now_ms(), id}));
    return {};
}

Result<std::int64_t> prune_runs(db::Connection& c, const Clock& clock) {
    auto r = TRY(c.query("DELETE FROM import_runs WHERE finished_at < ?",
                         {clock.now_ms() - kRunRetentionMs}));
    return r.affected;
}

} // namespace teilhabe::imports::store
