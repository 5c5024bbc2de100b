// POST /api/v1/imports through the real dispatcher.

#include "imports/import_job.h"
#include "imports/routes.h"
#include "jobs/worker.h"
#include "web/api_harness.h"

#include <gtest/gtest.h>

namespace teilhabe::imports {
namespace {

using http::Method;
using staff::Role;

class ImportApiTest : public ::testing::TestWithParam<db::Backend> {
protected:
    void SetUp() override {
        h = web::testing::ApiHarness::create(GetParam(), routes());
        ASSERT_TRUE(h);
    }
    web::testing::ApiResponse post(const std::string& path, const std::string& csv,
                                   Role as = Role::Editor, std::string type = "text/csv; charset=utf-8") {
        return h->call(Method::Post, path, as, csv, {{"content-type", type}});
    }
    std::int64_t citizens() {
        return h->db().acquire().value()->query_one("SELECT COUNT(*) FROM citizens").value().get_int(0);
    }
    std::unique_ptr<web::testing::ApiHarness> h;
};

TEST_P(ImportApiTest, ImportsDryRunsAndReportsRowsAsProblem) {
    auto dry = post("/api/v1/imports?dry_run=true", "email;Ort\na@example.org;Nord\n");
    ASSERT_EQ(dry.status, 200) << dry.body;
    EXPECT_EQ(dry.json()["created"], 1);
    EXPECT_EQ(dry.json()["applied"], false);
    EXPECT_EQ(citizens(), 0);

    auto real = post("/api/v1/imports?map.Ort=district", "email;Ort\na@example.org;Nord\n");
    ASSERT_EQ(real.status, 200) << real.body;
    EXPECT_EQ(real.json()["applied"], true);
    EXPECT_EQ(real.json()["columns"]["Ort"], "district");
    EXPECT_EQ(citizens(), 1);

    auto bad = post("/api/v1/imports", "email;language\nb@example.org;fr\n");
    EXPECT_EQ(bad.status, 422);
    EXPECT_EQ(bad.content_type, "application/problem+json");
    auto j = bad.json();
    EXPECT_EQ(j["report"]["errors"][0]["line"], 2);
    EXPECT_EQ(j["report"]["errors"][0]["column"], "language");
    EXPECT_EQ(citizens(), 1);
}

TEST_P(ImportApiTest, AsyncImportRunsAsAJobThatCanBeFollowed) {
    auto queued = post("/api/v1/imports?async=true&map.Ort=district",
                       "email;Ort\na@example.org;Nord\nb@example.org;Süd\n");
    ASSERT_EQ(queued.status, 202) << queued.body;
    auto url = queued.json()["status_url"].get<std::string>();
    EXPECT_EQ(queued.raw.header("location").value_or(""), url);
    auto waiting = h->call(Method::Get, url, Role::Editor);
    ASSERT_EQ(waiting.status, 200) << waiting.body;
    EXPECT_EQ(waiting.json()["state"], "queued");
    EXPECT_EQ(citizens(), 0);

    jobs::Worker worker(h->db(), h->clock(), {.worker_id = "test"});
    register_import_jobs(worker, h->db(), h->clock());
    ASSERT_EQ(worker.run_until_idle().value_or(0), 1);
    auto done = h->call(Method::Get, url, Role::Editor).json();
    EXPECT_EQ(done["state"], "done");
    EXPECT_EQ(done["rows_total"], 2);
    EXPECT_EQ(done["rows_done"], 2);
    EXPECT_EQ(done["report"]["columns"]["Ort"], "district");
    EXPECT_EQ(citizens(), 2);

    EXPECT_EQ(h->call(Method::Get, "/api/v1/imports/999", Role::Editor).status, 404);
    EXPECT_EQ(h->call(Method::Get, url, Role::Department).status, 403);
}

TEST_P(ImportApiTest, RefusesWhatIsNotACsvFileOrNotAllowed) {
    EXPECT_EQ(post("/api/v1/imports", "{}", Role::Editor, "application/json").status, 415);
    auto unmappable = post("/api/v1/imports", "Vorname\nAnna\n");
    EXPECT_EQ(unmappable.status, 400);
    EXPECT_NE(unmappable.body.find("e-mail"), std::string::npos);
    EXPECT_EQ(post("/api/v1/imports", "email\na@example.org\n", Role::Department).status, 403);
    EXPECT_EQ(post("/api/v1/imports", "email\na@example.org\n", Role::Analyst).status, 403);
    EXPECT_EQ(citizens(), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, ImportApiTest, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::imports
