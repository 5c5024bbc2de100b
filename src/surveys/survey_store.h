#pragma once
// SQL of surveys: definitions, participations and answers. Every function runs inside the
// caller's transaction; submit() is the whole of answering a survey (participation, answers,
// the activity survey.completed) and so belongs in one write transaction.

#include "base/clock.h"
#include "db/connection.h"
#include "surveys/answers.h"
#include "surveys/survey.h"

#include <optional>
#include <string>
#include <vector>

namespace teilhabe::surveys::store {

// Department staff see and manage only their own department's surveys.
struct Scope {
    bool limited{false};
    std::optional<std::int64_t> department;
    bool may_see(const Survey& s) const { return !limited || s.department_id == department; }
};

struct Filter {
    Scope scope;
    std::optional<Status> status;
    std::optional<std::int64_t> after_id; // cursor
    int limit{100};
};
Result<std::vector<Survey>> list(db::Connection& c, const Filter& f);
enum class Lock { None, ForUpdate };
Result<std::optional<Survey>> find(db::Connection& c, std::int64_t id, Lock lock = Lock::None);
// Validates, checks that the topic or segment of the audience exists.
Result<Survey> create(db::Connection& c, Survey s, const std::string& actor, std::int64_t now_ms);
// Questions cannot change once there are answers (Conflict); the rest can.
Result<Survey> update(db::Connection& c, const Survey& s, std::int64_t now_ms);
// A survey with answers is not deleted (Conflict): close it instead.
Result<void> remove(db::Connection& c, std::int64_t id);

// Whether the person is in the survey's audience: everyone; a topic's confirmed subscribers
// and the people interested in it; a segment's current members.
Result<bool> in_audience(db::Connection& c, const Audience& a, std::int64_t citizen_id);
Result<bool> has_answered(db::Connection& c, std::int64_t survey_id, std::int64_t citizen_id);

struct Submission {
    std::int64_t survey_id{0};
    std::int64_t citizen_id{0};
    nlohmann::json answers;
    std::string actor; // "citizen:7", "apikey:2"
    std::string via{"portal"};
};
// The answers, checked; a second response by the same person is AlreadyExists (the unique
// constraint decides when two arrive at once); a closed survey or a person outside the
// audience is FailedPrecondition; invalid answers are InvalidArgument with `problems` filled.
Result<void> submit(db::Connection& c, const Submission& s, const Clock& clock,
                    std::vector<AnswerProblem>* problems = nullptr);

// Every set of answers of the survey (in the order of their random keys, not of arrival).
Result<std::vector<nlohmann::json>> answer_sets(db::Connection& c, std::int64_t survey_id);
// For the export: the person for a named survey (none for an anonymous one).
struct ResponseRow {
    std::optional<std::int64_t> citizen_id;
    std::optional<std::int64_t> submitted_at_ms;
    nlohmann::json answers;
};
Result<std::vector<ResponseRow>> responses(db::Connection& c, std::int64_t survey_id);

// The open surveys a person may answer now, with whether they already did.
struct PortalItem {
    Survey survey;
    bool answered{false};
};
Result<std::vector<PortalItem>> for_citizen(db::Connection& c, std::int64_t citizen_id,
                                            std::int64_t now_ms);
// The points the person got for completing the survey (the points rules' awards for the
// activity survey.completed of it), and what the enabled rules promise when none came yet.
struct Points {
    std::int64_t awarded{0};
    std::int64_t expected{0};
};
Result<Points> points_for(db::Connection& c, std::int64_t survey_id, std::int64_t citizen_id);

} // namespace teilhabe::surveys::store
