// The survey domain: definitions and their errors, answers and theirs, results, the builder.

#include "surveys/answers.h"
#include "surveys/results_export.h"
#include "surveys/survey.h"

#include <gtest/gtest.h>

namespace teilhabe::surveys {
namespace {

using nlohmann::json;

Survey sample() {
    Survey s;
    s.id = 7;
    s.title = "Stadtpark";
    s.status = Status::Open;
    s.questions = {
        {"",
         QuestionKind::SingleChoice,
         "Wie oft sind Sie im Park?",
         true,
         {"täglich", "selten"},
         {}},
        {"",
         QuestionKind::MultipleChoice,
         "Was fehlt?",
         false,
         {"Bänke", "Toiletten", "Licht"},
         {}},
        {"", QuestionKind::FreeText, "Ihre Idee", false, {}, {}},
        {"", QuestionKind::Rating, "Sauberkeit", true, {}, {}},
        {"", QuestionKind::Scale, "Weiterempfehlung", false, {}, {}},
        {"",
         QuestionKind::Matrix,
         "Zufriedenheit",
         true,
         {"gut", "schlecht"},
         {"Wege", "Spielplatz"}},
    };
    number_questions(s);
    return s;
}

json good_answers() {
    return {{"q1", "täglich"},
            {"q2", {"Bänke", "Licht"}},
            {"q3", "Mehr Bäume"},
            {"q4", 4},
            {"q5", 9},
            {"q6", {{"Wege", "gut"}, {"Spielplatz", "schlecht"}}}};
}

TEST(SurveyDefinition, AcceptsAGoodOneAndNumbersItsQuestions) {
    auto s = sample();
    EXPECT_TRUE(validate(s).has_value());
    EXPECT_EQ(s.questions[0].id, "q1");
    EXPECT_EQ(s.questions[5].id, "q6");
}

TEST(SurveyDefinition, ErrorsNameTheFieldOrTheQuestion) {
    auto s = sample();
    s.title = "";
    s.questions[1].options = {"Bänke"};
    s.questions[5].rows = {};
    s.opens_at_ms = 2000;
    s.closes_at_ms = 1000;
    auto problems = definition_problems(s);
    std::vector<std::string> fields;
    for (const auto& p : problems)
        fields.push_back(p.field);
    EXPECT_EQ(fields, (std::vector<std::string>{"title", "closes_at", "questions[2].options",
                                                "questions[6].rows"}));
    EXPECT_NE(problems[2].message.find("Question 2"), std::string::npos) << problems[2].message;
    EXPECT_EQ(validate(s).error().field, "title");
}

TEST(SurveyDefinition, RejectsDuplicateOptionsOptionsOnTextAndEmptyOpenSurveys) {
    auto s = sample();
    s.questions[0].options = {"a", "a"};
    EXPECT_EQ(validate(s).error().field, "questions[1].options");
    s = sample();
    s.questions[2].options = {"x", "y"};
    EXPECT_EQ(validate(s).error().field, "questions[3].options");
    s = sample();
    s.questions.clear();
    EXPECT_EQ(validate(s).error().field, "questions");
    s.status = Status::Draft;
    EXPECT_TRUE(validate(s).has_value()) << "a draft may be empty";
}

TEST(SurveyDefinition, ParsesTheApiShapeAndRefusesUnknownKinds) {
    json body{{"title", "Radwege"},
              {"anonymous", true},
              {"audience", {{"kind", "topic"}, {"topic", "verkehr"}}},
              {"closes_at", "2026-12-31T23:00:00Z"},
              {"questions", {{{"kind", "rating"}, {"text", "Wie sicher?"}, {"required", true}}}}};
    auto in = parse_survey_input(body, InputMode::Create);
    ASSERT_TRUE(in) << in.error().message;
    auto s = apply(Survey{}, *in);
    EXPECT_TRUE(s.anonymous);
    EXPECT_EQ(s.audience.kind, Audience::Kind::Topic);
    EXPECT_EQ(s.audience.topic_key, "verkehr");
    ASSERT_EQ(s.questions.size(), 1u);
    EXPECT_EQ(s.questions[0].id, "q1");
    EXPECT_TRUE(s.closes_at_ms.has_value());
    body["questions"][0]["kind"] = "essay";
    auto bad = parse_survey_input(body, InputMode::Create);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().field, "questions[1].kind");
    EXPECT_EQ(parse_survey_input({{"titel", "x"}}, InputMode::Patch).error().field, "titel");
    EXPECT_EQ(parse_survey_input(json::object(), InputMode::Create).error().field, "title");
}

TEST(SurveyDefinition, TakesAnswersOnlyWhenOpenAndInItsWindow) {
    auto s = sample();
    s.opens_at_ms = 1000;
    s.closes_at_ms = 2000;
    EXPECT_EQ(closed_reason(s, 999), Closed::NotYet);
    EXPECT_FALSE(closed_reason(s, 1000).has_value());
    EXPECT_EQ(closed_reason(s, 2000), Closed::Over);
    s.status = Status::Closed;
    EXPECT_EQ(closed_reason(s, 1500), Closed::NotOpen);
}

TEST(SurveyAnswers, AcceptsGoodAnswers) {
    EXPECT_TRUE(check_answers(sample(), good_answers()).empty());
}

TEST(SurveyAnswers, NamesEachMissingOutOfRangeAndUnknownAnswer) {
    auto a = good_answers();
    a.erase("q1");                        // required, missing
    a["q2"] = {"Bänke", "Springbrunnen"}; // unknown option
    a["q4"] = 6;                          // rating out of range
    a["q5"] = -1;                         // scale out of range
    a["q6"] = {{"Wege", "gut"}};          // a required matrix row missing
    a["q9"] = "?";                        // no such question
    auto p = check_answers(sample(), a);
    ASSERT_EQ(p.size(), 6u);
    EXPECT_EQ(p[0].kind, AnswerProblem::Kind::UnknownQuestion);
    EXPECT_EQ(p[0].question_id, "q9");
    EXPECT_EQ(p[1].kind, AnswerProblem::Kind::Missing);
    EXPECT_EQ(p[1].question_id, "q1");
    EXPECT_NE(p[1].message.find("Question 1"), std::string::npos) << p[1].message;
    EXPECT_NE(p[1].message.find("Wie oft"), std::string::npos) << p[1].message;
    EXPECT_EQ(p[2].kind, AnswerProblem::Kind::UnknownOption);
    EXPECT_NE(p[2].message.find("Springbrunnen"), std::string::npos);
    EXPECT_EQ(p[3].kind, AnswerProblem::Kind::OutOfRange);
    EXPECT_EQ(p[3].question_id, "q4");
    EXPECT_EQ(p[4].kind, AnswerProblem::Kind::OutOfRange);
    EXPECT_EQ(p[5].kind, AnswerProblem::Kind::Missing);
    EXPECT_EQ(p[5].question_id, "q6");
    EXPECT_EQ(to_error(p).field, "answers.q9");
}

TEST(SurveyAnswers, EmptyAnswersCountAsNotGivenAndTypesAreChecked) {
    auto a = good_answers();
    a["q1"] = "";
    a["q4"] = "vier";
    auto p = check_answers(sample(), a);
    ASSERT_EQ(p.size(), 2u);
    EXPECT_EQ(p[0].kind, AnswerProblem::Kind::Missing);
    EXPECT_EQ(p[1].kind, AnswerProblem::Kind::WrongType);
    a = good_answers();
    a["q3"] = std::string(kMaxAnswerText + 1, 'x');
    EXPECT_EQ(check_answers(sample(), a).at(0).kind, AnswerProblem::Kind::TooLong);
    auto stored = normalise_answers(sample(), {{"q1", "selten"}, {"q3", ""}});
    EXPECT_EQ(stored, json({{"q1", "selten"}}));
}

TEST(SurveyAnswers, ReadsThePortalForm) {
    std::vector<std::pair<std::string, std::string>> form = {
        {"q1", "selten"}, {"q2", "Bänke"}, {"q2", "Licht"},  {"q3", ""},
        {"q4", "5"},      {"q5", "zehn"},  {"q6_r1", "gut"}, {"q6_r2", "schlecht"}};
    auto a = answers_from_form(sample(), form);
    EXPECT_EQ(a["q2"], json({"Bänke", "Licht"}));
    EXPECT_FALSE(a.contains("q3"));
    EXPECT_EQ(a["q4"], 5);
    EXPECT_EQ(a["q5"], "zehn") << "kept as typed, so that the check says what is wrong";
    EXPECT_EQ(a["q6"], json({{"Wege", "gut"}, {"Spielplatz", "schlecht"}}));
    auto p = check_answers(sample(), a);
    ASSERT_EQ(p.size(), 1u);
    EXPECT_EQ(p[0].question_id, "q5");
}

TEST(SurveyResults, CountsAveragesMatrixAndTexts) {
    auto s = sample();
    auto b = good_answers();
    b["q1"] = "selten";
    b["q2"] = {"Bänke"};
    b["q4"] = 2;
    b.erase("q3");
    b.erase("q5");
    auto r = compute_results(s, {good_answers(), b});
    EXPECT_EQ(r.responses, 2);
    EXPECT_EQ(r.questions[0].counts, (std::vector<std::int64_t>{1, 1}));
    EXPECT_EQ(r.questions[1].counts, (std::vector<std::int64_t>{2, 0, 1}));
    EXPECT_EQ(r.questions[2].texts, (std::vector<std::string>{"Mehr Bäume"}));
    EXPECT_DOUBLE_EQ(r.questions[3].average, 3.0);
    EXPECT_EQ(r.questions[3].counts.size(), 5u);
    EXPECT_EQ(r.questions[4].answered, 1);
    EXPECT_EQ(r.questions[4].counts.size(), 11u);
    EXPECT_EQ(r.questions[5].matrix[0], (std::vector<std::int64_t>{2, 0}));
    auto j = to_json(r);
    EXPECT_EQ(j["questions"][3]["average"], 3.0);
    EXPECT_EQ(j["questions"][5]["rows"][1]["counts"][1]["count"], 2);
}

TEST(SurveyExport, AnonymousSheetsHaveNoPersonAndTextCannotBecomeAFormula) {
    auto s = sample();
    s.anonymous = true;
    auto a = good_answers();
    a["q3"] = "=HYPERLINK(\"http://x\")";
    auto sheet = export_sheet(s, {{std::nullopt, std::nullopt, a}});
    EXPECT_EQ(sheet.header.front(), "q1 Wie oft sind Sie im Park?");
    EXPECT_EQ(sheet.header.size(), 7u) << "a matrix has a column per row";
    auto csv = results_csv(sheet);
    EXPECT_EQ(csv.find("citizen_id"), std::string::npos);
    EXPECT_NE(csv.find("'=HYPERLINK"), std::string::npos) << csv;
    s.anonymous = false;
    auto named = export_sheet(s, {{42, 1'790'000'000'000, a}});
    EXPECT_EQ(named.header[0], "citizen_id");
    EXPECT_EQ(named.rows[0][0], "42");
    auto xlsx = results_xlsx(named, "Stadtpark");
    ASSERT_TRUE(xlsx) << xlsx.error().message;
    EXPECT_TRUE(xlsx->starts_with("PK"));
}

} // namespace
} // namespace teilhabe::surveys
