#include "surveys/builder.h"

#include "journeys/calendar.h"
#include "surveys/support.h"
#include "web/respond.h"

#include <chrono>
#include <cstdio>
#include <fmt/format.h>
#include <sstream>

namespace teilhabe::surveys::builder {

namespace {

using detail::tr;
using nlohmann::json;

constexpr std::size_t kMaxFormQuestions = 100;

std::string value(const Form_t& posted, std::string_view name) {
    return web::form_value(posted, name);
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
            line.pop_back();
        auto start = line.find_first_not_of(" \t");
        if (start != std::string::npos)
            out.push_back(line.substr(start));
    }
    return out;
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items)
        out += (out.empty() ? "" : "\n") + i;
    return out;
}

struct Day {
    int y{0}, m{0}, d{0};
};

// A day typed in a form: 2026-12-31 or 31.12.2026.
std::optional<Day> parse_day(const std::string& s) {
    int y = 0, m = 0, d = 0;
    bool ok = std::sscanf(s.c_str(), "%4d-%2d-%2d", &y, &m, &d) == 3 ||
              std::sscanf(s.c_str(), "%2d.%2d.%4d", &d, &m, &y) == 3;
    if (!ok || y < 2000 || y > 2200)
        return std::nullopt;
    auto day = std::chrono::year_month_day{std::chrono::year{y}, std::chrono::month{unsigned(m)},
                                           std::chrono::day{unsigned(d)}};
    if (!day.ok())
        return std::nullopt;
    return Day{y, m, d};
}

// Midnight at the start of the day in the town's time (journeys/calendar.h: Europe/Berlin).
std::int64_t local_midnight(const Day& day) {
    return to_unix_ms(journeys::from_berlin(day.y, day.m, day.d, 0, 0));
}

// "questions[2].options" -> "q2_options", "closes_at" -> "closes_on", ...
std::string form_field(const std::string& field) {
    if (field.starts_with("questions[")) {
        auto close = field.find(']');
        auto n = field.substr(10, close - 10);
        auto member = close + 2 <= field.size() ? field.substr(close + 2) : "text";
        return fmt::format("q{}_{}", n, member.empty() ? "text" : member);
    }
    if (field == "opens_at")
        return "opens_on";
    if (field == "closes_at")
        return "closes_on";
    if (field == "audience.topic")
        return "topic";
    if (field == "audience.segment_id")
        return "segment";
    return field;
}

std::string message_for(const web::RouteContext& ctx, const std::string& field) {
    if (field.ends_with("_options"))
        return tr(ctx, "surveys.error_options");
    if (field.ends_with("_rows"))
        return tr(ctx, "surveys.error_rows");
    if (field.ends_with("_text"))
        return tr(ctx, "surveys.error_question_text");
    if (field == "title")
        return tr(ctx, "surveys.error_title");
    if (field == "closes_on")
        return tr(ctx, "surveys.error_dates");
    if (field == "topic" || field == "segment")
        return tr(ctx, "surveys.error_audience");
    if (field == "questions")
        return tr(ctx, "surveys.error_questions");
    return tr(ctx, "surveys.error_invalid");
}

json field_view(const std::string& v, const Errors& errors, const std::string& id) {
    auto it = errors.find(id);
    return {{"value", v},
            {"error", it == errors.end() ? json(nullptr) : json(it->second)},
            {"has_error", it != errors.end()}};
}

} // namespace

Form read(const Form_t& posted) {
    Form f;
    f.title = value(posted, "title");
    f.description = value(posted, "description");
    f.opens_on = value(posted, "opens_on");
    f.closes_on = value(posted, "closes_on");
    f.audience = value(posted, "audience");
    f.topic = value(posted, "topic");
    f.segment = value(posted, "segment");
    f.department = value(posted, "department_id");
    f.anonymous = value(posted, "anonymous") == "yes";
    auto count = detail::parse_id(value(posted, "question_count")).value_or(0);
    for (std::int64_t i = 1; i <= count && i <= static_cast<std::int64_t>(kMaxFormQuestions); ++i) {
        QuestionForm q;
        q.text = value(posted, fmt::format("q{}_text", i));
        q.kind = value(posted, fmt::format("q{}_kind", i));
        q.options = value(posted, fmt::format("q{}_options", i));
        q.rows = value(posted, fmt::format("q{}_rows", i));
        q.required = value(posted, fmt::format("q{}_required", i)) == "yes";
        f.questions.push_back(std::move(q));
    }
    return f;
}

