// The surveys' store on SQLite and PostgreSQL: definitions, one response per person (also when
// two arrive at once), the anonymous separation, audiences, the activity and its points, and the
// personal data in GDPR export and erasure.

#include "activity/consumer.h"
#include "activity/consumer_testing.h"
#include "db/test_support.h"
#include "gdpr/gdpr_store.h"
#include "ledger/ledger_store.h"
#include "points/points_consumer.h"
#include "surveys/survey_store.h"

#include <algorithm>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <thread>

namespace teilhabe::surveys {
namespace {

using nlohmann::json;

class SurveyStore : public ::testing::TestWithParam<db::Backend> {
protected:
    void SetUp() override {
        auto t = db::testing::make_database(GetParam(), true, 4);
        ASSERT_TRUE(t) << t.error().message;
        m_db = std::move(*t);
        clock.set(from_unix_ms(1'790'000'000'000));
        anna = add_citizen("anna@example.org");
        ben = add_citizen("ben@example.org");
    }
    db::Database& db() { return *m_db->db; }
    template <class F> auto tx(F&& fn) {
        return db().transaction(db::TxMode::Write, std::forward<F>(fn));
    }

    std::int64_t add_citizen(const std::string& email) {
        auto r = tx([&](db::Connection& c) {
            return c.query_one("INSERT INTO citizens (email, first_name, created_at, updated_at) "
                               "VALUES (?, 'Anna', 0, 0) RETURNING id",
                               {email});
        });
        EXPECT_TRUE(r) << r.error().message;
        return r ? r->get_int(0) : 0;
    }
    void exec(const std::string& sql, db::Params p = {}) {
        auto r = tx([&](db::Connection& c) { return c.query(sql, p); });
        ASSERT_TRUE(r) << sql << ": " << r.error().message;
    }
    std::int64_t count(const std::string& sql, db::Params p = {}) {
        auto r = db().transaction(db::TxMode::Read,
                                  [&](db::Connection& c) { return c.query_one(sql, p); });
        EXPECT_TRUE(r) << sql << ": " << (r ? "" : r.error().message);
        return r ? r->get_int(0) : -1;
    }
    Survey make(bool anonymous, Audience audience = {}) {
        Survey s;
        s.title = anonymous ? "Anonym" : "Namentlich";
        s.status = Status::Open;
        s.anonymous = anonymous;
        s.audience = audience;
        s.questions = {{"", QuestionKind::SingleChoice, "Wie oft?", true, {"oft", "selten"}, {}},
                       {"", QuestionKind::FreeText, "Idee", false, {}, {}}};
        auto r =
            tx([&](db::Connection& c) { return store::create(c, s, "staff:1", clock.now_ms()); });
        EXPECT_TRUE(r) << r.error().message;
        return r ? *r : Survey{};
    }
    Result<void> answer(std::int64_t survey, std::int64_t who,
                        json answers = {{"q1", "oft"}, {"q2", "Bäume"}}) {
        return tx([&](db::Connection& c) {
            return store::submit(c, {survey, who, answers, fmt::format("citizen:{}", who)}, clock);
        });
    }
    ManualClock clock;
    std::unique_ptr<db::testing::TestDatabase> m_db;
    std::int64_t anna{0}, ben{0};
};

TEST_P(SurveyStore, DefinitionsAreStoredChangedListedAndScopedToDepartments) {
    auto s = make(false);
    ASSERT_GT(s.id, 0);
    EXPECT_EQ(s.questions.size(), 2u);
    EXPECT_EQ(s.questions[1].id, "q2");
    s.title = "Neu";
    s.questions.push_back(
        {"", QuestionKind::Matrix, "Zufrieden?", true, {"ja", "nein"}, {"Wege", "Licht"}});
    auto u = tx([&](db::Connection& c) { return store::update(c, s, clock.now_ms()); });
    ASSERT_TRUE(u) << u.error().message;
    EXPECT_EQ(u->title, "Neu");
    EXPECT_EQ(u->questions[2].rows, (std::vector<std::string>{"Wege", "Licht"}));
    exec("INSERT INTO departments (id, key, name_de, name_en, created_at) VALUES (5, 'gruen', "
         "'Grün', 'Green', 0)");
    Survey d = s;
    d.department_id = 5;
    auto other = tx([&](db::Connection& c) { return store::create(c, d, "staff:1", 0); });
    ASSERT_TRUE(other);
    auto mine = db().transaction(db::TxMode::Read, [&](db::Connection& c) {
        return store::list(c, {.scope = {true, 5}});
    });
    ASSERT_TRUE(mine);
    ASSERT_EQ(mine->size(), 1u);
    EXPECT_EQ(mine->front().id, other->id);
    auto bad_topic = tx([&](db::Connection& c) {
        Survey t = s;
        t.audience = {Audience::Kind::Topic, "gibtsnicht", 0};
        return store::create(c, t, "staff:1", 0);
    });
    ASSERT_FALSE(bad_topic);
    EXPECT_EQ(bad_topic.error().field, "audience.topic");
}

TEST_P(SurveyStore, AnsweringRecordsParticipationAnswersAndTheActivityThatEarnsPoints) {
    auto s = make(false);
    ASSERT_TRUE(answer(s.id, anna));
    EXPECT_EQ(count("SELECT COUNT(*) FROM survey_participations WHERE citizen_id = ?", {anna}), 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM survey_responses WHERE citizen_id = ?", {anna}), 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM activities WHERE type = 'survey.completed' AND "
                    "citizen_id = ? AND object = ?",
                    {anna, fmt::format("survey:{}", s.id)}),
              1);
    points::PointsConsumer consumer{clock};
    ASSERT_TRUE(activity::testing::consume_all(db(), consumer, clock).value_or(false));
    auto balance = db().transaction(db::TxMode::Read, [&](db::Connection& c) {
        return ledger::balance(c, ledger::AccountRef::citizen(anna));
    });
    ASSERT_TRUE(balance);
    EXPECT_EQ(*balance, 20) << "the seeded rule 'Umfrage beantwortet'";
    auto pts = db().transaction(
        db::TxMode::Read, [&](db::Connection& c) { return store::points_for(c, s.id, anna); });
    ASSERT_TRUE(pts);
    EXPECT_EQ(pts->awarded, 20);
    auto props = db().transaction(db::TxMode::Read, [&](db::Connection& c) {
        return c.query_one("SELECT props FROM activities WHERE type = 'survey.completed'");
    });
    auto p = json::parse(props->get_text(0));
    EXPECT_EQ(p["survey_id"], s.id);
    EXPECT_EQ(p["title"], "Namentlich");
    EXPECT_FALSE(p.contains("answers"));
}

TEST_P(SurveyStore, OneResponsePerPersonAlsoWhenTwoArriveAtOnce) {
    auto s = make(true);
    ASSERT_TRUE(answer(s.id, anna));
    auto again = answer(s.id, anna);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, ErrorCode::AlreadyExists);
    // The database itself refuses a second participation.
    auto raw = tx([&](db::Connection& c) {
        return c.query("INSERT INTO survey_participations (survey_id, citizen_id, completed_at) "
                       "VALUES (?, ?, 0)",
                       {s.id, anna});
    });
    ASSERT_FALSE(raw);
    EXPECT_EQ(raw.error().code, ErrorCode::AlreadyExists);
    // Ben sends twice at the same moment: exactly one counts.
    Result<void> first, second;
    std::thread a([&] { first = answer(s.id, ben); });
    std::thread b([&] { second = answer(s.id, ben); });
    a.join();
    b.join();
    EXPECT_NE(first.has_value(), second.has_value());
    auto& lost = first ? second : first;
    if (!lost) {
        EXPECT_TRUE(lost.error().code == ErrorCode::AlreadyExists ||
                    lost.error().code == ErrorCode::Conflict)
            << lost.error().message;
    }
    EXPECT_EQ(count("SELECT COUNT(*) FROM survey_participations WHERE survey_id = ?", {s.id}), 2);
    EXPECT_EQ(count("SELECT COUNT(*) FROM survey_responses WHERE survey_id = ?", {s.id}), 2);
    EXPECT_EQ(count("SELECT COUNT(*) FROM activities WHERE type = 'survey.completed'"), 2);
}

