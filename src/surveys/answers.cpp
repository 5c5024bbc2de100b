#include "surveys/answers.h"

#include <algorithm>
#include <charconv>
#include <fmt/format.h>

namespace teilhabe::surveys {

namespace {

using nlohmann::json;
using Kind = AnswerProblem::Kind;

bool empty_answer(const json& v) {
    return v.is_null() || (v.is_string() && v.get<std::string>().empty()) ||
           (v.is_array() && v.empty()) || (v.is_object() && v.empty());
}

bool is_option(const Question& q, const json& v) {
    return v.is_string() && std::ranges::find(q.options, v.get<std::string>()) != q.options.end();
}

AnswerProblem problem(const Question& q, int position, Kind kind, const std::string& what) {
    return {q.id, position, kind, fmt::format("Question {} (\"{}\"): {}", position, q.text, what)};
}

std::optional<AnswerProblem> check_one(const Question& q, int pos, const json& v) {
    switch (q.kind) {
    case QuestionKind::SingleChoice:
        if (!v.is_string())
            return problem(q, pos, Kind::WrongType, "the answer is one of the options");
        if (!is_option(q, v))
            return problem(q, pos, Kind::UnknownOption,
                           fmt::format("\"{}\" is not one of the options", v.get<std::string>()));
        return std::nullopt;
    case QuestionKind::MultipleChoice:
        if (!v.is_array())
            return problem(q, pos, Kind::WrongType, "the answer is a list of options");
        for (const auto& item : v)
            if (!is_option(q, item))
                return problem(q, pos, Kind::UnknownOption,
                               fmt::format("{} is not one of the options", item.dump()));
        return std::nullopt;
    case QuestionKind::FreeText:
        if (!v.is_string())
            return problem(q, pos, Kind::WrongType, "the answer is a text");
        if (v.get<std::string>().size() > kMaxAnswerText)
            return problem(q, pos, Kind::TooLong,
                           fmt::format("the answer has more than {} characters", kMaxAnswerText));
        return std::nullopt;
    case QuestionKind::Rating:
    case QuestionKind::Scale: {
        int lo = q.kind == QuestionKind::Rating ? kRatingMin : kScaleMin;
        int hi = q.kind == QuestionKind::Rating ? kRatingMax : kScaleMax;
        if (!v.is_number_integer())
            return problem(q, pos, Kind::WrongType,
                           fmt::format("the answer is a whole number from {} to {}", lo, hi));
        auto n = v.get<std::int64_t>();
        if (n < lo || n > hi)
            return problem(q, pos, Kind::OutOfRange,
                           fmt::format("{} is not between {} and {}", n, lo, hi));
        return std::nullopt;
    }
    case QuestionKind::Matrix: {
        if (!v.is_object())
            return problem(q, pos, Kind::WrongType, "the answer is an object: row -> option");
        for (const auto& [row, choice] : v.items()) {
            if (std::ranges::find(q.rows, row) == q.rows.end())
                return problem(q, pos, Kind::UnknownOption,
                               fmt::format("\"{}\" is not one of the rows", row));
            if (!is_option(q, choice))
                return problem(q, pos, Kind::UnknownOption,
                               fmt::format("{} is not one of the options", choice.dump()));
        }
        if (q.required)
            for (const auto& row : q.rows)
                if (!v.contains(row))
                    return problem(q, pos, Kind::Missing,
                                   fmt::format("row \"{}\" needs an answer", row));
        return std::nullopt;
    }
    }
    return std::nullopt;
}

std::optional<std::int64_t> whole_number(const std::string& s) {
    std::int64_t n = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (s.empty() || ec != std::errc{} || p != s.data() + s.size())
        return std::nullopt;
    return n;
}

} // namespace

const char* to_string(AnswerProblem::Kind k) {
    switch (k) {
    case Kind::Missing:
        return "missing";
    case Kind::OutOfRange:
        return "out_of_range";
    case Kind::UnknownOption:
        return "unknown_option";
    case Kind::WrongType:
        return "wrong_type";
    case Kind::TooLong:
        return "too_long";
    case Kind::UnknownQuestion:
        return "unknown_question";
    }
    return "missing";
}

std::vector<AnswerProblem> check_answers(const Survey& s, const json& answers) {
    std::vector<AnswerProblem> out;
    if (!answers.is_object()) {
        out.push_back({"", 0, Kind::WrongType, "answers must be an object keyed by question id"});
        return out;
    }
    for (const auto& [key, _] : answers.items())
        if (std::ranges::none_of(s.questions, [&](const Question& q) { return q.id == key; }))
            out.push_back({key, 0, Kind::UnknownQuestion,
                           fmt::format("There is no question {} in this survey", key)});
    for (std::size_t i = 0; i < s.questions.size(); ++i) {
        const auto& q = s.questions[i];
        int pos = static_cast<int>(i + 1);
        if (!answers.contains(q.id) || empty_answer(answers[q.id])) {
            if (q.required)
                out.push_back(problem(q, pos, Kind::Missing, "an answer is required"));
            continue;
        }
        if (auto p = check_one(q, pos, answers[q.id]))
            out.push_back(std::move(*p));
    }
    return out;
}

json normalise_answers(const Survey& s, const json& answers) {
    json out = json::object();
    for (const auto& q : s.questions)
        if (answers.contains(q.id) && !empty_answer(answers[q.id]))
            out[q.id] = answers[q.id];
    return out;
}

Error to_error(const std::vector<AnswerProblem>& problems) {
    if (problems.empty())
        return Error::invalid("answers are not acceptable", "answers");
    const auto& p = problems.front();
    return Error::invalid(p.message,
                          p.question_id.empty() ? "answers" : "answers." + p.question_id);
}

json answers_from_form(const Survey& s,
                       const std::vector<std::pair<std::string, std::string>>& form) {
    json out = json::object();
    auto values = [&](const std::string& name) {
        std::vector<std::string> v;
        for (const auto& [k, val] : form)
            if (k == name)
                v.push_back(val);
        return v;
    };
    for (const auto& q : s.questions) {
        auto v = values(q.id);
        switch (q.kind) {
        case QuestionKind::MultipleChoice:
            if (!v.empty())
                out[q.id] = v;
            break;
        case QuestionKind::Rating:
        case QuestionKind::Scale:
            if (!v.empty() && !v.front().empty()) {
                auto n = whole_number(v.front());
                out[q.id] = n ? json(*n) : json(v.front());
            }
            break;
        case QuestionKind::Matrix: {
            json rows = json::object();
            for (std::size_t r = 0; r < q.rows.size(); ++r) {
                auto cell = values(fmt::format("{}_r{}", q.id, r + 1));
                if (!cell.empty() && !cell.front().empty())
                    rows[q.rows[r]] = cell.front();
            }
            if (!rows.empty())
                out[q.id] = rows;
            break;
        }
        default:
            if (!v.empty() && !v.front().empty())
                out[q.id] = v.front();
        }
    }
    return out;
}

std::vector<std::string> value_labels(const Question& q) {
    std::vector<std::string> out;
    if (q.kind == QuestionKind::Rating || q.kind == QuestionKind::Scale) {
        int lo = q.kind == QuestionKind::Rating ? kRatingMin : kScaleMin;
        int hi = q.kind == QuestionKind::Rating ? kRatingMax : kScaleMax;
        for (int n = lo; n <= hi; ++n)
            out.push_back(std::to_string(n));
        return out;
    }
    return q.options;
}

namespace {

// Marks what an anonymous survey does not show (answers.h, kSmallCount).
void guard_small_counts(QuestionResult& qr, std::int64_t responses) {
    bool any = false;
    for (auto n : qr.counts) {
        qr.hidden.push_back(is_small_count(n));
        any = any || is_small_count(n);
    }
    for (const auto& row : qr.matrix) {
        std::vector<bool> hidden;
        for (auto n : row)
            hidden.push_back(is_small_count(n));
        qr.matrix_hidden.push_back(std::move(hidden));
    }
    // The average with the shown counts would give a hidden one away.
    qr.average_withheld = any;
    qr.texts_withheld = qr.question->kind == QuestionKind::FreeText && responses < kSmallCount;
}

json count_json(std::string_view key, const std::string& label, std::int64_t n, bool hidden) {
    return {{key, label}, {"count", hidden ? json(nullptr) : json(n)}, {"suppressed", hidden}};
}

} // namespace

Results compute_results(const Survey& s, const std::vector<json>& answer_sets) {
    Results r;
    r.responses = static_cast<std::int64_t>(answer_sets.size());
    for (const auto& q : s.questions) {
        QuestionResult qr;
        qr.question = &q;
        auto labels = value_labels(q);
        qr.counts.assign(labels.size(), 0);
        if (q.kind == QuestionKind::Matrix)
            qr.matrix.assign(q.rows.size(), std::vector<std::int64_t>(q.options.size(), 0));
        std::int64_t sum = 0;
        int lo = q.kind == QuestionKind::Rating ? kRatingMin : kScaleMin;
        for (const auto& a : answer_sets) {
            if (!a.is_object() || !a.contains(q.id))
                continue;
            const auto& v = a[q.id];
            ++qr.answered;
            auto index_of = [&](const std::vector<std::string>& list, const json& x) -> long {
                if (!x.is_string())
                    return -1;
                auto it = std::ranges::find(list, x.get<std::string>());
                return it == list.end() ? -1 : it - list.begin();
            };
            switch (q.kind) {
            case QuestionKind::SingleChoice:
                if (auto i = index_of(q.options, v); i >= 0)
                    ++qr.counts[i];
                break;
            case QuestionKind::MultipleChoice:
                for (const auto& item : v)
                    if (auto i = index_of(q.options, item); i >= 0)
                        ++qr.counts[i];
                break;
            case QuestionKind::FreeText:
                if (v.is_string())
                    qr.texts.push_back(v.get<std::string>());
                break;
            case QuestionKind::Rating:
            case QuestionKind::Scale:
                if (v.is_number_integer()) {
                    auto i = v.get<std::int64_t>() - lo;
                    if (i >= 0 && i < static_cast<std::int64_t>(qr.counts.size())) {
                        ++qr.counts[i];
                        sum += v.get<std::int64_t>();
                    }
                }
                break;
            case QuestionKind::Matrix:
                for (std::size_t row = 0; row < q.rows.size(); ++row)
                    if (v.contains(q.rows[row]))
                        if (auto i = index_of(q.options, v[q.rows[row]]); i >= 0)
                            ++qr.matrix[row][i];
                break;
            }
        }
        if ((q.kind == QuestionKind::Rating || q.kind == QuestionKind::Scale) && qr.answered > 0)
            qr.average = static_cast<double>(sum) / static_cast<double>(qr.answered);
        if (s.anonymous)
            guard_small_counts(qr, r.responses);
        else {
            qr.hidden.assign(qr.counts.size(), false);
            for (const auto& row : qr.matrix)
                qr.matrix_hidden.emplace_back(row.size(), false);
        }
        r.questions.push_back(std::move(qr));
    }
    r.guarded = s.anonymous;
    return r;
}

json to_json(const Results& r) {
    json qs = json::array();
    for (const auto& qr : r.questions) {
        const auto& q = *qr.question;
        json item{
            {"id", q.id}, {"kind", to_string(q.kind)}, {"text", q.text}, {"answered", qr.answered}};
        auto labels = value_labels(q);
        if (q.kind == QuestionKind::FreeText) {
            item["texts"] = qr.texts_withheld ? json::array() : json(qr.texts);
            item["texts_suppressed"] = qr.texts_withheld;
        } else if (q.kind == QuestionKind::Matrix) {
            json rows = json::array();
            for (std::size_t row = 0; row < q.rows.size(); ++row) {
                json counts = json::array();
                for (std::size_t i = 0; i < q.options.size(); ++i)
                    counts.push_back(count_json("option", q.options[i], qr.matrix[row][i],
                                                qr.matrix_hidden[row][i]));
                rows.push_back({{"row", q.rows[row]}, {"counts", counts}});
            }
            item["rows"] = rows;
        } else {
            json counts = json::array();
            for (std::size_t i = 0; i < labels.size(); ++i)
                counts.push_back(count_json("value", labels[i], qr.counts[i], qr.hidden[i]));
            item["counts"] = counts;
            if (q.kind == QuestionKind::Rating || q.kind == QuestionKind::Scale) {
                item["average"] = qr.answered && !qr.average_withheld ? json(qr.average)
                                                                      : json(nullptr);
                item["average_suppressed"] = qr.average_withheld;
            }
        }
        qs.push_back(std::move(item));
    }
    return {{"responses", r.responses},
            {"small_counts_suppressed", r.guarded},
            {"suppression_threshold", kSmallCount},
            {"questions", qs}};
}

} // namespace teilhabe::surveys