Form of(const Survey& s) {
    Form f;
    f.title = s.title;
    f.description = s.description;
    f.opens_on = s.opens_at_ms ? local_day_text(*s.opens_at_ms) : "";
    f.closes_on = s.closes_at_ms ? local_day_text(*s.closes_at_ms - 1) : "";
    f.anonymous = s.anonymous;
    f.department = s.department_id ? std::to_string(*s.department_id) : "";
    switch (s.audience.kind) {
    case Audience::Kind::Everyone:
        f.audience = "everyone";
        break;
    case Audience::Kind::Topic:
        f.audience = "topic";
        f.topic = s.audience.topic_key;
        break;
    case Audience::Kind::Segment:
        f.audience = "segment";
        f.segment = std::to_string(s.audience.segment_id);
        break;
    }
    for (const auto& q : s.questions)
        f.questions.push_back(
            {q.text, to_string(q.kind), joined(q.options), joined(q.rows), q.required});
    return f;
}

Action action_of(const Form_t& posted) {
    auto a = value(posted, "action");
    auto indexed = [&](std::string_view prefix, Action::Kind k) -> std::optional<Action> {
        if (!a.starts_with(prefix))
            return std::nullopt;
        auto n = detail::parse_id(std::string_view(a).substr(prefix.size()));
        if (!n)
            return std::nullopt;
        return Action{k, static_cast<std::size_t>(*n - 1)};
    };
    if (a == "add")
        return {Action::Kind::Add};
    if (a == "keep")
        return {Action::Kind::Keep};
    for (auto [prefix, kind] : {std::pair{"up-", Action::Kind::Up},
                                {"down-", Action::Kind::Down},
                                {"ask-delete-", Action::Kind::AskDelete},
                                {"delete-", Action::Kind::Delete}})
        if (auto act = indexed(prefix, kind))
            return *act;
    return {Action::Kind::Save};
}

void perform(Form& f, const Action& a) {
    auto& qs = f.questions;
    f.confirm_delete.reset();
    switch (a.kind) {
    case Action::Kind::Add:
        if (qs.size() < kMaxFormQuestions)
            qs.push_back({});
        break;
    case Action::Kind::Up:
        if (a.index > 0 && a.index < qs.size())
            std::swap(qs[a.index], qs[a.index - 1]);
        break;
    case Action::Kind::Down:
        if (a.index + 1 < qs.size())
            std::swap(qs[a.index], qs[a.index + 1]);
        break;
    case Action::Kind::AskDelete:
        if (a.index < qs.size())
            f.confirm_delete = a.index;
        break;
    case Action::Kind::Delete:
        if (a.index < qs.size())
            qs.erase(qs.begin() + static_cast<long>(a.index));
        break;
    case Action::Kind::Keep:
    case Action::Kind::Save:
        break;
    }
}

Survey to_survey(const web::RouteContext& ctx, Survey s, const Form& f, Errors& errors,
                 bool questions_locked) {
    s.title = f.title;
    s.description = f.description;
    s.anonymous = f.anonymous;
    s.opens_at_ms.reset();
    s.closes_at_ms.reset();
    if (!f.opens_on.empty()) {
        if (auto t = local_day_start(f.opens_on))
            s.opens_at_ms = *t;
        else
            errors["opens_on"] = tr(ctx, "surveys.error_date");
    }
    if (!f.closes_on.empty()) {
        if (auto t = local_day_end(f.closes_on))
            s.closes_at_ms = *t; // the end of the last day (24:00 local time)
        else
            errors["closes_on"] = tr(ctx, "surveys.error_date");
    }
    if (!f.department.empty())
        s.department_id = detail::parse_id(f.department);
    else
        s.department_id.reset();
    s.audience = {};
    if (f.audience == "topic") {
        s.audience.kind = Audience::Kind::Topic;
        s.audience.topic_key = f.topic;
    } else if (f.audience == "segment") {
        s.audience.kind = Audience::Kind::Segment;
        s.audience.segment_id = detail::parse_id(f.segment).value_or(0);
    }
    if (!questions_locked) {
        s.questions.clear();
        for (std::size_t i = 0; i < f.questions.size(); ++i) {
            const auto& qf = f.questions[i];
            Question q;
            auto kind = parse_kind(qf.kind);
            if (!kind)
                errors[fmt::format("q{}_kind", i + 1)] = tr(ctx, "surveys.error_invalid");
            q.kind = kind.value_or(QuestionKind::FreeText);
            q.text = qf.text;
            q.required = qf.required;
            if (has_options(q.kind))
                q.options = lines(qf.options);
            if (q.kind == QuestionKind::Matrix)
                q.rows = lines(qf.rows);
            s.questions.push_back(std::move(q));
        }
    }
    number_questions(s);
    for (const auto& e : definition_problems(s)) {
        auto id = form_field(e.field);
        if (!errors.contains(id))
            errors[id] = message_for(ctx, id);
    }
    return s;
}

