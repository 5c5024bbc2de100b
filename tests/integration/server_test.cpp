// The real `teilhabe serve` process on a free port, on SQLite and on PostgreSQL.
#include "db/test_support.h"
#include "harness/http_client.h"
#include "harness/server_process.h"

#include <csignal>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace teilhabe::testing {
namespace {

using db::Backend;

class ServeTest : public ::testing::TestWithParam<Backend> {
protected:
    void SetUp() override {
        auto d = db::testing::make_database(GetParam(), /*migrated=*/false, 1);
        ASSERT_TRUE(d) << d.error().message;
        database = std::move(*d);
        url = database->url;
        database->db.reset(); // the server owns the database from here
        auto s = ServerProcess::start(url);
        ASSERT_TRUE(s) << s.error().message;
        server.emplace(std::move(*s));
    }
    void TearDown() override {
        if (server)
            server->process().signal(SIGKILL);
    }
    int port() { return server->port(); }

    std::unique_ptr<db::testing::TestDatabase> database;
    std::string url;
    std::optional<ServerProcess> server;
};

TEST_P(ServeTest, HealthzChecksTheDatabase) {
    auto r = http_get(port(), "/healthz");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.header("content-type"), "application/json");
    auto body = nlohmann::json::parse(r.body);
    EXPECT_EQ(body["status"], "ok");
}

TEST_P(ServeTest, MetricsCountRequestsByStatusClass) {
    http_get(port(), "/healthz");
    http_get(port(), "/no/such/page");
    auto r = http_get(port(), "/metrics"); // from loopback: allowed without log-in
    ASSERT_EQ(r.status, 200);
    EXPECT_NE(r.body.find("teilhabe_http_requests_total{status=\"2xx\"}"), std::string::npos) << r.body;
    EXPECT_NE(r.body.find("teilhabe_http_requests_total{status=\"4xx\"} 1"), std::string::npos) << r.body;
}

TEST_P(ServeTest, ApiErrorsAreProblemJson) {
    auto unknown = http_get(port(), "/api/v1/nothing-here");
    EXPECT_EQ(unknown.status, 404);
    EXPECT_EQ(unknown.header("content-type"), "application/problem+json");
    EXPECT_EQ(nlohmann::json::parse(unknown.body)["status"], 404);

    auto anonymous = http_get(port(), "/api/v1/me");
    EXPECT_EQ(anonymous.status, 401);
    EXPECT_EQ(anonymous.header("content-type"), "application/problem+json");

    auto wrong_method = http(port(), {.method = "DELETE", .target = "/healthz"});
    EXPECT_EQ(wrong_method.status, 405);
    EXPECT_EQ(wrong_method.header("content-type"), "application/problem+json");
}

TEST_P(ServeTest, MalformedAndOversizedRequestsAreRefusedWithProblemJson) {
    auto malformed = http_raw(port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n");
    EXPECT_TRUE(malformed.starts_with("HTTP/1.1 400")) << malformed;
    EXPECT_NE(malformed.find("application/problem+json"), std::string::npos);

    auto big = http(port(), {.method = "POST",
                             .target = "/api/v1/me",
                             .headers = {{"Content-Type", "application/json"}},
                             .body = std::string(11 * 1024 * 1024, 'x')});
    EXPECT_EQ(big.status, 413);
    EXPECT_EQ(big.header("content-type"), "application/problem+json");
    // The server is still healthy afterwards.
    EXPECT_EQ(http_get(port(), "/healthz").status, 200);
}

TEST_P(ServeTest, SigtermStopsGracefully) {
    EXPECT_EQ(http_get(port(), "/healthz").status, 200);
    EXPECT_EQ(server->stop(), 0);
    EXPECT_NE(server->process().output().find("stopped"), std::string::npos) << server->process().output();
    EXPECT_EQ(http_get(port(), "/healthz").status, 0); // nobody listens any more
}

TEST_P(ServeTest, SecondServerOnTheSamePortFailsWithAClearMessage) {
    auto r = run({.argv = {teilhabe_binary(), "serve"},
                  .env = {{"TEILHABE_DATABASE", url},
                          {"TEILHABE_LISTEN", "127.0.0.1:" + std::to_string(port())}}});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.output.find("cannot listen"), std::string::npos) << r.output;
}

INSTANTIATE_TEST_SUITE_P(Backends, ServeTest, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::testing
