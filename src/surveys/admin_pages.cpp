// /admin/surveys: the list (with an empty state), the builder for a new or a changed survey
// (builder.h: works without JavaScript), opening and closing, deleting after a confirmation,
// and the portal link to paste into a campaign.

#include "surveys/builder.h"
#include "surveys/handlers.h"
#include "surveys/support.h"
#include "web/respond.h"

#include <fmt/format.h>

namespace teilhabe::surveys::pages {

using namespace detail;
using nlohmann::json;
using web::RouteContext;

namespace {

std::string status_label(const RouteContext& ctx, Status s) {
    return tr(ctx, std::string("surveys.status_") + to_string(s));
}

struct Choices {
    json topics = json::array(), segments = json::array(), departments = json::array();
    bool limited{false};
};

Result<Choices> choices(db::Connection& c, const RouteContext& ctx, const builder::Form& f) {
    Choices out;
    out.limited = TRY(scope_of(c, ctx.who)).limited;
    bool de = ctx.locale == web::Locale::De;
    for (const auto& r : TRY(c.query(fmt::format("SELECT key, {} FROM topics WHERE archived_at IS "
                                                 "NULL ORDER BY 2",
                                                 de ? "name_de" : "name_en")))
                             .rows)
        out.topics.push_back({{"value", r.get_text(0)},
                              {"label", r.get_text(1)},
                              {"selected", r.get_text(0) == f.topic}});
    for (const auto& r : TRY(c.query("SELECT id, name FROM segments ORDER BY name")).rows)
        out.segments.push_back({{"value", std::to_string(r.get_int(0))},
                                {"label", r.get_text(1)},
                                {"selected", std::to_string(r.get_int(0)) == f.segment}});
    for (const auto& r : TRY(c.query(fmt::format("SELECT id, {} FROM departments ORDER BY 2",
                                                 de ? "name_de" : "name_en")))
                             .rows)
        out.departments.push_back({{"value", std::to_string(r.get_int(0))},
                                   {"label", r.get_text(1)},
                                   {"selected", std::to_string(r.get_int(0)) == f.department}});
    return out;
}

http::Response render_builder(RouteContext& ctx, int status, const std::optional<Survey>& saved,
                              const builder::Form& f, const builder::Errors& errors) {
    auto ch = ctx.app.db.transaction(db::TxMode::Read,
                                     [&](db::Connection& c) { return choices(c, ctx, f); });
    if (!ch)
        return page_failure(ctx, ch.error(), "survey builder");
    bool locked = saved && saved->response_count > 0;
    auto data = builder::view(ctx, f, errors, locked);
    data["action"] = saved ? fmt::format("/admin/surveys/{}", saved->id) : "/admin/surveys/new";
    data["editing"] = saved.has_value();
    data["topics"] = ch->topics;
    data["segments"] = ch->segments;
    data["departments"] = ch->departments;
    data["choose_department"] = !ch->limited;
    if (saved) {
        data["id"] = saved->id;
        data["status"] = status_label(ctx, saved->status);
        data["is_draft"] = saved->status == Status::Draft;
        data["is_open"] = saved->status == Status::Open;
        data["is_closed"] = saved->status == Status::Closed;
        data["portal_url"] = portal_url(ctx, saved->id);
        data["responses"] = saved->response_count;
        data["results_href"] = fmt::format("/admin/surveys/{}/results", saved->id);
        data["delete_href"] = fmt::format("/admin/surveys/{}/delete", saved->id);
        data["deletable"] = saved->response_count == 0;
    }
    if (auto done = ctx.req.query_param("done"); done && !done->empty())
        data["notice"] = tr(ctx, "surveys.done_" + std::string(*done));
    return web::page(ctx, status, "survey_form", data,
                     tr(ctx, saved ? "surveys.edit_title" : "surveys.new_title"));
}

// Every button of the builder: changes the form, or (Save) stores the survey.
http::Response builder_post(RouteContext& ctx, std::optional<std::int64_t> id) {
    auto posted = http::parse_form(ctx.req.body);
    auto form = builder::read(posted);
    auto action = builder::action_of(posted);
    std::optional<Survey> saved;
    if (id) {
        auto found = ctx.app.db.transaction(
            db::TxMode::Read, [&](db::Connection& c) { return scoped_survey(ctx, c); });
        if (!found)
            return page_failure(ctx, found.error(), "survey builder");
        saved = *found;
    }
    if (action.kind != builder::Action::Kind::Save) {
        builder::perform(form, action);
        return render_builder(ctx, 200, saved, form, {});
    }
    builder::Errors errors;
    auto stored =
        ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<Survey> {
            Survey base = saved.value_or(Survey{});
            bool locked = saved && saved->response_count > 0;
            auto s = builder::to_survey(ctx, base, form, errors, locked);
            auto scope = TRY(scope_of(c, ctx.who));
            if (scope.limited)
                s.department_id = saved ? saved->department_id : scope.department;
            if (!errors.empty())
                return fail(Error::invalid("form"));
            auto now = ctx.app.clock.now_ms();
            return saved ? store::update(c, s, now) : store::create(c, s, ctx.who.actor(), now);
        });
    if (!stored) {
        const auto& e = stored.error();
        if (e.code == ErrorCode::Conflict)
            errors["questions"] = tr(ctx, "surveys.error_locked");
        else if (e.code != ErrorCode::InvalidArgument)
            return page_failure(ctx, e, "survey save");
        else if (e.field == "audience.topic" || e.field == "audience.segment_id")
            errors[e.field == "audience.topic" ? "topic" : "segment"] =
                tr(ctx, "surveys.error_audience");
        else if (errors.empty())
            errors["title"] = tr(ctx, "surveys.error_invalid");
        return render_builder(ctx, 422, saved, form, errors);
    }
    return http::Response::redirect(fmt::format("/admin/surveys/{}?done=saved", stored->id));
}

} // namespace

