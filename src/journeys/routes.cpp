// The journeys API (ManageJourneys: journeys mail many people, like campaigns).

#include "journeys/routes.h"

#include "http/problem.h"
#include "journeys/journey_store.h"
#include "web/respond.h"

#include <charconv>
#include <fmt/format.h>

namespace teilhabe::journeys {

using http::Method;
using staff::Permission;
using web::Surface;

namespace {

std::optional<std::int64_t> parse_id(std::string_view text) {
    std::int64_t n = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (text.empty() || ec != std::errc{} || p != text.data() + text.size() || n <= 0)
        return std::nullopt;
    return n;
}

http::Response problem(const Error& e) {
    if (e.code == ErrorCode::InvalidArgument && !e.field.empty())
        return http::problem(422, "Unprocessable Content", e.message, e.field);
    return web::api_error(e, "journeys");
}

http::Response no_such_journey() { return http::problem(404, "Not Found", "There is no such journey."); }

store::Actor actor_of(const web::RouteContext& ctx) { return {ctx.who.actor(), ctx.req.remote_addr}; }

nlohmann::json stats_json(const std::vector<store::StepStats>& stats) {
    auto out = nlohmann::json::array();
    for (const auto& s : stats)
        out.push_back({{"step", s.step},
                       {"type", s.type},
                       {"entered", s.entered},
                       {"waiting", s.waiting},
                       {"done", s.done},
                       {"exited", s.exited},
                       {"failed", s.failed},
                       {"retrying", s.retrying},
                       {"last_error", s.last_error ? nlohmann::json(*s.last_error) : nlohmann::json(nullptr)}});
    return out;
}

nlohmann::json to_json(const Journey& j) {
    return {{"id", j.id},
            {"key", j.key.empty() ? nlohmann::json(nullptr) : nlohmann::json(j.key)},
            {"name", j.name},
            {"description", j.description},
            {"active", j.active},
            {"definition", j.definition_json},
            {"created_at", format_iso8601(j.created_at)},
            {"updated_at", format_iso8601(j.updated_at)}};
}

template <class F> http::Response with_id(web::RouteContext& ctx, F&& fn) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return no_such_journey();
    return fn(*id);
}

http::Response answer(const Result<Journey>& j, int status = 200) {
    if (!j)
        return j.error().code == ErrorCode::NotFound ? no_such_journey() : problem(j.error());
    return web::json(status, to_json(*j));
}

} // namespace

std::vector<web::RouteDef> routes(ConditionEvaluator* conditions, QuietHours town_quiet_hours) {
    auto list = [](web::RouteContext& ctx) {
        auto all = ctx.app.db.transaction(db::TxMode::Read, [](db::Connection& c) { return store::list(c); });
        if (!all)
            return problem(all.error());
        auto items = nlohmann::json::array();
        for (const auto& j : *all)
            items.push_back(to_json(j));
        return web::json(200, {{"items", items}, {"next_cursor", nullptr}});
    };
    auto create = [conditions](web::RouteContext& ctx) {
        auto body = web::read_json_object(ctx.req);
        if (!body)
            return problem(body.error());
        auto in = parse_input(*body, InputMode::Create, conditions);
        if (!in)
            return problem(in.error());
        auto made = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
            return store::create(c, *in, actor_of(ctx), ctx.app.clock);
        });
        auto r = answer(made, 201);
        if (made)
            r.set_header("Location", fmt::format("/api/v1/journeys/{}", made->id));
        return r;
    };
    auto get = [](web::RouteContext& ctx) {
        return with_id(ctx, [&](std::int64_t id) {
            auto j = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) -> Result<Journey> {
                auto found = TRY(store::find(c, id));
                if (!found)
                    return fail(Error::not_found("no journey"));
                return *found;
            });
            return answer(j);
        });
    };
    auto patch = [conditions](web::RouteContext& ctx) {
        return with_id(ctx, [&](std::int64_t id) {
            auto body = web::read_json_object(ctx.req);
            if (!body)
                return problem(body.error());
            auto in = parse_input(*body, InputMode::Patch, conditions);
            if (!in)
                return problem(in.error());
            return answer(ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
                return store::update(c, id, *in, actor_of(ctx), ctx.app.clock);
            }));
        });
    };
    auto remove = [](web::RouteContext& ctx) {
        return with_id(ctx, [&](std::int64_t id) {
            auto done = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
                return store::remove(c, id, actor_of(ctx), ctx.app.clock);
            });
            if (!done)
                return done.error().code == ErrorCode::NotFound ? no_such_journey() : problem(done.error());
            return http::Response::no_content();
        });
    };
    auto switcher = [](bool on) {
        return [on](web::RouteContext& ctx) {
            return with_id(ctx, [&](std::int64_t id) {
                return answer(ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
                    return store::set_active(c, id, on, actor_of(ctx), ctx.app.clock);
                }));
            });
        };
    };
    auto statistics = [](web::RouteContext& ctx) {
        return with_id(ctx, [&](std::int64_t id) {
            auto out = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) -> Result<nlohmann::json> {
                auto j = TRY(store::find(c, id));
                if (!j)
                    return fail(Error::not_found("no journey"));
                auto t = TRY(store::totals(c, id));
                return nlohmann::json{{"journey_id", id},
                                      {"active", t.active},
                                      {"done", t.done},
                                      {"exited", t.exited},
                                      {"steps", stats_json(TRY(store::statistics(c, *j)))}};
            });
            if (!out)
                return out.error().code == ErrorCode::NotFound ? no_such_journey() : problem(out.error());
            return web::json(200, *out);
        });
    };
    // Who may do what with journeys, on one screen.
    std::vector<web::RouteDef> out = {
        {Method::Get, "/api/v1/journeys", Permission::ManageJourneys, Surface::Api, list},
        {Method::Post, "/api/v1/journeys", Permission::ManageJourneys, Surface::Api, create},
        {Method::Get, "/api/v1/journeys/{id}", Permission::ManageJourneys, Surface::Api, get},
        {Method::Patch, "/api/v1/journeys/{id}", Permission::ManageJourneys, Surface::Api, patch},
        {Method::Delete, "/api/v1/journeys/{id}", Permission::ManageJourneys, Surface::Api, remove},
        {Method::Post, "/api/v1/journeys/{id}/activate", Permission::ManageJourneys, Surface::Api, switcher(true)},
        {Method::Post, "/api/v1/journeys/{id}/deactivate", Permission::ManageJourneys, Surface::Api, switcher(false)},
        {Method::Get, "/api/v1/journeys/{id}/statistics", Permission::ManageJourneys, Surface::Api, statistics},
    };
    for (auto& r : detail::page_routes(conditions, town_quiet_hours))
        out.push_back(std::move(r));
    return out;
}

} // namespace teilhabe::journeys
