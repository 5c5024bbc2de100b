// /portal/surveys: the open surveys whose audience the signed-in person is in (those already
// answered marked so), the answer form (fieldsets and legends, an error summary and a message
// beside each question, the answers kept on an error), and the thank-you page with the points.
// The person is always the one signed in, never taken from the address.

#include "surveys/handlers.h"
#include "surveys/support.h"
#include "web/respond.h"

#include <algorithm>
#include <fmt/format.h>

namespace teilhabe::surveys::pages {

using namespace detail;
using nlohmann::json;
using web::RouteContext;

namespace {

std::int64_t me(const RouteContext& ctx) {
    return ctx.who.citizen->citizen_id;
}

// kainjow treats "" as true in a section: empty texts go in as null.
json text_or_null(const std::string& s) {
    return s.empty() ? json(nullptr) : json(s);
}

using Problems = std::map<std::string, std::string>; // question id -> message

json choice(const std::string& input_id, const std::string& value, const std::string& label,
            bool checked) {
    return {{"input_id", input_id}, {"value", value}, {"label", label}, {"checked", checked}};
}

bool chosen(const json& answer, const std::string& value) {
    if (answer.is_string())
        return answer.get<std::string>() == value;
    if (answer.is_number_integer())
        return std::to_string(answer.get<std::int64_t>()) == value;
    if (answer.is_array())
        return std::ranges::any_of(answer,
                                   [&](const json& a) { return a.is_string() && a == value; });
    return false;
}

json question_view(const RouteContext& ctx, const Question& q, std::size_t n, const json& answers,
                   const Problems& problems) {
    const json none;
    const json& a = answers.contains(q.id) ? answers[q.id] : none;
    auto err = problems.find(q.id);
    json v{{"id", q.id},
           {"n", n},
           {"text", q.text},
           {"required", q.required},
           {"has_error", err != problems.end()},
           {"error", err != problems.end() ? json(err->second) : json(nullptr)}};
    json options = json::array();
    switch (q.kind) {
    case QuestionKind::FreeText:
        v["is_text"] = true;
        v["value"] = a.is_string() ? a.get<std::string>() : "";
        v["first_input"] = q.id;
        return v;
    case QuestionKind::Matrix: {
        json rows = json::array();
        for (std::size_t r = 0; r < q.rows.size(); ++r) {
            json cells = json::array();
            auto name = fmt::format("{}_r{}", q.id, r + 1);
            const json& row_answer = a.is_object() && a.contains(q.rows[r]) ? a[q.rows[r]] : none;
            for (std::size_t o = 0; o < q.options.size(); ++o)
                cells.push_back(choice(fmt::format("{}-{}", name, o + 1), q.options[o],
                                       q.options[o], chosen(row_answer, q.options[o])));
            rows.push_back({{"name", name}, {"text", q.rows[r]}, {"options", cells}});
        }
        v["is_matrix"] = true;
        v["describedby"] = err != problems.end() ? json(q.id + "-error") : json(nullptr);
        v["rows"] = rows;
        v["first_input"] = fmt::format("{}_r1-1", q.id);
        return v;
    }
    case QuestionKind::MultipleChoice:
        v["is_multi"] = true;
        break;
    case QuestionKind::Rating:
        v["hint"] = tr(ctx, "surveys.rating_hint");
        v["is_radios"] = true;
        break;
    case QuestionKind::Scale:
        v["hint"] = tr(ctx, "surveys.scale_hint");
        v["is_radios"] = true;
        break;
    case QuestionKind::SingleChoice:
        v["is_radios"] = true;
        break;
    }
    auto labels = value_labels(q);
    for (std::size_t o = 0; o < labels.size(); ++o)
        options.push_back(
            choice(fmt::format("{}-{}", q.id, o + 1), labels[o], labels[o], chosen(a, labels[o])));
    v["options"] = options;
    std::string described = v.contains("hint") ? q.id + "-hint" : "";
    if (err != problems.end())
        described += (described.empty() ? "" : " ") + q.id + "-error";
    v["describedby"] = described.empty() ? json(nullptr) : json(described);
    v["inline"] = q.kind == QuestionKind::Rating || q.kind == QuestionKind::Scale;
    v["first_input"] = fmt::format("{}-1", q.id);
    return v;
}

struct FormState {
    Survey survey;
    bool answered{false};
};

// The survey for this person: open now, and they are in its audience (NotFound otherwise).
Result<FormState> open_for_me(RouteContext& ctx, db::Connection& c) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return fail(Error::not_found("no such survey"));
    auto s = TRY(store::find(c, *id));
    if (!s || closed_reason(*s, ctx.app.clock.now_ms()) ||
        !TRY(store::in_audience(c, s->audience, me(ctx))))
        return fail(Error::not_found("no such survey"));
    return FormState{*s, TRY(store::has_answered(c, s->id, me(ctx)))};
}

http::Response render_form(RouteContext& ctx, int status, const FormState& st, const json& answers,
                           const std::vector<AnswerProblem>& problems) {
    Problems by_question;
    json summary = json::array();
    for (const auto& p : problems) {
        if (p.position == 0 || by_question.contains(p.question_id))
            continue;
        auto msg = tr(ctx, std::string("surveys.answer_") + to_string(p.kind));
        by_question[p.question_id] = msg;
    }
    json qs = json::array();
    for (std::size_t i = 0; i < st.survey.questions.size(); ++i) {
        auto v = question_view(ctx, st.survey.questions[i], i + 1, answers, by_question);
        if (v["has_error"].get<bool>())
            summary.push_back({{"href", "#" + v["first_input"].get<std::string>()},
                               {"message", fmt::format("{} {}: {}", tr(ctx, "surveys.question"),
                                                       i + 1, v["error"].get<std::string>())}});
        qs.push_back(std::move(v));
    }
    json data{{"id", st.survey.id},
              {"title", st.survey.title},
              {"description", text_or_null(st.survey.description)},
              {"anonymous", st.survey.anonymous},
              {"answered", st.answered},
              {"questions", qs},
              {"has_errors", !summary.empty()},
              {"errors", summary},
              {"closes", st.survey.closes_at_ms
                             ? json(web::display_time(ctx.locale, *st.survey.closes_at_ms))
                             : json(nullptr)}};
    return web::page(ctx, status, "portal_survey", data, st.survey.title);
}

} // namespace

