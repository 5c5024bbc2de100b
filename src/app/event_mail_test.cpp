// The events' mails as wired in src/app, on both engines, through the real outbox: cancelling a
// whole event queues one mail per person registered or waiting (in their language, none for
// those who cancelled before), and the erasure of a person queues the mail of whoever moves up
// into their freed place, in the erasure's transaction.

#include "app/event_mail.h"
#include "db/test_support.h"
#include "events/event_store.h"
#include "events/registration_store.h"
#include "gdpr/gdpr_store.h"

#include <gtest/gtest.h>

namespace teilhabe::app {
namespace {

class EventMailTest : public ::testing::TestWithParam<db::Backend> {
protected:
    void SetUp() override {
        auto made = db::testing::make_database(GetParam());
        ASSERT_TRUE(made) << made.error().message;
        tdb = std::move(*made);
        clock.set(from_unix_ms(1'790'000'000'000)); // Sept 2026
        mailer = event_mailer({{"Stadt Musterstadt", "info@musterstadt.example"}, "Musterstadt", nullptr},
                              "https://teilhabe.example", clock);
    }
    db::Database& db() { return *tdb->db; }
    template <class F> auto tx(F&& fn) { return db().transaction(db::TxMode::Write, std::forward<F>(fn)); }
    std::int64_t person(const std::string& email, const std::string& language) {
        return tx([&](db::Connection& c) -> Result<std::int64_t> {
                   return TRY(c.query_one("INSERT INTO citizens (email, first_name, language, "
                                          "created_at, updated_at) VALUES (?, 'X', ?, 0, 0) "
                                          "RETURNING id",
                                          {email, language}))
                       .get_int(0);
               })
            .value();
    }
    std::int64_t event(std::int64_t capacity) {
        constexpr std::int64_t kDay = 24 * 3600 * 1000;
        events::Event e{.title = "Repair Cafe", .place = "Stadtteilzentrum",
                        .starts_at_ms = clock.now_ms() + 7 * kDay,
                        .ends_at_ms = clock.now_ms() + 7 * kDay + 3600'000, .capacity = capacity,
                        .status = events::Status::Published};
        return tx([&](db::Connection& c) { return events::store::create_event(c, e, "staff:1", clock.now_ms()); })
            .value()
            .id;
    }
    std::int64_t reg(std::int64_t e, std::int64_t who) {
        return tx([&](db::Connection& c) { return events::store::register_person(c, e, who, "staff:1", clock); })
            .value()
            .id;
    }
    // The outbox's mails to `email`: their payloads.
    std::vector<std::string> outbox(const std::string& email) {
        auto rows = db().transaction(db::TxMode::Read, [&](db::Connection& c) {
            return c.query("SELECT payload FROM outbox WHERE email = ? AND kind = 'transactional' "
                           "ORDER BY id",
                           {email});
        });
        std::vector<std::string> out;
        for (const auto& r : rows.value().rows)
            out.push_back(r.get_text(0));
        return out;
    }

    std::unique_ptr<db::testing::TestDatabase> tdb;
    ManualClock clock;
    events::PromotionMailer mailer;
};

bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

TEST_P(EventMailTest, CancellingAnEventQueuesOneMailPerPersonRegisteredOrWaiting) {
    auto e = event(1);
    auto anna = person("anna@example.org", "de");
    auto ben = person("ben@example.org", "en");
    auto cem = person("cem@example.org", "de");
    reg(e, anna);
    reg(e, ben); // waiting
    auto c = reg(e, cem);
    ASSERT_TRUE(tx([&](db::Connection& conn) {
        return events::store::cancel_registration(conn, c, "citizen:3", clock, mailer);
    }));
    auto told = tx([&](db::Connection& conn) { return events::store::cancel_event(conn, e, clock, mailer); });
    ASSERT_TRUE(told) << told.error().message;
    EXPECT_EQ(*told, 2);
    auto to_anna = outbox("anna@example.org");
    auto to_ben = outbox("ben@example.org");
    ASSERT_EQ(to_anna.size(), 1u);
    ASSERT_EQ(to_ben.size(), 1u);
    EXPECT_TRUE(outbox("cem@example.org").empty()); // cancelled before: not told
    EXPECT_TRUE(has(to_anna[0], "Subject: Abgesagt: Repair Cafe")) << to_anna[0].substr(0, 600);
    EXPECT_TRUE(has(to_ben[0], "Subject: Cancelled: Repair Cafe")) << to_ben[0].substr(0, 600);
    // A second cancellation queues nothing more.
    ASSERT_TRUE(tx([&](db::Connection& conn) { return events::store::cancel_event(conn, e, clock, mailer); }));
    EXPECT_EQ(outbox("anna@example.org").size(), 1u);
    EXPECT_EQ(outbox("ben@example.org").size(), 1u);
}

TEST_P(EventMailTest, ErasureQueuesTheMailOfWhoeverMovesUp) {
    auto e = event(1);
    auto anna = person("anna@example.org", "de");
    auto ben = person("ben@example.org", "en");
    reg(e, anna);
    reg(e, ben); // waiting
    auto erased = tx([&](db::Connection& c) {
        return gdpr::erase_person(c, anna, {"staff:1", ""}, clock,
                                  [&](db::Connection& conn, std::int64_t id,
                                      const std::string& actor) -> Result<void> {
                                      TRY(events::store::release_places_of(conn, id, actor, clock,
                                                                           mailer));
                                      return {};
                                  });
    });
    ASSERT_TRUE(erased) << erased.error().message;
    auto to_ben = outbox("ben@example.org");
    ASSERT_EQ(to_ben.size(), 1u);
    EXPECT_TRUE(has(to_ben[0], "Subject: You have a place: Repair Cafe"));
    EXPECT_TRUE(outbox("anna@example.org").empty());
}

INSTANTIATE_TEST_SUITE_P(Engines, EventMailTest, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::app
