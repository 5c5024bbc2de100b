// POST /api/v1/citizens/{id}/merge: another profile of the same person merged into this one.

#include "citizens/citizen_merge_store.h"
#include "citizens/route_support.h"
#include "http/problem.h"
#include "web/respond.h"

#include <fmt/format.h>

namespace teilhabe::citizens::detail {

// {"duplicate_id": 7, "prefer": {"first_name": "duplicate"}} -> 200 with the merged profile.
http::Response merge_citizen(web::RouteContext& ctx) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return http::problem(404, "Not Found", "There is no such citizen.");
    auto body = web::read_json_object(ctx.req);
    if (!body)
        return problem(body.error(), "citizen merge");
    auto in = parse_merge_input(*body);
    if (!in)
        return body_problem(in.error(), "citizen merge");
    auto merged = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
        return store::merge_citizens(c, *id, *in, actor_of(ctx), ctx.app.clock);
    });
    if (!merged)
        return body_problem(merged.error(), "citizen merge");
    return web::json(200, to_json(*merged));
}

} // namespace teilhabe::citizens::detail
