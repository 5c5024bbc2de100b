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

// The de-anonymisation guard of anonymous surveys: a count of an answer between 1 and
// kSmallCount - 1 is not shown (only "< 5"), nor its percentage; free-text answers are shown only
// once the survey has kSmallCount responses. Zero stays zero (it names nobody).
inline constexpr std::int64_t kSmallCount = 5;
inline bool is_small_count(std::int64_t n) { return n > 0 && n < kSmallCount; }

struct QuestionResult {
    const Question* question{nullptr};
    std::int64_t answered{0};
    std::vector<std::int64_t> counts;              // per option, or per value (rating, scale)
    std::vector<std::vector<std::int64_t>> matrix; // [row][option]
    double average{0};                             // rating, scale
    std::vector<std::string> texts;                // free text
    // Anonymous surveys (kSmallCount): which counts are hidden, whether the average (which
    // would give hidden counts away) and the free texts are withheld. The hidden figures are
    // still in `counts`/`matrix`/`texts`: whoever shows them asks hidden()/texts_withheld.
    std::vector<bool> hidden;                     // per count
    std::vector<std::vector<bool>> matrix_hidden; // [row][option]
    bool average_withheld{false};
    bool texts_withheld{false};
};
struct Results {
    std::int64_t responses{0};
    bool guarded{false}; // an anonymous survey: small counts hidden
    std::vector<QuestionResult> questions;
};
// The results; for an anonymous survey with the small counts marked hidden (see kSmallCount).
Results compute_results(const Survey& s, const std::vector<nlohmann::json>& answer_sets);
// For the API: a hidden count is {"count": null, "suppressed": true}, a withheld average null
// with "average_suppressed": true, withheld texts [] with "texts_suppressed": true. Every count
// carries "suppressed" (false when shown), so the shape is the same for every survey.
nlohmann::json to_json(const Results& r);

// The labels a rating or scale counts by ("1".."5", "0".."10"), the options otherwise.
std::vector<std::string> value_labels(const Question& q);

} // namespace teilhabe::surveys