http::Response list(RouteContext& ctx) {
    auto all = ctx.app.db.transaction(db::TxMode::Read,
                                      [&](db::Connection& c) -> Result<std::vector<Survey>> {
                                          store::Filter f;
                                          f.scope = TRY(scope_of(c, ctx.who));
                                          f.limit = 500;
                                          return store::list(c, f);
                                      });
    if (!all)
        return page_failure(ctx, all.error(), "survey list");
    json rows = json::array();
    for (auto it = all->rbegin(); it != all->rend(); ++it)
        rows.push_back({{"title", it->title},
                        {"href", fmt::format("/admin/surveys/{}", it->id)},
                        {"results_href", fmt::format("/admin/surveys/{}/results", it->id)},
                        {"status", status_label(ctx, it->status)},
                        {"anonymous", it->anonymous},
                        {"responses", it->response_count},
                        {"questions", it->questions.size()}});
    json data{{"rows", rows}, {"has_rows", !rows.empty()}};
    if (auto done = ctx.req.query_param("done"); done && !done->empty())
        data["notice"] = tr(ctx, "surveys.done_" + std::string(*done));
    return web::page(ctx, 200, "survey_list", data, tr(ctx, "surveys.title"));
}

http::Response new_form(RouteContext& ctx) {
    builder::Form f;
    f.questions.push_back({});
    return render_builder(ctx, 200, std::nullopt, f, {});
}

http::Response create(RouteContext& ctx) {
    return builder_post(ctx, std::nullopt);
}

http::Response edit(RouteContext& ctx) {
    auto s = ctx.app.db.transaction(db::TxMode::Read,
                                    [&](db::Connection& c) { return scoped_survey(ctx, c); });
    if (!s)
        return page_failure(ctx, s.error(), "survey edit");
    return render_builder(ctx, 200, *s, builder::of(*s), {});
}

http::Response update(RouteContext& ctx) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return web::error_page(ctx, 404, tr(ctx, "error.not_found"));
    return builder_post(ctx, id);
}

// POST /admin/surveys/{id}/status to=open|closed|draft.
http::Response set_status(RouteContext& ctx) {
    auto posted = http::parse_form(ctx.req.body);
    auto to = parse_status(web::form_value(posted, "to"));
    if (!to)
        return web::error_page(ctx, 400, tr(ctx, "surveys.error_invalid"));
    auto done = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<Survey> {
        auto s = TRY(scoped_survey(ctx, c, store::Lock::ForUpdate));
        s.status = *to;
        return store::update(c, s, ctx.app.clock.now_ms());
    });
    if (!done) {
        if (done.error().code == ErrorCode::InvalidArgument) {
            auto s = ctx.app.db.transaction(
                db::TxMode::Read, [&](db::Connection& c) { return scoped_survey(ctx, c); });
            if (!s)
                return page_failure(ctx, s.error(), "survey status");
            builder::Errors errors{{"questions", tr(ctx, "surveys.error_questions")}};
            return render_builder(ctx, 422, *s, builder::of(*s), errors);
        }
        return page_failure(ctx, done.error(), "survey status");
    }
    return http::Response::redirect(
        fmt::format("/admin/surveys/{}?done={}", done->id, to_string(*to)));
}

http::Response confirm_delete(RouteContext& ctx) {
    auto s = ctx.app.db.transaction(db::TxMode::Read,
                                    [&](db::Connection& c) { return scoped_survey(ctx, c); });
    if (!s)
        return page_failure(ctx, s.error(), "survey delete");
    json data{{"title", s->title},
              {"id", s->id},
              {"deletable", s->response_count == 0},
              {"responses", s->response_count}};
    return web::page(ctx, 200, "survey_delete", data, tr(ctx, "surveys.delete_title"));
}

http::Response remove(RouteContext& ctx) {
    auto done = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<void> {
        auto s = TRY(scoped_survey(ctx, c, store::Lock::ForUpdate));
        return store::remove(c, s.id);
    });
    if (!done) {
        if (done.error().code == ErrorCode::Conflict)
            return web::error_page(ctx, 409, tr(ctx, "surveys.error_has_answers"));
        return page_failure(ctx, done.error(), "survey delete");
    }
    return http::Response::redirect("/admin/surveys?done=deleted");
}

} // namespace teilhabe::surveys::pages
