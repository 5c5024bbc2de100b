#pragma once
// A person's answers to a survey and the survey's results. Answers are a JSON object keyed by
// question id: single choice "option", multiple choice ["option", ...], free text "text",
// rating 1..5, scale 0..10, matrix {"row": "option", ...}. Domain only.

#include "surveys/survey.h"

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace teilhabe::surveys {

inline constexpr std::size_t kMaxAnswerText = 5000;

struct AnswerProblem {
    enum class Kind { Missing, OutOfRange, UnknownOption, WrongType, TooLong, UnknownQuestion };
    std::string question_id; // "q2"
    int position{0};         // 1-based; 0 for an unknown question
    Kind kind{Kind::Missing};
    std::string message; // English, naming the question (for the API)
};
const char* to_string(AnswerProblem::Kind k); // "missing", "out_of_range", ...

// Every problem of the answers, in question order; empty when they are acceptable. Answers that
// are empty (""/[]/{}) count as not given.
std::vector<AnswerProblem> check_answers(const Survey& s, const nlohmann::json& answers);
// The answers as stored: only questions that were answered, empty ones dropped.
nlohmann::json normalise_answers(const Survey& s, const nlohmann::json& answers);
// The first problem as an Error for the API (InvalidArgument naming "answers.q2").
Error to_error(const std::vector<AnswerProblem>& problems);

// Answers typed into the portal's form: qN (single, free text, rating, scale), qN repeated
// (multiple choice), qN_rM (matrix row M, 1-based). Numbers that are not numbers stay strings,
// so that check_answers says so.
nlohmann::json answers_from_form(const Survey& s,
                                 const std::vector<std::pair<std::string, std::string>>& form);

struct QuestionResult {
    const Question* question{nullptr};
    std::int64_t answered{0};
    std::vector<std::int64_t> counts;              // per option, or per value (rating, scale)
    std::vector<std::vector<std::int64_t>> matrix; // [row][option]
    double average{0};                             // rating, scale
    std::vector<std::string> texts;                // free text
};
struct Results {
    std::int64_t responses{0};
    std::vector<QuestionResult> questions;
};
Results compute_results(const Survey& s, const std::vector<nlohmann::json>& answer_sets);
nlohmann::json to_json(const Results& r);

// The labels a rating or scale counts by ("1".."5", "0".."10"), the options otherwise.
std::vector<std::string> value_labels(const Question& q);

} // namespace teilhabe::surveys
