// /admin/import: a CSV file uploaded as multipart/form-data, a dry run or the import, and the
// report (column mapping, counts, every refused row). Large files: the CLI shows progress.

#include "admin/citizen_pages.h"
#include "admin/page_support.h"
#include "imports/importer.h"
#include "web/multipart.h"
#include "web/respond.h"

#include <fmt/format.h>
#include <sstream>

namespace teilhabe::admin {

using namespace detail;
using nlohmann::json;
using web::RouteContext;

namespace {

http::Response render(RouteContext& ctx, int status, const std::string& error, bool dry_run,
                      json report) {
    json data{{"error", opt(error)}, {"dry_run", dry_run}, {"report", std::move(report)}};
    return web::page(ctx, status, "import", data, tr(ctx, "import.title"));
}

json report_view(const RouteContext& ctx, const imports::ImportReport& r) {
    json columns = json::array();
    for (const auto& [header, target] : r.columns)
        columns.push_back({{"header", header},
                           {"target", target.empty() ? tr(ctx, "import.ignored") : target}});
    json errors = json::array();
    for (const auto& e : r.errors)
        errors.push_back({{"line", std::to_string(e.line)},
                          {"column", e.column.empty() ? "–" : e.column},
                          {"message", e.message}});
    std::string outcome = r.applied            ? tr(ctx, "import.applied")
                          : r.error_count > 0  ? tr(ctx, "import.refused")
                                               : tr(ctx, "import.dry_run_ok");
    return {{"outcome", outcome},
            {"ok", r.error_count == 0},
            {"encoding", r.encoding},
            {"separator", std::string(1, r.separator)},
            {"columns", columns},
            {"rows", std::to_string(r.rows)},
            {"created", std::to_string(r.created)},
            {"updated", std::to_string(r.updated)},
            {"unchanged", std::to_string(r.unchanged)},
            {"error_count", std::to_string(r.error_count)},
            {"errors", errors},
            {"has_errors", !errors.empty()},
            {"more_errors", r.error_count > static_cast<std::int64_t>(r.errors.size())}};
}

} // namespace

http::Response import_form(RouteContext& ctx) { return render(ctx, 200, "", true, nullptr); }

http::Response import_submit(RouteContext& ctx) {
    auto parts = web::parse_multipart_request(ctx.req.header("content-type").value_or(""),
                                              ctx.req.body);
    if (!parts)
        return render(ctx, 400, tr(ctx, "import.bad_upload"), true, nullptr);
    bool dry_run = web::multipart_value(*parts, "mode") != "apply";
    const auto* file = web::multipart_file(*parts, "file");
    if (!file || file->body.empty())
        return render(ctx, 422, tr(ctx, "import.no_file"), dry_run, nullptr);
    imports::ImportOptions options;
    options.mode = dry_run ? imports::ImportOptions::Mode::DryRun : imports::ImportOptions::Mode::Apply;
    std::istringstream in(file->body);
    auto report = imports::import_citizens(ctx.app.db, in, options, actor_of(ctx), ctx.app.clock);
    if (!report) {
        if (report.error().code == ErrorCode::InvalidArgument)
            return render(ctx, 422, tr(ctx, "import.unreadable") + " " + report.error().message,
                          dry_run, nullptr);
        return failure(ctx, report.error(), "import");
    }
    return render(ctx, report->error_count > 0 ? 422 : 200, "", dry_run,
                  report_view(ctx, *report));
}

} // namespace teilhabe::admin