json view(const web::RouteContext& ctx, const Form& f, const Errors& errors,
          bool questions_locked) {
    static const char* kKinds[] = {"single_choice", "multiple_choice", "free_text",
                                   "rating",        "scale",           "matrix"};
    json questions = json::array();
    for (std::size_t i = 0; i < f.questions.size(); ++i) {
        const auto& q = f.questions[i];
        auto n = i + 1;
        json kinds = json::array();
        for (const char* k : kKinds)
            kinds.push_back({{"value", k},
                             {"label", tr(ctx, std::string("surveys.kind_") + k)},
                             {"selected", q.kind == k}});
        auto kind_label = tr(ctx, "surveys.kind_" + q.kind);
        questions.push_back(
            {{"n", n},
             {"text", field_view(q.text, errors, fmt::format("q{}_text", n))},
             {"kinds", kinds},
             {"kind_label", kind_label},
             {"options", field_view(q.options, errors, fmt::format("q{}_options", n))},
             {"rows", field_view(q.rows, errors, fmt::format("q{}_rows", n))},
             {"required", q.required},
             {"first", i == 0},
             {"last", i + 1 == f.questions.size()},
             {"confirm", f.confirm_delete == i}});
    }
    json summary = json::array();
    for (const auto& [k, v] : errors)
        summary.push_back({{"href", "#" + k}, {"message", v}});
    return {{"title", field_view(f.title, errors, "title")},
            {"description", field_view(f.description, errors, "description")},
            {"opens_on", field_view(f.opens_on, errors, "opens_on")},
            {"closes_on", field_view(f.closes_on, errors, "closes_on")},
            {"audience_everyone", f.audience != "topic" && f.audience != "segment"},
            {"audience_topic", f.audience == "topic"},
            {"audience_segment", f.audience == "segment"},
            {"topic", field_view(f.topic, errors, "topic")},
            {"segment", field_view(f.segment, errors, "segment")},
            {"anonymous", f.anonymous},
            {"questions", questions},
            {"question_count", f.questions.size()},
            {"has_questions", !f.questions.empty()},
            {"questions_locked", questions_locked},
            {"questions_error",
             errors.contains("questions") ? json(errors.at("questions")) : json(nullptr)},
            {"has_errors", !errors.empty()},
            {"errors", summary}};
}

std::optional<std::int64_t> local_day_start(const std::string& typed) {
    auto day = parse_day(typed);
    if (!day)
        return std::nullopt;
    return local_midnight(*day);
}

std::optional<std::int64_t> local_day_end(const std::string& typed) {
    auto day = parse_day(typed);
    if (!day)
        return std::nullopt;
    // The next day's midnight: a day has 23 or 25 hours when the clocks change.
    auto next = std::chrono::year_month_day{
        std::chrono::sys_days{std::chrono::year_month_day{std::chrono::year{day->y},
                                                          std::chrono::month{unsigned(day->m)},
                                                          std::chrono::day{unsigned(day->d)}}} +
        std::chrono::days{1}};
    return local_midnight({int(next.year()), int(unsigned(next.month())), int(unsigned(next.day()))});
}

std::string local_day_text(std::int64_t ms) {
    auto t = journeys::to_berlin(from_unix_ms(ms));
    return fmt::format("{:04}-{:02}-{:02}", t.year, t.month, t.day);
}

} // namespace teilhabe::surveys::builder
