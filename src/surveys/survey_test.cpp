// The survey domain: definitions and their errors, answers and theirs, results, the builder.

#include "surveys/answers.h"
#include "surveys/builder.h"
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

// The builder's days are the town's days (Europe/Berlin), also on the days the clocks change:
// 29 March 2026 has 23 hours, 25 October 2026 has 25.
TEST(SurveyBuilderDays, AreTheTownsDaysAcrossTheClockChange) {
    using builder::local_day_end;
    using builder::local_day_start;
    auto iso = [](std::optional<std::int64_t> ms) { return ms ? iso_time(*ms) : std::string("-"); };
    EXPECT_EQ(iso(local_day_start("01.12.2026")), "2026-11-30T23:00:00.000Z");
    EXPECT_EQ(iso(local_day_end("2026-12-07")), "2026-12-07T23:00:00.000Z");
    EXPECT_EQ(iso(local_day_start("2026-03-29")), "2026-03-28T23:00:00.000Z");
    EXPECT_EQ(iso(local_day_end("2026-03-29")), "2026-03-29T22:00:00.000Z");
    EXPECT_EQ(iso(local_day_start("2026-10-25")), "2026-10-24T22:00:00.000Z");
    EXPECT_EQ(iso(local_day_end("2026-10-25")), "2026-10-25T23:00:00.000Z");
    EXPECT_EQ(iso(local_day_end("31.12.2026")), "2026-12-31T23:00:00.000Z");
    EXPECT_FALSE(local_day_start("2026-02-30"));
    EXPECT_FALSE(local_day_end("morgen"));
    EXPECT_EQ(builder::local_day_text(*local_day_end("2026-10-25") - 1), "2026-10-25");
    EXPECT_EQ(builder::local_day_text(*local_day_start("2026-03-29")), "2026-03-29");
    // A survey "from 24 to 25 October" over the clock change, with the clock of a test.
    auto s = sample();
    s.opens_at_ms = local_day_start("24.10.2026");
    s.closes_at_ms = local_day_end("25.10.2026");
    ManualClock clock(from_unix_ms(*s.opens_at_ms - 1)); // 23:59:59.999 on 23 Oct, CEST
    EXPECT_EQ(closed_reason(s, clock.now_ms()), Closed::NotYet);
    clock.advance(std::chrono::milliseconds(1)); // 00:00 on 24 Oct
    EXPECT_FALSE(closed_reason(s, clock.now_ms()));
    clock.set(from_unix_ms(*s.closes_at_ms - 60'000)); // 23:59 on 25 Oct, CET
    EXPECT_FALSE(closed_reason(s, clock.now_ms()));
    EXPECT_EQ(iso(clock.now_ms()), "2026-10-25T22:59:00.000Z") << "a UTC day would have closed";
    clock.advance(std::chrono::minutes(1)); // 00:00 on 26 Oct
    EXPECT_EQ(closed_reason(s, clock.now_ms()), Closed::Over);
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

TEST(SurveyExport, AnonymousSheetsAreAggregatesAndTextCannotBecomeAFormula) {
    auto s = sample();
    s.anonymous = true;
    auto a = good_answers();
    a["q3"] = "=HYPERLINK(\"http://x\")";
    std::vector<store::ResponseRow> five(kSmallCount, {std::nullopt, std::nullopt, a});
    auto sheet = export_sheet(s, five);
    EXPECT_EQ(sheet.header, (std::vector<std::string>{"question", "answer", "count", "percent"}));
    auto csv = results_csv(sheet);
    EXPECT_EQ(csv.find("citizen_id"), std::string::npos);
    EXPECT_NE(csv.find("'=HYPERLINK"), std::string::npos) << csv;
    EXPECT_NE(csv.find("q1 Wie oft sind Sie im Park?;täglich;5;100"), std::string::npos) << csv;
    EXPECT_NE(csv.find("q6 Zufriedenheit;Wege: gut;5;100"), std::string::npos) << csv;
    // Four responses: counts "< 5" without a share, the free texts withheld.
    five.pop_back();
    auto small = results_csv(export_sheet(s, five));
    EXPECT_NE(small.find("q1 Wie oft sind Sie im Park?;täglich;< 5;\r\n"), std::string::npos)
        << small;
    EXPECT_NE(small.find("q1 Wie oft sind Sie im Park?;selten;0;0"), std::string::npos) << small;
    EXPECT_EQ(small.find("HYPERLINK"), std::string::npos) << small;
    EXPECT_NE(small.find("free texts shown from 5 responses on"), std::string::npos);
    s.anonymous = false;
    auto named = export_sheet(s, {{42, 1'790'000'000'000, a}});
    EXPECT_EQ(named.header[0], "citizen_id");
    EXPECT_EQ(named.header.size(), 9u) << "a matrix has a column per row";
    EXPECT_EQ(named.rows[0][0], "42");
    auto xlsx = results_xlsx(named, "Stadtpark");
    ASSERT_TRUE(xlsx) << xlsx.error().message;
    EXPECT_TRUE(xlsx->starts_with("PK"));
    auto anonymous_xlsx = results_xlsx(sheet, "Stadtpark");
    ASSERT_TRUE(anonymous_xlsx) << anonymous_xlsx.error().message;
}

TEST(SurveyResults, AnonymousSurveysHideSmallCountsAndEarlyTexts) {
    auto s = sample();
    s.anonymous = true;
    std::vector<json> sets(6, good_answers());
    auto other = good_answers();
    other["q1"] = "selten";
    other["q4"] = 1;
    sets.push_back(other); // 6 × täglich, 1 × selten
    auto r = compute_results(s, sets);
    ASSERT_TRUE(r.guarded);
    EXPECT_EQ(r.questions[0].hidden, (std::vector<bool>{false, true}));
    EXPECT_TRUE(r.questions[3].average_withheld) << "the average would give the 1 away";
    EXPECT_FALSE(r.questions[2].texts_withheld) << "7 responses";
    auto j = to_json(r);
    EXPECT_EQ(j["small_counts_suppressed"], true);
    EXPECT_EQ(j["suppression_threshold"], kSmallCount);
    EXPECT_EQ(j["questions"][0]["counts"][0]["count"], 6);
    EXPECT_EQ(j["questions"][0]["counts"][0]["suppressed"], false);
    EXPECT_TRUE(j["questions"][0]["counts"][1]["count"].is_null());
    EXPECT_EQ(j["questions"][0]["counts"][1]["suppressed"], true);
    EXPECT_EQ(j["questions"][0]["counts"][1]["value"], "selten");
    EXPECT_TRUE(j["questions"][3]["average"].is_null());
    EXPECT_EQ(j["questions"][3]["average_suppressed"], true);
    EXPECT_EQ(j["questions"][2]["texts"].size(), 7u);
    EXPECT_EQ(j["questions"][5]["rows"][0]["counts"][0]["count"], 7);
    EXPECT_EQ(j["questions"][5]["rows"][0]["counts"][1]["count"], 0) << "zero names nobody";
    // Four responses: no free text yet.
    sets.resize(4);
    auto few = to_json(compute_results(s, sets));
    EXPECT_EQ(few["questions"][2]["texts"].size(), 0u);
    EXPECT_EQ(few["questions"][2]["texts_suppressed"], true);
    EXPECT_TRUE(few["questions"][0]["counts"][0]["count"].is_null());
    // A named survey shows everything.
    s.anonymous = false;
    auto named = to_json(compute_results(s, sets));
    EXPECT_EQ(named["small_counts_suppressed"], false);
    EXPECT_EQ(named["questions"][0]["counts"][0]["count"], 4);
    EXPECT_EQ(named["questions"][0]["counts"][0]["suppressed"], false);
    EXPECT_EQ(named["questions"][2]["texts"].size(), 4u);
}

} // namespace
} // namespace teilhabe::surveys
