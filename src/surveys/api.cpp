// The surveys' API: definitions (list, create, read, change, delete), results as aggregates and
// as files, and the answers of a person handed in by another system.

#include "http/problem.h"
#include "surveys/handlers.h"
#include "surveys/results_export.h"
#include "surveys/support.h"
#include "web/respond.h"

#include <fmt/format.h>

namespace teilhabe::surveys::api {

using namespace detail;
using nlohmann::json;
using web::RouteContext;

namespace {

constexpr int kDefaultPage = 50, kMaxPage = 200;

json with_url(const RouteContext& ctx, const Survey& s) {
    auto out = to_json(s);
    out["portal_url"] = portal_url(ctx, s.id);
    return out;
}

// Department staff create and move surveys only within their own department.
Result<void> check_department(const store::Scope& scope, Survey& s, bool department_sent) {
    if (!scope.limited)
        return {};
    if (!department_sent)
        s.department_id = scope.department;
    if (s.department_id != scope.department)
        return fail(Error::denied("Department staff manage only their own department's surveys."));
    return {};
}

http::Response answers_problem(const std::vector<AnswerProblem>& problems) {
    json errors = json::array();
    for (const auto& p : problems)
        errors.push_back({{"field", p.question_id.empty() ? "answers" : "answers." + p.question_id},
                          {"question", p.question_id},
                          {"kind", to_string(p.kind)},
                          {"detail", p.message}});
    json body{
        {"type", "about:blank"},
        {"title", "Unprocessable Content"},
        {"status", 422},
        {"detail", problems.empty() ? "answers are not acceptable" : problems.front().message},
        {"errors", errors}};
    return http::Response::text(422, body.dump(), "application/problem+json");
}

} // namespace

http::Response list(RouteContext& ctx) {
    store::Filter f;
    f.limit = kDefaultPage;
    if (auto l = ctx.req.query_param("limit")) {
        auto n = parse_id(*l);
        if (!n || *n > kMaxPage)
            return api_problem(
                Error::invalid(fmt::format("limit must be between 1 and {}", kMaxPage), "limit"));
        f.limit = static_cast<int>(*n);
    }
    if (auto cur = ctx.req.query_param("cursor"); cur && !cur->empty()) {
        f.after_id = parse_id(*cur);
        if (!f.after_id)
            return api_problem(
                Error::invalid("cursor is not one this server handed out", "cursor"));
    }
    if (auto st = ctx.req.query_param("status"); st && !st->empty()) {
        f.status = parse_status(*st);
        if (!f.status)
            return api_problem(Error::invalid("status is draft, open or closed", "status"));
    }
    int want = f.limit;
    f.limit = want + 1;
    auto found = ctx.app.db.transaction(db::TxMode::Read,
                                        [&](db::Connection& c) -> Result<std::vector<Survey>> {
                                            f.scope = TRY(scope_of(c, ctx.who));
                                            return store::list(c, f);
                                        });
    if (!found)
        return api_problem(found.error());
    json out{{"items", json::array()}, {"next_cursor", nullptr}};
    bool more = static_cast<int>(found->size()) > want;
    if (more)
        found->pop_back();
    for (const auto& s : *found)
        out["items"].push_back(with_url(ctx, s));
    if (more && !found->empty())
        out["next_cursor"] = std::to_string(found->back().id);
    return web::json(200, out);
}

http::Response create(RouteContext& ctx) {
    auto body = web::read_json_object(ctx.req);
    if (!body)
        return api_problem(body.error());
    auto in = parse_survey_input(*body, InputMode::Create);
    if (!in)
        return api_problem(in.error());
    auto created =
        ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<Survey> {
            auto s = apply(Survey{}, *in);
            TRY(check_department(TRY(scope_of(c, ctx.who)), s, in->department_id.has_value()));
            return store::create(c, s, ctx.who.actor(), ctx.app.clock.now_ms());
        });
    if (!created)
        return api_problem(created.error());
    auto r = web::json(201, with_url(ctx, *created));
    r.set_header("Location", fmt::format("/api/v1/surveys/{}", created->id));
    return r;
}

