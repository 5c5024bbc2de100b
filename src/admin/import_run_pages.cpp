// /admin/imports/{id}: an import run by the job worker — how far it has come while it runs, then
// its report. With JavaScript, htmx fetches /admin/imports/{id}/progress every second and swaps
// it in until the run has ended; without, a link reloads the page.

#include "admin/citizen_pages.h"
#include "admin/import_views.h"
#include "admin/page_support.h"
#include "imports/import_run_store.h"
#include "jobs/worker.h"
#include "web/respond.h"
#include "web/templates.h"

#include <algorithm>
#include <fmt/format.h>

namespace teilhabe::admin {

using namespace detail;
using nlohmann::json;
using web::RouteContext;

namespace {

Result<std::optional<imports::ImportRun>> load_run(RouteContext& ctx, std::int64_t id) {
    auto run = TRY(ctx.app.db.transaction(
        db::TxMode::Read, [&](db::Connection& c) { return imports::store::find_run(c, id); }));
    // A run in this process reports its rows as it goes; on SQLite the table learns them only
    // at the end (jobs/progress_board.h).
    if (run && run->state == imports::RunState::Running && ctx.app.worker)
        if (auto p = ctx.app.worker->progress().get(imports::import_job_key(id));
            p && p->done > run->rows_done)
            run->rows_done = p->done;
    return run;
}

json progress_view(RouteContext& ctx, const imports::ImportRun& run) {
    bool polling = !imports::is_final(run.state);
    auto total = run.rows_total.value_or(0);
    auto percent = total > 0 ? std::min<std::int64_t>(100, run.rows_done * 100 / total) : 0;
    std::string page = fmt::format("/admin/imports/{}", run.id);
    return {{"polling", polling},
            {"poll_url", page + "/progress"},
            {"page_url", page},
            {"state", tr(ctx, std::string("import.state_") + to_string(run.state))},
            {"counted", run.rows_total.has_value()},
            {"done", std::to_string(run.rows_done)},
            {"total", std::to_string(total)},
            {"percent", std::to_string(percent)},
            {"progress_text", run.rows_total ? fmt::format(fmt::runtime(tr(ctx, "import.progress")),
                                                           run.rows_done, total)
                                             : tr(ctx, "import.waiting")},
            {"error", opt(run.error)},
            {"report_html", report_html(ctx, run.report)}};
}

std::string progress_html(RouteContext& ctx, const imports::ImportRun& run) {
    auto html = web::render_template("import_progress", progress_view(ctx, run), ctx.locale);
    return html ? *html : std::string{};
}

template <class F> http::Response with_run(RouteContext& ctx, F&& fn) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return not_found(ctx);
    auto run = load_run(ctx, *id);
    if (!run)
        return failure(ctx, run.error(), "import run");
    if (!*run)
        return not_found(ctx);
    return fn(**run);
}

} // namespace

http::Response import_run_page(RouteContext& ctx) {
    return with_run(ctx, [&](const imports::ImportRun& run) {
        json data{{"file", run.file_name.empty() ? "–" : run.file_name},
                  {"when", web::display_time(ctx.locale, run.created_at)},
                  {"progress_html", progress_html(ctx, run)}};
        return web::page(ctx, 200, "import_run", data, tr(ctx, "import.run_title"));
    });
}

// The part of the page that htmx swaps in (no layout around it).
http::Response import_run_progress(RouteContext& ctx) {
    return with_run(ctx, [&](const imports::ImportRun& run) {
        return http::Response::html(200, progress_html(ctx, run));
    });
}

} // namespace teilhabe::admin