TEST_P(SurveyStore, AnonymousAnswersHaveNothingThatLinksThemToThePerson) {
    auto s = make(true);
    ASSERT_TRUE(answer(s.id, anna, {{"q1", "selten"}, {"q2", "Anna's Idee"}}));
    ASSERT_TRUE(answer(s.id, ben, {{"q1", "oft"}}));
    auto rows = db().transaction(db::TxMode::Read, [&](db::Connection& c) {
        return c.query("SELECT * FROM survey_responses WHERE survey_id = ?", {s.id});
    });
    ASSERT_TRUE(rows);
    // No participation id, no time: only a random key, the survey and the answers.
    EXPECT_EQ(rows->columns, (std::vector<std::string>{"id", "survey_id", "citizen_id",
                                                       "submitted_at", "answers"}));
    ASSERT_EQ(rows->rows.size(), 2u);
    auto participations = db().transaction(db::TxMode::Read, [&](db::Connection& c) {
        return c.query("SELECT id, completed_at FROM survey_participations WHERE survey_id = ?",
                       {s.id});
    });
    for (const auto& r : rows->rows) {
        EXPECT_TRUE(r.is_null(2)) << "citizen_id";
        EXPECT_TRUE(r.is_null(3)) << "submitted_at";
        auto key = r.get_text(0);
        EXPECT_EQ(key.size(), 22u) << "128 random bits (base64url), not a counter: " << key;
        for (const auto& p : participations->rows) {
            EXPECT_NE(key, std::to_string(p.get_int(0)));
            EXPECT_EQ(r.get_text(4).find(std::to_string(p.get_int(1))), std::string::npos);
        }
        EXPECT_EQ(r.get_text(4).find("anna"), std::string::npos);
    }
    // Results still count them.
    auto sets = db().transaction(db::TxMode::Read,
                                 [&](db::Connection& c) { return store::answer_sets(c, s.id); });
    ASSERT_TRUE(sets);
    auto found =
        db().transaction(db::TxMode::Read, [&](db::Connection& c) { return store::find(c, s.id); });
    ASSERT_TRUE(found && *found);
    auto results = compute_results(**found, *sets);
    EXPECT_EQ(results.questions[0].counts, (std::vector<std::int64_t>{1, 1}));
}

