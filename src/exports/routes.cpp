#include "exports/routes.h"

#include "exports/temp_file.h"
#include "exports/xlsx_writer.h"
#include "web/respond.h"

#include <fmt/format.h>

namespace teilhabe::exports {

using http::Method;
using staff::Permission;
using web::Surface;

namespace {

// The HTTP body of a CSV or JSON export: each part is the next page, read when the server is
// ready to send it.
class ExportBody final : public http::BodyStream {
public:
    explicit ExportBody(std::unique_ptr<CitizenExport> e) : m_export(std::move(e)) {}
    Result<bool> next(std::string& out) override { return m_export->next(out); }
    void cancelled() override { m_export->cancelled(); }

private:
    std::unique_ptr<CitizenExport> m_export;
};

citizens::Actor actor_of(const web::RouteContext& ctx) {
    return {ctx.who.actor(), ctx.req.remote_addr};
}

// personen-2026-11-26.csv (the date in UTC, as all times for now).
std::string file_name(const Clock& clock, ExportFormat f) {
    return fmt::format("personen-{}.{}", format_iso8601(clock.now()).substr(0, 10), to_string(f));
}

Result<std::shared_ptr<http::BodyStream>> xlsx_body(web::RouteContext& ctx, ExportRequest request) {
    auto file = TRY(TempFile::create(".xlsx"));
    auto writer = TRY(xlsx_writer(file.path()));
    auto e = TRY(CitizenExport::start(ctx.app.db, std::move(request), std::move(writer),
                                      actor_of(ctx), ctx.app.clock));
    TRY(run_to_end(*e, [](std::string_view) { return Result<void>{}; }));
    return http::file_stream(TRY(file.open_and_unlink()));
}

// GET /api/v1/exports/citizens?format=csv|xlsx|json&<the list's filters>
http::Response export_citizens(web::RouteContext& ctx) {
    auto request = parse_export_request(http::parse_form(ctx.req.query));
    if (!request)
        return web::api_error(request.error(), "export");
    auto r = export_response(ctx, std::move(*request));
    if (!r)
        return web::api_error(r.error(), "export");
    return std::move(*r);
}

} // namespace

Result<http::Response> export_response(web::RouteContext& ctx, ExportRequest request) {
    auto format = request.format;
    http::Response r;
    if (format == ExportFormat::Xlsx) {
        r.stream = TRY(xlsx_body(ctx, std::move(request)));
    } else {
        auto writer = format == ExportFormat::Csv ? csv_writer() : json_writer();
        r.stream = std::make_shared<ExportBody>(TRY(CitizenExport::start(
            ctx.app.db, std::move(request), std::move(writer), actor_of(ctx), ctx.app.clock)));
    }
    r.set_header("Content-Type", content_type(format));
    r.set_header("Content-Disposition",
                 fmt::format("attachment; filename=\"{}\"", file_name(ctx.app.clock, format)));
    return r;
}

// Who may export, on one screen: a list of many people at once is more than reading profiles.
std::vector<web::RouteDef> routes() {
    return {
        {Method::Get, "/api/v1/exports/citizens", Permission::ExportCitizens, Surface::Api,
         export_citizens},
    };
}

} // namespace teilhabe::exports
