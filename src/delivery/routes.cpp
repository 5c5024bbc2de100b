// The delivery API. A bounce comes from the town's MTA or a relay's webhook adapter, i.e. an
// integration with an API key: it needs record_activities, the permission of other systems
// that report what happened (a bounce suppresses an address, so not public).

#include "delivery/routes.h"

#include "delivery/bounce.h"
#include "http/problem.h"
#include "web/respond.h"

#include <spdlog/spdlog.h>

namespace teilhabe::delivery {

using http::Method;
using staff::Permission;
using web::Surface;

namespace {

bool acceptable_type(std::string_view content_type) {
    auto type = content_type.substr(0, content_type.find(';'));
    return type == "message/rfc822" || type == "text/plain" || type == "multipart/report";
}

// POST /api/v1/bounces: the raw DSN (the whole message, headers included). The optional
// query parameter `recipient` is the address the MTA delivered the report to (the VERP
// address), when the report's To: header does not show it.
http::Response receive(web::RouteContext& ctx) {
    auto type = ctx.req.header("content-type").value_or("");
    if (!acceptable_type(type))
        return http::problem(415, "Unsupported Media Type",
                             "Send the report as message/rfc822 or text/plain.");
    auto dsn = parse_dsn(ctx.req.body);
    if (!dsn)
        return http::problem(422, "Unprocessable Content", dsn.error().message);
    auto recipient = ctx.req.query_param("recipient").value_or("");
    auto outcome = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
        return apply_dsn(c, *dsn, recipient, ctx.app.secret, ctx.app.clock);
    });
    if (!outcome)
        return web::api_error(outcome.error(), "bounces");
    spdlog::info("bounce report: {} hard, {} soft, {} other", outcome->hard, outcome->soft,
                 outcome->ignored);
    return web::json(200, to_json(*outcome));
}

} // namespace

std::vector<web::RouteDef> routes() {
    return {
        {Method::Post, "/api/v1/bounces", Permission::RecordActivities, Surface::Api, receive},
    };
}

} // namespace teilhabe::delivery
