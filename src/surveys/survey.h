#pragma once
// Surveys (SPEC.md capability 4, issue 8). Domain only: what a survey and its questions are,
// which definitions are acceptable (errors name the field or the question), whether a survey
// takes answers now. Answers and results are in answers.h. No SQL, no HTTP.

#include "base/json_input.h"
#include "base/error.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace teilhabe::surveys {

enum class QuestionKind { SingleChoice, MultipleChoice, FreeText, Rating, Scale, Matrix };
const char* to_string(QuestionKind k); // "single_choice", ..., "matrix"
std::optional<QuestionKind> parse_kind(std::string_view s);
bool has_options(QuestionKind k); // single, multiple choice and matrix (its shared scale)

// Rating is 1..5 stars, scale 0..10 (how likely ...).
inline constexpr int kRatingMin = 1, kRatingMax = 5, kScaleMin = 0, kScaleMax = 10;

struct Question {
    std::string id; // "q1", "q2", ... by position; answers are keyed by it
    QuestionKind kind{QuestionKind::SingleChoice};
    std::string text;
    bool required{false};
    std::vector<std::string> options; // choices; for a matrix the scale shared by its rows
    std::vector<std::string> rows;    // matrix only
};

enum class Status { Draft, Open, Closed };
const char* to_string(Status s);
std::optional<Status> parse_status(std::string_view s);

struct Audience {
    enum class Kind { Everyone, Topic, Segment };
    Kind kind{Kind::Everyone};
    std::string topic_key;      // Kind::Topic: subscribers of / interested in this topic
    std::int64_t segment_id{0}; // Kind::Segment: the segment's current members
};

struct Survey {
    std::int64_t id{0};
    std::string title;
    std::string description;
    std::optional<std::int64_t> opens_at_ms, closes_at_ms;
    Audience audience;
    bool anonymous{false};
    std::optional<std::int64_t> department_id;
    Status status{Status::Draft};
    std::vector<Question> questions;
    std::int64_t response_count{0}; // read from the store
    std::int64_t created_at_ms{0}, updated_at_ms{0};
};

// Gives the questions their ids by position ("q1"...). Called before every save.
void number_questions(Survey& s);

// A definition's problems, each naming the field ("title", "closes_at") or the question
// ("questions[2].options"): all of them (for a form), or the first one as an Error (the API).
std::vector<Error> definition_problems(const Survey& s);
Result<void> validate(const Survey& s);

// Why a survey takes no answer now; nothing when it does.
enum class Closed { NotOpen, NotYet, Over };
std::optional<Closed> closed_reason(const Survey& s, std::int64_t now_ms);
Error to_error(Closed c);
const char* to_string(Closed c); // "not_open", "not_yet", "over"

// From the API's JSON. Create: title and questions required; Patch: only what was sent (an
// optional time sent as null clears it).
enum class InputMode { Create, Patch };
struct SurveyInput {
    std::optional<std::string> title, description;
    std::optional<std::optional<std::int64_t>> opens_at_ms, closes_at_ms, department_id;
    std::optional<Audience> audience;
    std::optional<bool> anonymous;
    std::optional<Status> status;
    std::optional<std::vector<Question>> questions;
};
Result<SurveyInput> parse_survey_input(const nlohmann::json& body, InputMode mode);
Survey apply(Survey base, const SurveyInput& in);

nlohmann::json to_json(const Question& q);
nlohmann::json to_json(const Audience& a);
nlohmann::json to_json(const Survey& s);
// The stored form of the questions (the surveys.questions column).
std::string questions_text(const std::vector<Question>& qs);
Result<std::vector<Question>> parse_questions(const nlohmann::json& v);

using json_input::iso_time;

} // namespace teilhabe::surveys
