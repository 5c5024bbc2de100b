#pragma once
// Tests only: a town with two topics over the real dispatcher (ApiHarness) with the campaigns'
// routes and campaign mail, on SQLite or PostgreSQL; consents written as the double opt-in
// leaves them.

#include "campaigns/campaign_source.h"
#include "campaigns/routes.h"
#include "web/api_harness.h"

#include <gtest/gtest.h>

namespace teilhabe::campaigns::testing {

using http::Method;
using staff::Role;
using web::testing::ApiHarness;

inline constexpr const char* kSecret = "campaign-test-secret";

class CampaignTest : public ::testing::TestWithParam<db::Backend> {
protected:
    void SetUp() override {
        h = ApiHarness::create(GetParam(), routes());
        ASSERT_TRUE(h);
        source = std::make_unique<CampaignSource>(
            h->db(), h->clock(),
            SourceSettings{.base_url = "https://stadt.example",
                           .secret = kSecret,
                           .from = {"Stadt Musterstadt", "info@musterstadt.example"},
                           .layout = {{"Musterstadt", "", "#005ea8"},
                                      {"Stadt Musterstadt", "Marktplatz 1", "12345 Musterstadt", "", "", "",
                                       "https://musterstadt.example/impressum", ""}},
                           .dkim = nullptr});
        h->context().campaign_mail = source.get();
        h->context().secret = kSecret;
        kultur = topic("kultur", "Kultur");
        umwelt = topic("umwelt", "Umwelt");
    }

    std::int64_t count(const std::string& sql) { return h->db().acquire().value()->query_one(sql).value().get_int(0); }
    void exec(const std::string& sql, const db::Params& p = {}) {
        auto r = h->db().transaction(db::TxMode::Write, [&](db::Connection& c) { return c.execute(sql, p); });
        ASSERT_TRUE(r) << r.error().message;
    }
    std::int64_t topic(const std::string& key, const std::string& name) {
        auto id = h->db().transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<std::int64_t> {
            return TRY(c.query_one("INSERT INTO topics (key, name_de, name_en, created_at) VALUES (?, ?, ?, 0) "
                                   "RETURNING id",
                                   {key, name, name}))
                .get_int(0);
        });
        EXPECT_TRUE(id);
        return id.value_or(0);
    }
    // A consent as the double opt-in leaves it.
    void consent(std::int64_t citizen, std::int64_t topic_id, const std::string& status = "confirmed") {
        exec("INSERT INTO consents (citizen_id, subject, topic_id, status, consent_text_id, requested_at, "
             "updated_at) VALUES (?, ?, ?, ?, (SELECT MIN(id) FROM consent_texts WHERE kind = 'newsletter'), 0, 0)",
             {citizen, "topic:" + std::to_string(topic_id), topic_id, status});
    }
    void tracking(std::int64_t citizen) {
        exec("INSERT INTO consents (citizen_id, subject, status, consent_text_id, requested_at, updated_at) "
             "VALUES (?, 'tracking', 'confirmed', (SELECT MIN(id) FROM consent_texts WHERE kind = 'tracking'), 0, 0)",
             {citizen});
    }
    web::testing::ApiResponse create(const nlohmann::json& body) {
        return h->call(Method::Post, "/api/v1/campaigns", Role::Editor, body);
    }
    nlohmann::json draft() {
        auto r = create({{"subject", "Hallo {{first_name}}"},
                         {"body_markdown", "Am Samstag ist [Frühjahrsputz](https://musterstadt.example/putz \"topic:umwelt\")."},
                         {"topics", {"kultur", "umwelt"}}});
        EXPECT_EQ(r.status, 201) << r.body;
        return r.json();
    }
    std::string path(const nlohmann::json& k, const std::string& rest = "") {
        return "/api/v1/campaigns/" + std::to_string(k["id"].get<std::int64_t>()) + rest;
    }

    std::unique_ptr<ApiHarness> h;
    std::unique_ptr<CampaignSource> source;
    std::int64_t kultur{0}, umwelt{0};
};

} // namespace teilhabe::campaigns::testing
