#include "surveys/survey.h"

#include "base/clock.h"

#include <fmt/format.h>
#include <set>

namespace teilhabe::surveys {

namespace {

using nlohmann::json;
using json_input::nullable_time;
using json_input::text_member;

constexpr std::size_t kMaxQuestions = 100, kMaxOptions = 50, kMaxText = 1000;

Result<std::vector<std::string>> string_list(const json& v, const std::string& name) {
    std::vector<std::string> out;
    if (v.is_null())
        return out;
    if (!v.is_array())
        return fail(Error::invalid(fmt::format("{} must be an array of strings", name), name));
    for (const auto& item : v)
        out.push_back(TRY(text_member(item, name, 1, 200)));
    return out;
}

Result<Audience> parse_audience(const json& v) {
    if (!v.is_object() || !v.contains("kind") || !v["kind"].is_string())
        return fail(Error::invalid(
            "audience must be an object with kind everyone, topic or segment", "audience"));
    Audience a;
    auto kind = v["kind"].get<std::string>();
    if (kind == "everyone")
        return a;
    if (kind == "topic") {
        a.kind = Audience::Kind::Topic;
        a.topic_key = TRY(text_member(v.value("topic", json()), "audience.topic", 1, 100));
        return a;
    }
    if (kind == "segment") {
        a.kind = Audience::Kind::Segment;
        if (!v.value("segment_id", json()).is_number_integer())
            return fail(Error::invalid("audience.segment_id must be a whole number",
                                       "audience.segment_id"));
        a.segment_id = v["segment_id"].get<std::int64_t>();
        return a;
    }
    return fail(Error::invalid("audience.kind is everyone, topic or segment", "audience.kind"));
}

std::string question_field(std::size_t i, const char* member) {
    return fmt::format("questions[{}].{}", i + 1, member);
}

Result<void> validate_question(const Question& q, std::size_t i) {
    if (q.text.empty() || q.text.size() > kMaxText)
        return fail(Error::invalid(
            fmt::format("Question {} needs a text of 1 to {} characters", i + 1, kMaxText),
            question_field(i, "text")));
    if (has_options(q.kind)) {
        std::size_t min = 2;
        if (q.options.size() < min || q.options.size() > kMaxOptions)
            return fail(Error::invalid(
                fmt::format("Question {} needs between {} and {} options", i + 1, min, kMaxOptions),
                question_field(i, "options")));
        std::set<std::string> seen;
        for (const auto& o : q.options)
            if (o.empty() || !seen.insert(o).second)
                return fail(Error::invalid(
                    fmt::format("Question {}: the options must be different and not empty", i + 1),
                    question_field(i, "options")));
    } else if (!q.options.empty()) {
        return fail(
            Error::invalid(fmt::format("Question {} ({}) has no options", i + 1, to_string(q.kind)),
                           question_field(i, "options")));
    }
    if (q.kind == QuestionKind::Matrix) {
        std::set<std::string> seen;
        if (q.rows.empty() || q.rows.size() > kMaxOptions)
            return fail(Error::invalid(
                fmt::format("Question {} needs between 1 and {} rows", i + 1, kMaxOptions),
                question_field(i, "rows")));
        for (const auto& r : q.rows)
            if (r.empty() || !seen.insert(r).second)
                return fail(Error::invalid(
                    fmt::format("Question {}: the rows must be different and not empty", i + 1),
                    question_field(i, "rows")));
    } else if (!q.rows.empty()) {
        return fail(Error::invalid(fmt::format("Question {}: only a matrix has rows", i + 1),
                                   question_field(i, "rows")));
    }
    return {};
}

} // namespace

const char* to_string(QuestionKind k) {
    switch (k) {
    case QuestionKind::SingleChoice:
        return "single_choice";
    case QuestionKind::MultipleChoice:
        return "multiple_choice";
    case QuestionKind::FreeText:
        return "free_text";
    case QuestionKind::Rating:
        return "rating";
    case QuestionKind::Scale:
        return "scale";
    case QuestionKind::Matrix:
        return "matrix";
    }
    return "free_text";
}

std::optional<QuestionKind> parse_kind(std::string_view s) {
    for (auto k : {QuestionKind::SingleChoice, QuestionKind::MultipleChoice, QuestionKind::FreeText,
                   QuestionKind::Rating, QuestionKind::Scale, QuestionKind::Matrix})
        if (s == to_string(k))
            return k;
    return std::nullopt;
}

bool has_options(QuestionKind k) {
    return k == QuestionKind::SingleChoice || k == QuestionKind::MultipleChoice ||
           k == QuestionKind::Matrix;
}

const char* to_string(Status s) {
    switch (s) {
    case Status::Draft:
        return "draft";
    case Status::Open:
        return "open";
    case Status::Closed:
        return "closed";
    }
    return "draft";
}

std::optional<Status> parse_status(std::string_view s) {
    for (auto st : {Status::Draft, Status::Open, Status::Closed})
        if (s == to_string(st))
            return st;
    return std::nullopt;
}

void number_questions(Survey& s) {
    for (std::size_t i = 0; i < s.questions.size(); ++i)
        s.questions[i].id = fmt::format("q{}", i + 1);
}

std::vector<Error> definition_problems(const Survey& s) {
    std::vector<Error> out;
    if (s.title.empty() || s.title.size() > 200)
        out.push_back(Error::invalid("title must have between 1 and 200 characters", "title"));
    if (s.description.size() > 5000)
        out.push_back(
            Error::invalid("description must have at most 5000 characters", "description"));
    if (s.opens_at_ms && s.closes_at_ms && *s.closes_at_ms <= *s.opens_at_ms)
        out.push_back(Error::invalid("closes_at must be after opens_at", "closes_at"));
    if (s.audience.kind == Audience::Kind::Topic && s.audience.topic_key.empty())
        out.push_back(Error::invalid("audience.topic names the topic", "audience.topic"));
    if (s.audience.kind == Audience::Kind::Segment && s.audience.segment_id <= 0)
        out.push_back(
            Error::invalid("audience.segment_id names the segment", "audience.segment_id"));
    if (s.questions.size() > kMaxQuestions)
        out.push_back(Error::invalid(
            fmt::format("a survey has at most {} questions", kMaxQuestions), "questions"));
    if (s.status != Status::Draft && s.questions.empty())
        out.push_back(
            Error::invalid("a survey needs at least one question before it opens", "questions"));
    for (std::size_t i = 0; i < s.questions.size(); ++i)
        if (auto ok = validate_question(s.questions[i], i); !ok)
            out.push_back(ok.error());
    return out;
}

Result<void> validate(const Survey& s) {
    auto problems = definition_problems(s);
    if (!problems.empty())
        return fail(problems.front());
    return {};
}

std::optional<Closed> closed_reason(const Survey& s, std::int64_t now_ms) {
    if (s.status != Status::Open)
        return Closed::NotOpen;
    if (s.opens_at_ms && now_ms < *s.opens_at_ms)
        return Closed::NotYet;
    if (s.closes_at_ms && now_ms >= *s.closes_at_ms)
        return Closed::Over;
    return std::nullopt;
}

const char* to_string(Closed c) {
    switch (c) {
    case Closed::NotOpen:
        return "not_open";
    case Closed::NotYet:
        return "not_yet";
    case Closed::Over:
        return "over";
    }
    return "not_open";
}

Error to_error(Closed c) {
    switch (c) {
    case Closed::NotOpen:
        return Error::precondition("The survey is not open.");
    case Closed::NotYet:
        return Error::precondition("The survey has not started yet.");
    case Closed::Over:
        return Error::precondition("The survey has ended.");
    }
    return Error::precondition("The survey is not open.");
}

Result<std::vector<Question>> parse_questions(const json& v) {
    if (!v.is_array())
        return fail(Error::invalid("questions must be an array", "questions"));
    std::vector<Question> out;
    for (std::size_t i = 0; i < v.size(); ++i) {
        const auto& item = v[i];
        if (!item.is_object())
            return fail(Error::invalid(fmt::format("Question {} must be an object", i + 1),
                                       fmt::format("questions[{}]", i + 1)));
        Question q;
        auto kind = item.value("kind", json());
        auto parsed = kind.is_string() ? parse_kind(kind.get<std::string>()) : std::nullopt;
        if (!parsed)
            return fail(Error::invalid(
                fmt::format("Question {}: kind is single_choice, multiple_choice, free_text, "
                            "rating, scale or matrix",
                            i + 1),
                question_field(i, "kind")));
        q.kind = *parsed;
        q.text =
            TRY(text_member(item.value("text", json("")), question_field(i, "text"), 0, kMaxText));
        auto required = item.value("required", json(false));
        if (!required.is_boolean())
            return fail(Error::invalid(fmt::format("Question {}: required is true or false", i + 1),
                                       question_field(i, "required")));
        q.required = required.get<bool>();
        q.options = TRY(string_list(item.value("options", json()), question_field(i, "options")));
        q.rows = TRY(string_list(item.value("rows", json()), question_field(i, "rows")));
        out.push_back(std::move(q));
    }
    return out;
}

Result<SurveyInput> parse_survey_input(const json& body, InputMode mode) {
    static const std::set<std::string> kKnown = {
        "title",          "description", "opens_at",   "closes_at",     "audience",
        "anonymous",      "status",      "questions",  "department_id", "id",
        "response_count", "created_at",  "updated_at", "portal_url"};
    for (const auto& [key, _] : body.items())
        if (!kKnown.contains(key))
            return fail(Error::invalid(fmt::format("unknown member {}", key), key));
    SurveyInput in;
    if (body.contains("title"))
        in.title = TRY(text_member(body["title"], "title", 1, 200));
    if (body.contains("description"))
        in.description = TRY(text_member(body["description"], "description", 0, 5000));
    if (body.contains("opens_at"))
        in.opens_at_ms = TRY(nullable_time(body["opens_at"], "opens_at"));
    if (body.contains("closes_at"))
        in.closes_at_ms = TRY(nullable_time(body["closes_at"], "closes_at"));
    if (body.contains("department_id")) {
        const auto& d = body["department_id"];
        if (!d.is_null() && !d.is_number_integer())
            return fail(Error::invalid("department_id must be a whole number", "department_id"));
        in.department_id = d.is_null() ? std::optional<std::int64_t>{}
                                       : std::optional<std::int64_t>{d.get<std::int64_t>()};
    }
    if (body.contains("audience"))
        in.audience = TRY(parse_audience(body["audience"]));
    if (body.contains("anonymous")) {
        if (!body["anonymous"].is_boolean())
            return fail(Error::invalid("anonymous must be true or false", "anonymous"));
        in.anonymous = body["anonymous"].get<bool>();
    }
    if (body.contains("status")) {
        auto s = body["status"].is_string() ? parse_status(body["status"].get<std::string>())
                                            : std::nullopt;
        if (!s)
            return fail(Error::invalid("status is draft, open or closed", "status"));
        in.status = *s;
    }
    if (body.contains("questions"))
        in.questions = TRY(parse_questions(body["questions"]));
    if (mode == InputMode::Create && !in.title)
        return fail(Error::invalid("title is required", "title"));
    return in;
}

Survey apply(Survey s, const SurveyInput& in) {
    if (in.title)
        s.title = *in.title;
    if (in.description)
        s.description = *in.description;
    if (in.opens_at_ms)
        s.opens_at_ms = *in.opens_at_ms;
    if (in.closes_at_ms)
        s.closes_at_ms = *in.closes_at_ms;
    if (in.department_id)
        s.department_id = *in.department_id;
    if (in.audience)
        s.audience = *in.audience;
    if (in.anonymous)
        s.anonymous = *in.anonymous;
    if (in.status)
        s.status = *in.status;
    if (in.questions)
        s.questions = *in.questions;
    number_questions(s);
    return s;
}

json to_json(const Question& q) {
    json out{{"id", q.id}, {"kind", to_string(q.kind)}, {"text", q.text}, {"required", q.required}};
    if (has_options(q.kind))
        out["options"] = q.options;
    if (q.kind == QuestionKind::Matrix)
        out["rows"] = q.rows;
    return out;
}

json to_json(const Audience& a) {
    switch (a.kind) {
    case Audience::Kind::Everyone:
        return {{"kind", "everyone"}};
    case Audience::Kind::Topic:
        return {{"kind", "topic"}, {"topic", a.topic_key}};
    case Audience::Kind::Segment:
        return {{"kind", "segment"}, {"segment_id", a.segment_id}};
    }
    return {{"kind", "everyone"}};
}

json to_json(const Survey& s) {
    auto time = [](const std::optional<std::int64_t>& v) -> json {
        return v ? json(iso_time(*v)) : json(nullptr);
    };
    json qs = json::array();
    for (const auto& q : s.questions)
        qs.push_back(to_json(q));
    return {{"id", s.id},
            {"title", s.title},
            {"description", s.description},
            {"opens_at", time(s.opens_at_ms)},
            {"closes_at", time(s.closes_at_ms)},
            {"audience", to_json(s.audience)},
            {"anonymous", s.anonymous},
            {"department_id", s.department_id ? json(*s.department_id) : json(nullptr)},
            {"status", to_string(s.status)},
            {"questions", qs},
            {"response_count", s.response_count},
            {"created_at", iso_time(s.created_at_ms)},
            {"updated_at", iso_time(s.updated_at_ms)}};
}

std::string questions_text(const std::vector<Question>& qs) {
    json out = json::array();
    for (const auto& q : qs)
        out.push_back(to_json(q));
    return out.dump();
}

} // namespace teilhabe::surveys
