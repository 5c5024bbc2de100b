// The suppression list and soft-bounce counting on both engines; DSNs applied to the outbox.

#include "delivery/bounce.h"
#include "delivery/outbox_store.h"
#include "delivery/suppression_store.h"
#include "delivery/test_support.h"
#include "delivery/verp.h"
#include "security/crypto.h"

#include <fmt/format.h>
#include <fstream>
#include <sstream>

namespace teilhabe::delivery {
namespace {

using namespace std::chrono_literals;

std::string read_file(const std::string& name) {
    std::ifstream in(std::string(TEILHABE_DSN_DIR) + "/" + name);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

class SuppressionTest : public ::testing::TestWithParam<db::Backend> {
protected:
    void SetUp() override {
        auto t = db::testing::make_database(GetParam());
        ASSERT_TRUE(t) << t.error().message;
        tdb = std::move(*t);
    }
    db::Database& db() { return *tdb->db; }
    template <class F> auto tx(F&& f) { return db().transaction(db::TxMode::Write, f); }
    std::int64_t sent_row(const std::string& to) {
        auto id = tx([&](db::Connection& c) -> Result<std::int64_t> {
            auto id = TRY(outbox::enqueue_transactional(c, to, "m", std::nullopt, clock));
            TRY(outbox::claim(c, "w", 100, 60s, clock));
            TRY(outbox::mark_sent(c, id, "w", SmtpReply{.code = 250}, clock));
            return id;
        });
        EXPECT_TRUE(id);
        return id.value_or(0);
    }
    std::unique_ptr<db::testing::TestDatabase> tdb;
    ManualClock clock;
};

TEST_P(SuppressionTest, KeyedByTheHashOfTheNormalisedAddressOnly) {
    EXPECT_TRUE(*tx([&](db::Connection& c) {
        return suppressions::suppress(c, " Anna@Musterstadt.example ", suppressions::Reason::Manual,
                                      "asked by phone", clock);
    }));
    EXPECT_FALSE(*tx([&](db::Connection& c) {
        return suppressions::suppress(c, "anna@musterstadt.example",
                                      suppressions::Reason::Complaint, "", clock);
    })) << "the first reason stays";
    EXPECT_TRUE(*tx([&](db::Connection& c) {
        return suppressions::is_suppressed(c, "ANNA@musterstadt.example");
    }));
    EXPECT_FALSE(*tx([&](db::Connection& c) {
        return suppressions::is_suppressed(c, "bob@musterstadt.example");
    }));
    auto all = tx([&](db::Connection& c) { return suppressions::list(c, 10, 0); });
    ASSERT_EQ(all->size(), 1u);
    EXPECT_EQ((*all)[0].email_hash, security::sha256_hex("anna@musterstadt.example"));
    EXPECT_EQ((*all)[0].reason, suppressions::Reason::Manual);
    auto stored = tx([&](db::Connection& c) {
        return c.query_one("SELECT COUNT(*) FROM suppressions WHERE email_hash LIKE '%@%' OR "
                           "detail LIKE '%anna%'");
    });
    EXPECT_EQ(stored->get_int(0), 0) << "the address itself is not stored";
    EXPECT_TRUE(*tx([&](db::Connection& c) {
        return suppressions::unsuppress(c, "anna@musterstadt.example");
    }));
    EXPECT_FALSE(*tx([&](db::Connection& c) {
        return suppressions::is_suppressed(c, "anna@musterstadt.example");
    }));
}

TEST_P(SuppressionTest, FiveSoftBouncesWithinThirtyDaysSuppress) {
    for (int i = 1; i <= 4; ++i) {
        EXPECT_FALSE(*tx([&](db::Connection& c) {
            return suppressions::record_soft_bounce(c, "a@x.example", "4.2.2 full", clock);
        }));
        clock.advance(std::chrono::days(8)); // the first falls out of the window at the 5th
    }
    EXPECT_FALSE(*tx([&](db::Connection& c) {
        return suppressions::record_soft_bounce(c, "a@x.example", "4.2.2 full", clock);
    })) << "only four within 30 days";
    EXPECT_TRUE(*tx([&](db::Connection& c) {
        return suppressions::record_soft_bounce(c, "a@x.example", "4.2.2 full", clock);
    }));
    EXPECT_TRUE(*tx([&](db::Connection& c) { return suppressions::is_suppressed(c, "a@x.example"); }));
}

TEST_P(SuppressionTest, HardBounceFoundByVerpMarksTheRowAndSuppresses) {
    auto id = sent_row("anna@musterstadt.example");
    auto raw = read_file("dsn_hard.eml");
    auto verp = verp_address(id, "s3cret", "musterstadt.example");
    auto dsn = parse_dsn(fmt::format(fmt::runtime(raw), fmt::arg("verp", verp)));
    ASSERT_TRUE(dsn) << dsn.error().message;
    auto outcome = tx([&](db::Connection& c) { return apply_dsn(c, *dsn, "", "s3cret", clock); });
    ASSERT_TRUE(outcome) << outcome.error().message;
    EXPECT_EQ(outcome->hard, 1);
    EXPECT_EQ(outcome->rows, std::vector<std::int64_t>{id});
    auto row = tx([&](db::Connection& c) { return outbox::find(c, id); });
    EXPECT_EQ((*row)->state, OutboxState::Bounced);
    EXPECT_NE((*row)->error.find("5.1.1"), std::string::npos);
    EXPECT_TRUE(*tx([&](db::Connection& c) {
        return suppressions::is_suppressed(c, "anna@musterstadt.example");
    }));
}

TEST_P(SuppressionTest, ForgedVerpIsNotTrustedAndSoftBouncesOnlyCount) {
    auto id = sent_row("anna@musterstadt.example");
    auto other = sent_row("bob@musterstadt.example");
    auto raw = read_file("dsn_delayed.eml");
    // A mac made with another secret: the report falls back to its Final-Recipient (bob).
    auto forged = verp_address(id, "wrong", "musterstadt.example");
    auto dsn = parse_dsn(fmt::format(fmt::runtime(raw), fmt::arg("verp", forged)));
    ASSERT_TRUE(dsn) << dsn.error().message;
    auto outcome = tx([&](db::Connection& c) { return apply_dsn(c, *dsn, forged, "s3cret", clock); });
    ASSERT_TRUE(outcome) << outcome.error().message;
    EXPECT_EQ(outcome->soft, 1);
    EXPECT_TRUE(outcome->rows.empty());
    for (auto rid : {id, other})
        EXPECT_EQ((*tx([&](db::Connection& c) { return outbox::find(c, rid); }))->state,
                  OutboxState::Sent);
    auto counted = tx([&](db::Connection& c) {
        return c.query_one("SELECT COUNT(*) FROM soft_bounces WHERE email_hash = ?",
                           {suppressions::email_hash("bob@musterstadt.example")});
    });
    EXPECT_EQ(counted->get_int(0), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, SuppressionTest, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::delivery
