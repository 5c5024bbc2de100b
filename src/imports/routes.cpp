#include "imports/routes.h"

#include "http/problem.h"
#include "imports/importer.h"
#include "web/respond.h"

#include <sstream>

namespace teilhabe::imports {

using http::Method;
using staff::Permission;
using web::Surface;

namespace {

// POST /api/v1/imports?dry_run=true&map.Wohnort=district with the file as the body. The answer
// is the report: 200 when imported (or a clean dry run), 422 with the per-row errors otherwise.
http::Response import_csv(web::RouteContext& ctx) {
    auto type = ctx.req.header("content-type").value_or("");
    if (!type.starts_with("text/csv") && !type.starts_with("application/csv"))
        return http::problem(415, "Unsupported Media Type",
                             "Send the file as the body with Content-Type: text/csv.");
    ImportOptions options;
    for (const auto& [name, value] : http::parse_form(ctx.req.query)) {
        if (name == "dry_run")
            options.mode = value == "true" || value == "1" ? ImportOptions::Mode::DryRun
                                                            : ImportOptions::Mode::Apply;
        else if (name.starts_with("map."))
            options.mapping[name.substr(4)] = value;
    }
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

} // namespace

// Who may import, on one screen.
std::vector<web::RouteDef> routes() {
    return {
        {Method::Post, "/api/v1/imports", Permission::ImportCitizens, Surface::Api, import_csv},
    };
}

} // namespace teilhabe::imports
