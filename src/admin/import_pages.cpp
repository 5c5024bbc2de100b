// /admin/import: a CSV file uploaded as multipart/form-data. A dry run is checked at once and
// its report shown; an import is handed to the job worker (import_run_pages.cpp shows its
// progress and then its report), so that a large file neither holds a request open nor runs
// into a proxy's time-out.

#include "admin/citizen_pages.h"
#include "admin/import_views.h"
#include "admin/page_support.h"
#include "imports/import_run_store.h"
#include "imports/importer.h"
#include "jobs/worker.h"
#include "web/multipart.h"
#include "web/respond.h"
#include "web/templates.h"

#include <fmt/format.h>
#include <sstream>

namespace teilhabe::admin {

using namespace detail;
using nlohmann::json;
using web::RouteContext;

namespace detail {

json report_view(const RouteContext& ctx, const json& r) {
    json columns = json::array();
    const json mapped = r.value("columns", json::object());
    for (const auto& [header, target] : mapped.items())
        columns.push_back(
            {{"header", header},
             {"target", target.get<std::string>().empty() ? tr(ctx, "import.ignored")
                                                          : target.get<std::string>()}});
    json errors = json::array();
    const json refused = r.value("errors", json::array());
    for (const auto& e : refused)
        errors.push_back({{"line", std::to_string(e.value("line", 0))},
                          {"column", e.value("column", "").empty() ? "–" : e.value("column", "")},
                          {"message", e.value("message", "")}});
    auto count = [&](const char* key) { return std::to_string(r.value(key, std::int64_t{0})); };
    bool applied = r.value("applied", false);
    auto error_count = r.value("error_count", std::int64_t{0});
    std::string outcome = applied           ? tr(ctx, "import.applied")
                          : error_count > 0 ? tr(ctx, "import.refused")
                                            : tr(ctx, "import.dry_run_ok");
    return {{"outcome", outcome},
            {"ok", error_count == 0},
            {"encoding", r.value("encoding", "")},
            {"separator", r.value("separator", "")},
            {"columns", columns},
            {"notes", r.value("notes", json::array())},
            {"rows", count("rows")},
            {"created", count("created")},
            {"updated", count("updated")},
            {"unchanged", count("unchanged")},
            {"error_count", count("error_count")},
            {"errors", errors},
            {"has_errors", !errors.empty()},
            {"more_errors", error_count > static_cast<std::int64_t>(errors.size())}};
}

std::string report_html(const RouteContext& ctx, const json& report) {
    if (!report.is_object())
        return {};
    auto html = web::render_template("import_report", report_view(ctx, report), ctx.locale);
    return html ? *html : std::string{};
}

} // namespace detail

namespace {

json recent_runs(RouteContext& ctx) {
    json out = json::array();
    auto runs = ctx.app.db.transaction(
        db::TxMode::Read, [](db::Connection& c) { return imports::store::recent_runs(c, 10); });
    if (runs)
        for (const auto& r : *runs)
            out.push_back({{"href", fmt::format("/admin/imports/{}", r.id)},
                           {"file", r.file_name.empty() ? "–" : r.file_name},
                           {"when", web::display_time(ctx.locale, r.created_at)},
                           {"state", tr(ctx, std::string("import.state_") + to_string(r.state))}});
    return out;
}

http::Response render(RouteContext& ctx, int status, const std::string& error, bool dry_run,
                      const json& report) {
    json data{{"error", opt(error)},
              {"dry_run", dry_run},
              {"report_html", report_html(ctx, report)},
              {"runs", recent_runs(ctx)}};
    data["has_runs"] = !data["runs"].empty();
    return web::page(ctx, status, "import", data, tr(ctx, "import.title"));
}

// The file goes into the database with its job, in one transaction; the worker takes it from
// there. The uploader sees the run's page.
http::Response start_run(RouteContext& ctx, const web::MultipartPart& file) {
    auto id = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
        return imports::store::create_run(
            c, {file.filename.value_or(""), file.body, {}, actor_of(ctx)}, ctx.app.clock);
    });
    if (!id)
        return failure(ctx, id.error(), "import");
    if (ctx.app.worker)
        ctx.app.worker->notify();
    return http::Response::redirect(fmt::format("/admin/imports/{}", *id));
}

} // namespace

http::Response import_form(RouteContext& ctx) {
    return render(ctx, 200, "", true, nullptr);
}

http::Response import_submit(RouteContext& ctx) {
    auto parts =
        web::parse_multipart_request(ctx.req.header("content-type").value_or(""), ctx.req.body);
    if (!parts)
        return render(ctx, 400, tr(ctx, "import.bad_upload"), true, nullptr);
    bool dry_run = web::multipart_value(*parts, "mode") != "apply";
    const auto* file = web::multipart_file(*parts, "file");
    if (!file || file->body.empty())
        return render(ctx, 422, tr(ctx, "import.no_file"), dry_run, nullptr);
    if (!dry_run)
        return start_run(ctx, *file);
    imports::ImportOptions options;
    options.mode = imports::ImportOptions::Mode::DryRun;
    std::istringstream in(file->body);
    auto report = imports::import_citizens(ctx.app.db, in, options, actor_of(ctx), ctx.app.clock);
    if (!report) {
        if (report.error().code == ErrorCode::InvalidArgument)
            return render(ctx, 422, tr(ctx, "import.unreadable") + " " + report.error().message,
                          dry_run, nullptr);
        return failure(ctx, report.error(), "import");
    }
    return render(ctx, report->error_count > 0 ? 422 : 200, "", dry_run, to_json(*report));
}

} // namespace teilhabe::admin