http::Response get(RouteContext& ctx) {
    auto s = ctx.app.db.transaction(db::TxMode::Read,
                                    [&](db::Connection& c) { return scoped_survey(ctx, c); });
    if (!s)
        return api_problem(s.error());
    return web::json(200, with_url(ctx, *s));
}

http::Response patch(RouteContext& ctx) {
    auto body = web::read_json_object(ctx.req);
    if (!body)
        return api_problem(body.error());
    auto in = parse_survey_input(*body, InputMode::Patch);
    if (!in)
        return api_problem(in.error());
    auto updated =
        ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<Survey> {
            auto before = TRY(scoped_survey(ctx, c, store::Lock::ForUpdate));
            auto s = apply(before, *in);
            TRY(check_department(TRY(scope_of(c, ctx.who)), s, true));
            return store::update(c, s, ctx.app.clock.now_ms());
        });
    if (!updated)
        return api_problem(updated.error());
    return web::json(200, with_url(ctx, *updated));
}

http::Response remove(RouteContext& ctx) {
    auto done = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<void> {
        auto s = TRY(scoped_survey(ctx, c, store::Lock::ForUpdate));
        return store::remove(c, s.id);
    });
    if (!done)
        return api_problem(done.error());
    return http::Response::no_content();
}

http::Response results(RouteContext& ctx) {
    auto out = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) -> Result<json> {
        auto s = TRY(scoped_survey(ctx, c));
        auto sets = TRY(store::answer_sets(c, s.id));
        auto r = to_json(compute_results(s, sets));
        r["survey_id"] = s.id;
        r["participants"] = s.response_count;
        return r;
    });
    if (!out)
        return api_problem(out.error());
    return web::json(200, *out);
}

http::Response results_file(RouteContext& ctx) {
    bool xlsx = ctx.req.path.ends_with(".xlsx");
    auto data = ctx.app.db.transaction(
        db::TxMode::Read, [&](db::Connection& c) -> Result<std::pair<Survey, ExportSheet>> {
            auto s = TRY(scoped_survey(ctx, c));
            return std::pair{s, export_sheet(s, TRY(store::responses(c, s.id)))};
        });
    if (!data)
        return api_problem(data.error());
    auto name = fmt::format("umfrage-{}-ergebnisse", data->first.id);
    http::Response r;
    if (xlsx) {
        auto bytes = results_xlsx(data->second, data->first.title);
        if (!bytes)
            return api_problem(bytes.error());
        r = http::Response::text(
            200, *bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        name += ".xlsx";
    } else {
        r = http::Response::text(200, results_csv(data->second), "text/csv; charset=utf-8");
        name += ".csv";
    }
    r.set_header("Content-Disposition", fmt::format("attachment; filename=\"{}\"", name));
    return r;
}

// POST /api/v1/surveys/{id}/responses {"citizen_id": n, "answers": {...}}: 201; a second
// response of the person 409; answers that do not fit 422 listing each problem.
http::Response respond(RouteContext& ctx) {
    auto body = web::read_json_object(ctx.req);
    if (!body)
        return api_problem(body.error());
    if (!body->contains("citizen_id") || !(*body)["citizen_id"].is_number_integer())
        return api_problem(Error::invalid("citizen_id must be a whole number", "citizen_id"));
    if (!body->contains("answers") || !(*body)["answers"].is_object())
        return api_problem(
            Error::invalid("answers must be an object keyed by question id", "answers"));
    std::vector<AnswerProblem> problems;
    auto done =
        ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<std::int64_t> {
            auto s = TRY(scoped_survey(ctx, c));
            store::Submission sub{.survey_id = s.id,
                                  .citizen_id = (*body)["citizen_id"].get<std::int64_t>(),
                                  .answers = (*body)["answers"],
                                  .actor = ctx.who.actor(),
                                  .via = "api"};
            TRY(store::submit(c, sub, ctx.app.clock, &problems));
            return s.id;
        });
    if (!done) {
        if (!problems.empty())
            return answers_problem(problems);
        return api_problem(done.error());
    }
    return web::json(
        201,
        {{"survey_id", *done}, {"citizen_id", (*body)["citizen_id"]}, {"status", "completed"}});
}

} // namespace teilhabe::surveys::api
