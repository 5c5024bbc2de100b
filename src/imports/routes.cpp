#include "imports/routes.h"

#include "http/problem.h"
#include "imports/import_run_store.h"
#include "imports/importer.h"
#include "jobs/worker.h"
#include "web/respond.h"

#include <charconv>
#include <fmt/format.h>
#include <sstream>

namespace teilhabe::imports {

using http::Method;
using staff::Permission;
using web::Surface;

namespace {

bool yes(const std::string& v) { return v == "true" || v == "1"; }

// ?async=true: the file is stored with a job for the worker; 202 with where to follow it.
http::Response start_run(web::RouteContext& ctx, const Mapping& mapping) {
    auto id = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
        return store::create_run(c, {"", ctx.req.body, mapping, {ctx.who.actor(), ctx.req.remote_addr}},
                                 ctx.app.clock);
    });
    if (!id)
        return web::api_error(id.error(), "import");
    if (ctx.app.worker)
        ctx.app.worker->notify();
    auto status = fmt::format("/api/v1/imports/{}", *id);
    auto r = web::json(202, {{"id", *id}, {"state", "queued"}, {"status_url", status}});
    r.set_header("Location", status);
    return r;
}

// POST /api/v1/imports?dry_run=true&map.Wohnort=district with the file as the body. The answer
// is the report: 200 when imported (or a clean dry run), 422 with the per-row errors otherwise.
// With async=true (not for a dry run) the import runs as a job: 202 and GET /api/v1/imports/{id}.
http::Response import_csv(web::RouteContext& ctx) {
    auto type = ctx.req.header("content-type").value_or("");
    if (!type.starts_with("text/csv") && !type.starts_with("application/csv"))
        return http::problem(415, "Unsupported Media Type",
                             "Send the file as the body with Content-Type: text/csv.");
    ImportOptions options;
    bool async = false;
    for (const auto& [name, value] : http::parse_form(ctx.req.query)) {
        if (name == "dry_run")
            options.mode = yes(value) ? ImportOptions::Mode::DryRun : ImportOptions::Mode::Apply;
        else if (name == "async")
            async = yes(value);
        else if (name.starts_with("map."))
            options.mapping[name.substr(4)] = value;
    }
    if (async && options.mode == ImportOptions::Mode::Apply)
        return start_run(ctx, options.mapping);
    std::istringstream body(ctx.req.body);
    auto report = import_citizens(ctx.app.db, body, options,
                                  {ctx.who.actor(), ctx.req.remote_addr}, ctx.app.clock);
    if (!report)
        return web::api_error(report.error(), "import");
    auto j = to_json(*report);
    if (report->error_count == 0)
        return web::json(200, j);
    // A problem (RFC 9457) that carries the report as an extension member.
    nlohmann::json problem{{"type", "about:blank"},
                           {"title", "Unprocessable Content"},
                           {"status", 422},
                           {"detail", std::to_string(report->error_count) +
                                          " rows cannot be imported; nothing was written."},
                           {"report", j}};
    auto r = http::Response::text(422, problem.dump(), "application/problem+json");
    return r;
}

// GET /api/v1/imports/{id}: an import run by the worker — state, rows done of total, report.
http::Response get_run(web::RouteContext& ctx) {
    std::string raw = ctx.req.param("id");
    std::int64_t id = 0;
    auto [p, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), id);
    if (ec != std::errc{} || p != raw.data() + raw.size() || id <= 0)
        return http::problem(404, "Not Found", "There is no such import.");
    auto run = ctx.app.db.transaction(db::TxMode::Read,
                                      [&](db::Connection& c) { return store::find_run(c, id); });
    if (!run)
        return web::api_error(run.error(), "import");
    if (!*run)
        return http::problem(404, "Not Found", fmt::format("There is no import {}.", id));
    if ((*run)->state == RunState::Running && ctx.app.worker)
        if (auto progress = ctx.app.worker->progress().get(import_job_key(id));
            progress && progress->done > (*run)->rows_done)
            (*run)->rows_done = progress->done;
    return web::json(200, to_json(**run));
}

} // namespace

// Who may import, on one screen.
std::vector<web::RouteDef> routes() {
    return {
        {Method::Post, "/api/v1/imports", Permission::ImportCitizens, Surface::Api, import_csv},
        {Method::Get, "/api/v1/imports/{id}", Permission::ImportCitizens, Surface::Api, get_run},
    };
}

} // namespace teilhabe::imports
