// Handlers of /api/v1/citizens: HTTP in, domain and store, JSON out.

#include "citizens/citizen_store.h"
#include "citizens/route_support.h"
#include "citizens/store_support.h"
#include "citizens/text.h"
#include "delivery/wakeup.h"
#include "gdpr/gdpr_store.h"
#include "http/problem.h"
#include "web/respond.h"

#include <fmt/format.h>

namespace teilhabe::citizens::detail {

namespace {

http::Response no_such_citizen(const std::string& id) {
    // The path is echoed only when it is printable text (JSON cannot carry broken UTF-8).
    bool printable = id.size() <= 40 && valid_utf8(id) && !has_control_chars(id, Lines::Single);
    return http::problem(404, "Not Found",
                         printable ? fmt::format("There is no citizen {}.", id)
                                   : std::string("There is no such citizen."));
}

// Runs a write transaction on the citizen named in the path; 404 when the id is not one.
template <class F> http::Response with_citizen(web::RouteContext& ctx, F&& fn) {
    std::string raw = ctx.req.param("id");
    auto id = parse_id(raw);
    if (!id)
        return no_such_citizen(raw);
    return fn(*id);
}

} // namespace

http::Response create_citizen(web::RouteContext& ctx) {
    auto body = web::read_json_object(ctx.req);
    if (!body)
        return problem(body.error(), "citizens");
    auto in = parse_citizen_input(*body, InputMode::Create);
    if (!in)
        return body_problem(in.error(), "citizens");
    auto created = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
        return store::create_citizen(c, *in, actor_of(ctx), ctx.app.clock);
    });
    if (!created)
        return body_problem(created.error(), "citizens");
    auto r = web::json(201, to_json(*created));
    r.set_header("Location", fmt::format("/api/v1/citizens/{}", created->id));
    return r;
}

// A list shows personal data of many people at once, so it is audited like a read, with the
// number of profiles shown (GDPR Art. 5(2)).
http::Response list_citizens(web::RouteContext& ctx) {
    auto params = http::parse_form(ctx.req.query);
    auto query = parse_citizen_query(params);
    if (!query)
        return problem(query.error(), "citizens");
    // The names of the filters, not their values: a search term can itself be personal data.
    std::string filters;
    for (const auto& [name, _] : params)
        if (name != "limit" && name != "cursor")
            filters += (filters.empty() ? "" : ", ") + name;
    auto page =
        ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<CitizenPage> {
            auto p = TRY(store::list_citizens(c, *query));
            TRY(audit(c, actor_of(ctx), "citizen.listed", "",
                      fmt::format("{} profiles; filters: {}", p.items.size(),
                                  filters.empty() ? "none" : filters),
                      ctx.app.clock));
            // Every item is a full profile: a read of each person, so that the data-protection
            // officer finds it under the person it concerns.
            for (const auto& person : p.items)
                TRY(audit(c, actor_of(ctx), "citizen.read", fmt::format("citizen:{}", person.id),
                          "in a list", ctx.app.clock));
            return p;
        });
    if (!page)
        return problem(page.error(), "citizens");
    nlohmann::json items = nlohmann::json::array();
    for (const auto& c : page->items)
        items.push_back(to_json(c));
    return web::json(200, {{"items", items},
                           {"next_cursor", page->next_cursor ? nlohmann::json(*page->next_cursor)
                                                             : nlohmann::json(nullptr)}});
}

http::Response get_citizen(web::RouteContext& ctx) {
    return with_citizen(ctx, [&](std::int64_t id) {
        auto found = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
            return store::read_citizen(c, id, actor_of(ctx), ctx.app.clock);
        });
        if (!found)
            return problem(found.error(), "citizens");
        return web::json(200, to_json(*found));
    });
}

http::Response patch_citizen(web::RouteContext& ctx) {
    return with_citizen(ctx, [&](std::int64_t id) {
        auto body = web::read_json_object(ctx.req);
        if (!body)
            return problem(body.error(), "citizens");
        auto in = parse_citizen_input(*body, InputMode::Patch);
        if (!in)
            return body_problem(in.error(), "citizens");
        auto updated =
            ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<Citizen> {
                auto before = TRY(store::find_citizen(c, id));
                auto after = TRY(store::update_citizen(c, id, *in, actor_of(ctx), ctx.app.clock));
                // A patch that changes nothing is not audited as a change, yet the answer is
                // the whole profile: a read.
                if (before && before->updated_at == after.updated_at)
                    TRY(audit(c, actor_of(ctx), "citizen.read", fmt::format("citizen:{}", id),
                              "answer to an unchanging PATCH", ctx.app.clock));
                return after;
            });
        if (!updated)
            return body_problem(updated.error(), "citizens");
        return web::json(200, to_json(*updated));
    });
}

http::Response delete_citizen(web::RouteContext& ctx) {
    return with_citizen(ctx, [&](std::int64_t id) {
        // DELETE is the erasure of GDPR Art. 17: the profile and everything about the person
        // in every table (gdpr/personal_data.cpp), not only the profile row.
        auto done = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
            return gdpr::erase_person(c, id, {actor_of(ctx).id, actor_of(ctx).ip}, ctx.app.clock,
                                      ctx.app.before_erasure);
        });
        if (!done)
            return problem(done.error(), "citizens");
        if (ctx.app.mail_wakeup) // a place freed for someone waiting: their mail is queued
            ctx.app.mail_wakeup->notify();
        return http::Response::no_content();
    });
}

} // namespace teilhabe::citizens::detail