http::Response portal_list(RouteContext& ctx) {
    auto items = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) {
        return store::for_citizen(c, me(ctx), ctx.app.clock.now_ms());
    });
    if (!items)
        return page_failure(ctx, items.error(), "portal surveys");
    json open = json::array(), done = json::array();
    for (const auto& it : *items) {
        json v{{"title", it.survey.title},
               {"description", text_or_null(it.survey.description)},
               {"href", fmt::format("/portal/surveys/{}", it.survey.id)},
               {"questions", it.survey.questions.size()},
               {"anonymous", it.survey.anonymous},
               {"closes", it.survey.closes_at_ms
                              ? json(web::display_time(ctx.locale, *it.survey.closes_at_ms))
                              : json(nullptr)}};
        (it.answered ? done : open).push_back(std::move(v));
    }
    json data{{"open", open},
              {"has_open", !open.empty()},
              {"answered", done},
              {"has_answered", !done.empty()}};
    return web::page(ctx, 200, "portal_surveys", data, tr(ctx, "surveys.portal_title"));
}

http::Response portal_form(RouteContext& ctx) {
    auto st = ctx.app.db.transaction(db::TxMode::Read,
                                     [&](db::Connection& c) { return open_for_me(ctx, c); });
    if (!st)
        return page_failure(ctx, st.error(), "portal survey");
    return render_form(ctx, 200, *st, json::object(), {});
}

http::Response portal_submit(RouteContext& ctx) {
    auto st = ctx.app.db.transaction(db::TxMode::Read,
                                     [&](db::Connection& c) { return open_for_me(ctx, c); });
    if (!st)
        return page_failure(ctx, st.error(), "portal survey");
    auto answers = answers_from_form(st->survey, http::parse_form(ctx.req.body));
    std::vector<AnswerProblem> problems;
    auto done = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
        return store::submit(c,
                             {.survey_id = st->survey.id,
                              .citizen_id = me(ctx),
                              .answers = answers,
                              .actor = ctx.who.actor(),
                              .via = "portal"},
                             ctx.app.clock, &problems);
    });
    if (!done) {
        if (!problems.empty())
            return render_form(ctx, 422, *st, answers, problems);
        if (done.error().code == ErrorCode::AlreadyExists) {
            auto again = *st;
            again.answered = true;
            return render_form(ctx, 409, again, json::object(), {});
        }
        if (done.error().code == ErrorCode::FailedPrecondition)
            return web::error_page(ctx, 422, tr(ctx, "surveys.closed_now"));
        return page_failure(ctx, done.error(), "portal survey answer");
    }
    return http::Response::redirect(fmt::format("/portal/surveys/{}/thanks", st->survey.id));
}

http::Response portal_thanks(RouteContext& ctx) {
    auto data = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) -> Result<json> {
        auto id = parse_id(ctx.req.param("id"));
        auto s = id ? TRY(store::find(c, *id)) : std::nullopt;
        if (!s || !TRY(store::has_answered(c, s->id, me(ctx))))
            return fail(Error::not_found("not answered"));
        auto points = TRY(store::points_for(c, s->id, me(ctx)));
        return json{{"title", s->title},
                    {"anonymous", s->anonymous},
                    {"awarded", points.awarded},
                    {"has_awarded", points.awarded > 0},
                    {"expected", points.expected},
                    {"has_expected", points.awarded == 0 && points.expected > 0}};
    });
    if (!data)
        return page_failure(ctx, data.error(), "portal survey thanks");
    return web::page(ctx, 200, "portal_survey_thanks", *data, tr(ctx, "surveys.thanks_title"));
}

} // namespace teilhabe::surveys::pages
