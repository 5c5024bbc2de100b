// Webhooks through the real `teilhabe serve`: a webhook made over the API, an activity recorded
// over the API, and the signed POST arriving at a receiver on loopback — on SQLite and
// PostgreSQL, with the server's own consumer loop and job worker doing the work.
#include "db/test_support.h"
#include "harness/http_client.h"
#include "harness/server_process.h"
#include "webhooks/test_receiver.h"

#include <chrono>
#include <csignal>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <thread>

namespace teilhabe::testing {
namespace {

using namespace std::chrono_literals;
using db::Backend;

class WebhookServeTest : public ::testing::TestWithParam<Backend> {
protected:
    void SetUp() override {
        auto d = db::testing::make_database(GetParam(), /*migrated=*/false, 1);
        ASSERT_TRUE(d) << d.error().message;
        database = std::move(*d);
        database->db.reset();
        auto key = run({.argv = {teilhabe_binary(), "apikey", "create", "--name", "Website CMS",
                                 "--role", "admin"},
                        .env = {{"TEILHABE_DATABASE", database->url}}});
        ASSERT_EQ(key.exit_code, 0) << key.output;
        token = key.output.substr(0, key.output.find('\n'));
        auto s = ServerProcess::start(database->url);
        ASSERT_TRUE(s) << s.error().message;
        server.emplace(std::move(*s));
    }
    void TearDown() override {
        if (server && server->process().running())
            server->process().signal(SIGKILL);
    }
    HttpResponse api(std::string method, std::string target, const nlohmann::json& body = nullptr,
                     std::vector<std::pair<std::string, std::string>> headers = {}) {
        headers.emplace_back("Authorization", "Bearer " + token);
        if (!body.is_null())
            headers.emplace_back("Content-Type", "application/json");
        return http(server->port(), {.method = std::move(method),
                                     .target = std::move(target),
                                     .headers = std::move(headers),
                                     .body = body.is_null() ? "" : body.dump()});
    }

    std::unique_ptr<db::testing::TestDatabase> database;
    std::string token;
    std::optional<ServerProcess> server;
};

TEST_P(WebhookServeTest, AnActivityPostedOverTheApiArrivesSigned) {
    webhooks::testing::TestReceiver receiver;
    auto hook = api("POST", "/api/v1/webhooks",
                    {{"url", receiver.url("/in")}, {"event_types", {"library.*"}}});
    ASSERT_EQ(hook.status, 201) << hook.body;
    auto secret = nlohmann::json::parse(hook.body)["secret"].get<std::string>();
    auto hook_id = nlohmann::json::parse(hook.body)["id"].get<int>();

    auto citizen = api("POST", "/api/v1/citizens",
                       {{"email", "anna@musterstadt.example"}, {"first_name", "Anna"}});
    ASSERT_EQ(citizen.status, 201) << citizen.body;
    auto anna = nlohmann::json::parse(citizen.body)["id"].get<int>();
    auto pool = api("POST", "/api/v1/activities", {{"type", "pool.visit"}, {"citizen_id", anna}},
                    {{"Idempotency-Key", "visit-1"}});
    ASSERT_EQ(pool.status, 201) << pool.body; // not subscribed: never sent
    auto loan = api("POST", "/api/v1/activities",
                    {{"type", "library.loan"}, {"citizen_id", anna}, {"object", "book:4711"}},
                    {{"Idempotency-Key", "loan-1"}});
    ASSERT_EQ(loan.status, 201) << loan.body;

    ASSERT_TRUE(receiver.wait_for(1, 30s)) << server->process().output();
    auto got = receiver.received();
    ASSERT_EQ(got.size(), 1u);
    const auto& r = got[0];
    EXPECT_EQ(r.path, "/in");
    EXPECT_EQ(r.header("content-type"), "application/json");
    EXPECT_EQ(r.header("webhook-signature"),
              webhooks::testing::openssl_signature(secret, r.header("webhook-id") + "." +
                                                               r.header("webhook-timestamp") + "." +
                                                               r.body));
    auto sent_at = std::stoll(r.header("webhook-timestamp"));
    auto now = std::chrono::duration_cast<std::chrono::seconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
    EXPECT_LE(std::abs(now - sent_at), 300) << "the server signs with its real clock";
    auto body = nlohmann::json::parse(r.body);
    EXPECT_EQ(body["type"], "library.loan");
    EXPECT_EQ(body["citizen_id"], anna);
    EXPECT_EQ(body["object"], "book:4711");
    EXPECT_EQ(body["id"], nlohmann::json::parse(loan.body)["id"]);
    EXPECT_EQ(r.body.find("anna@"), std::string::npos);

    // The server records the answer right after it came; wait for that, boundedly.
    nlohmann::json deliveries;
    auto deadline = std::chrono::steady_clock::now() + 10s;
    do {
        auto list = api("GET", "/api/v1/webhooks/" + std::to_string(hook_id) + "/deliveries");
        ASSERT_EQ(list.status, 200) << list.body;
        deliveries = nlohmann::json::parse(list.body)["items"];
        if (!deliveries.empty() && deliveries[0]["status"] == "delivered")
            break;
        std::this_thread::sleep_for(20ms); // waiting on the other process
    } while (std::chrono::steady_clock::now() < deadline);
    ASSERT_EQ(deliveries.size(), 1u);
    EXPECT_EQ(deliveries[0]["status"], "delivered");
    EXPECT_EQ(deliveries[0]["response_status"], 200);
    EXPECT_EQ(r.header("webhook-id"), "msg_" + std::to_string(deliveries[0]["id"].get<int>()));

    // With its consumer loop and worker running, the server still stops cleanly on SIGTERM.
    EXPECT_EQ(server->stop(), 0) << server->process().output();
    EXPECT_EQ(receiver.received().size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, WebhookServeTest, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::testing
