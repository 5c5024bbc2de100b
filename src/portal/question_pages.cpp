// Progressive profiling: GET /portal/questions shows up to three of the questions staff marked
// for the portal, each its own small form with "save" and "not now"; POST answers one (into the
// profile, activity portal.answered) or declines it (it rests for the configured pause). The
// home page shows the first of them as a card that posts here too.

#include "citizens/field_store.h"
#include "portal/me_pages.h"
#include "portal/me_service.h"
#include "portal/me_support.h"
#include "web/respond.h"

namespace teilhabe::portal::detail {

namespace {

using nlohmann::json;

// Where a question's form came from, and so where the answer leads back to.
std::string back_to(const std::string& next) {
    return next == "/portal" ? "/portal" : "/portal/questions";
}

http::Response render(web::RouteContext& ctx, int status, const ProfilingPolicy& policy,
                      const Retry& retry) {
    auto questions = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) {
        return open_questions(c, me(ctx), policy, ctx.app.clock);
    });
    if (!questions)
        return failure(ctx, questions.error(), "portal questions");
    auto cards = question_cards(ctx, *questions, retry, "/portal/questions");
    json data{{"questions", cards},
              {"has_questions", !cards.empty()},
              {"answered", ctx.req.query_param("answered").has_value()},
              {"declined", ctx.req.query_param("declined").has_value()}};
    return web::page(ctx, status, "portal_questions", std::move(data),
                     tr(ctx, "portal_questions.title"));
}

} // namespace

json question_cards(const web::RouteContext& ctx,
                    const std::vector<citizens::FieldDefinition>& questions, const Retry& retry,
                    const std::string& next) {
    json cards = json::array();
    for (const auto& q : questions) {
        bool again = retry.key == q.key;
        cards.push_back(
            {{"key", q.key},
             {"next", next},
             {"control", field_control(ctx, q, again ? retry.texts : std::vector<std::string>{},
                                       again ? retry.errors : FieldErrors{}, Blank::Omit)},
             {"label", field_label(ctx, q)}});
    }
    return cards;
}

http::Response questions_page(web::RouteContext& ctx, const ProfilingPolicy& policy) {
    return render(ctx, 200, policy, {});
}

http::Response questions_submit(web::RouteContext& ctx, const ProfilingPolicy& policy) {
    auto form = http::parse_form(ctx.req.body);
    std::string key = web::form_value(form, "field");
    std::string next = back_to(web::form_value(form, "next"));
    auto rerender = [&](int status, const Retry& retry) {
        return next == "/portal" ? home_view(ctx, status, policy, retry)
                                 : render(ctx, status, policy, retry);
    };
    if (web::form_value(form, "action") == "decline") {
        auto done = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
            return decline_question(c, me(ctx), key, actor_of(ctx), ctx.app.clock);
        });
        if (!done)
            return failure(ctx, done.error(), "portal decline");
        return http::Response::redirect(next + "?declined=1");
    }
    auto field = ctx.app.db.transaction(
        db::TxMode::Read, [&](db::Connection& c) { return citizens::store::find_field(c, key); });
    if (!field)
        return failure(ctx, field.error(), "portal answer");
    if (!*field || !(*field)->ask_in_portal)
        return failure(ctx, Error::not_found("no such question"), "portal answer");
    Retry retry{key, form_values(form, "attr." + key), {}};
    auto value = read_value(ctx, **field, retry.texts, retry.errors);
    if (value && value->is_null())
        retry.errors["attributes." + key] = tr(ctx, "portal_questions.empty");
    if (!value || value->is_null())
        return rerender(422, retry);
    auto done = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
        return answer_question(c, me(ctx), key, *value, policy, actor_of(ctx), ctx.app.clock);
    });
    if (!done) {
        if (done.error().code == ErrorCode::FailedPrecondition)
            return http::Response::redirect(next); // answered meanwhile (another tab)
        if (!add_error(ctx, done.error(), retry.errors))
            return failure(ctx, done.error(), "portal answer");
        return rerender(done.error().code == ErrorCode::InvalidArgument ? 422 : 409, retry);
    }
    return http::Response::redirect(next + "?answered=1");
}

} // namespace teilhabe::portal::detail