TEST_P(SurveyStore, OnlyTheAudienceMayAnswerAndOnlyWhileOpen) {
    exec("INSERT INTO topics (id, key, name_de, name_en, created_at) VALUES (3, 'verkehr', "
         "'Verkehr', 'Traffic', 0)");
    exec("INSERT INTO consents (citizen_id, subject, topic_id, status, consent_text_id, "
         "requested_at, updated_at) "
         "VALUES (?, 'topic:3', 3, 'confirmed', 1, 0, 0)",
         {anna});
    exec("INSERT INTO segments (id, key, name, rule, created_at, updated_at) VALUES (9, 'nord', "
         "'Nord', '{}', 0, 0)");
    exec("INSERT INTO segment_members (segment_id, citizen_id, entered_at) VALUES (9, ?, 0)",
         {ben});
    auto topic = make(false, {Audience::Kind::Topic, "verkehr", 0});
    auto segment = make(false, {Audience::Kind::Segment, "", 9});
    auto refused = answer(topic.id, ben);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::FailedPrecondition);
    EXPECT_TRUE(answer(topic.id, anna));
    EXPECT_FALSE(answer(segment.id, anna));
    EXPECT_TRUE(answer(segment.id, ben));
    auto list = db().transaction(db::TxMode::Read, [&](db::Connection& c) {
        return store::for_citizen(c, anna, clock.now_ms());
    });
    ASSERT_TRUE(list);
    ASSERT_EQ(list->size(), 1u);
    EXPECT_EQ(list->front().survey.id, topic.id);
    EXPECT_TRUE(list->front().answered);
    // Closed, or past its end: no answers.
    auto open = make(false);
    auto s = open;
    s.closes_at_ms = clock.now_ms() + 1000;
    ASSERT_TRUE(tx([&](db::Connection& c) { return store::update(c, s, 0); }));
    clock.advance(std::chrono::seconds(2));
    auto late = answer(open.id, anna);
    ASSERT_FALSE(late);
    EXPECT_EQ(late.error().message, "The survey has ended.");
}

TEST_P(SurveyStore, AnswersFreezeQuestionsAndKeepTheSurveyFromDeletion) {
    auto s = make(false);
    auto bad = answer(s.id, anna, {{"q2", "nur Freitext"}});
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().field, "answers.q1");
    EXPECT_EQ(count("SELECT COUNT(*) FROM survey_participations"), 0) << "nothing half-written";
    ASSERT_TRUE(answer(s.id, anna));
    auto changed = s;
    changed.questions[0].options.push_back("nie");
    auto u = tx([&](db::Connection& c) { return store::update(c, changed, 0); });
    ASSERT_FALSE(u);
    EXPECT_EQ(u.error().code, ErrorCode::Conflict);
    changed = s;
    changed.status = Status::Closed;
    EXPECT_TRUE(tx([&](db::Connection& c) { return store::update(c, changed, 0); }));
    auto del = tx([&](db::Connection& c) { return store::remove(c, s.id); });
    ASSERT_FALSE(del);
    EXPECT_EQ(del.error().code, ErrorCode::Conflict);
    auto empty = make(false);
    EXPECT_TRUE(tx([&](db::Connection& c) { return store::remove(c, empty.id); }));
}

TEST_P(SurveyStore, ParticipationIsInTheGdprExportAndGoesWithErasureAnonymousAnswersStay) {
    auto anon = make(true);
    auto named = make(false);
    ASSERT_TRUE(answer(anon.id, anna, {{"q1", "selten"}}));
    ASSERT_TRUE(answer(named.id, anna, {{"q1", "oft"}}));
    auto exported = tx([&](db::Connection& c) {
        return gdpr::export_person(c, anna, {"staff:1", ""}, clock);
    });
    ASSERT_TRUE(exported) << exported.error().message;
    EXPECT_EQ((*exported)["tables"]["survey_participations"].size(), 2u);
    ASSERT_EQ((*exported)["tables"]["survey_responses"].size(), 1u) << "only the named answers";
    EXPECT_NE((*exported)["tables"]["survey_responses"].dump().find("oft"), std::string::npos);
    auto erased = tx([&](db::Connection& c) {
        return gdpr::erase_person(c, anna, {"staff:1", ""}, clock);
    });
    ASSERT_TRUE(erased) << erased.error().message;
    EXPECT_EQ(count("SELECT COUNT(*) FROM survey_participations"), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM survey_responses WHERE survey_id = ?", {named.id}), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM survey_responses WHERE survey_id = ?", {anon.id}), 1)
        << "anonymous answers are not personal data";
}

INSTANTIATE_TEST_SUITE_P(Engines, SurveyStore, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::surveys
