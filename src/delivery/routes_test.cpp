// POST /api/v1/bounces through the real dispatcher, with API keys of each role.

#include "delivery/outbox_store.h"
#include "delivery/routes.h"
#include "delivery/suppression_store.h"
#include "delivery/verp.h"
#include "web/api_harness.h"

#include <fstream>
#include <gtest/gtest.h>
#include <sstream>

namespace teilhabe::delivery {
namespace {

using http::Method;
using staff::Role;

std::string report_for(const std::string& verp) {
    std::ifstream in(std::string(TEILHABE_DSN_DIR) + "/dsn_hard.eml");
    std::stringstream ss;
    ss << in.rdbuf();
    auto text = ss.str();
    for (auto p = text.find("{verp}"); p != std::string::npos; p = text.find("{verp}"))
        text.replace(p, 6, verp);
    return text;
}

class BounceRoutesTest : public ::testing::TestWithParam<db::Backend> {};

TEST_P(BounceRoutesTest, ReportBouncesTheRowAndSuppressesTheAddress) {
    auto h = web::testing::ApiHarness::create(GetParam(), routes());
    ASSERT_TRUE(h);
    auto& clock = h->clock();
    auto id = h->db().transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<std::int64_t> {
        auto id = TRY(outbox::enqueue_transactional(c, "anna@musterstadt.example", "m", std::nullopt, clock));
        TRY(outbox::claim(c, "w", 10, std::chrono::seconds(60), clock));
        TRY(outbox::mark_sent(c, id, "w", SmtpReply{.code = 250}, clock));
        return id;
    });
    ASSERT_TRUE(id);
    // The harness's AppContext signs with its own secret: the route must use the same one, so
    // the report names the row by the Final-Recipient here and the VERP path is in store tests.
    auto r = h->call(Method::Post, "/api/v1/bounces", Role::Admin,
                     report_for("bounce+0-0000000000000000@musterstadt.example"),
                     {{"content-type", "message/rfc822"}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()["hard"], 1);
    EXPECT_EQ(r.json()["bounced_rows"], nlohmann::json::array({*id}));
    auto suppressed = h->db().transaction(db::TxMode::Read, [](db::Connection& c) {
        return suppressions::is_suppressed(c, "anna@musterstadt.example");
    });
    EXPECT_TRUE(*suppressed);
}

TEST_P(BounceRoutesTest, RefusesOtherTypesAndWhatIsNoReport) {
    auto h = web::testing::ApiHarness::create(GetParam(), routes());
    ASSERT_TRUE(h);
    auto json = h->call(Method::Post, "/api/v1/bounces", Role::Admin, nlohmann::json::object());
    EXPECT_EQ(json.status, 415);
    auto junk = h->call(Method::Post, "/api/v1/bounces", Role::Admin,
                        std::string("Subject: hi\r\n\r\nno report"), {{"content-type", "text/plain"}});
    EXPECT_EQ(junk.status, 422) << junk.body;
    EXPECT_EQ(junk.content_type, "application/problem+json");
    auto analyst = h->call(Method::Post, "/api/v1/bounces", Role::Analyst,
                           report_for("x@y"), {{"content-type", "message/rfc822"}});
    EXPECT_EQ(analyst.status, 403);
    EXPECT_EQ(h->call_anonymous(Method::Post, "/api/v1/bounces").status, 401);
}

INSTANTIATE_TEST_SUITE_P(Backends, BounceRoutesTest, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::delivery
