// GET /api/v1/exports/citizens through the real dispatcher: downloads with a dated name,
// problems for bad filters, who may export, and the client's address in the audit log.

#include "exports/routes.h"
#include "web/api_harness.h"

#include <gtest/gtest.h>

namespace teilhabe::exports {
namespace {

using http::Method;
using staff::Role;

class ExportRoutesTest : public ::testing::TestWithParam<db::Backend> {
protected:
    void SetUp() override {
        h = web::testing::ApiHarness::create(GetParam(), routes());
        ASSERT_TRUE(h);
        h->clock().set(from_unix_ms(1'795'651'200'000)); // 2026-11-26T00:00:00Z
        h->add_citizen("anna@example.org", "Anna");
        h->add_citizen("bert@example.org", "=Bert");
    }
    std::unique_ptr<web::testing::ApiHarness> h;
};

TEST_P(ExportRoutesTest, CsvDownloadWithADatedName) {
    auto r = h->call(Method::Get, "/api/v1/exports/citizens?format=csv&q=anna", Role::Editor);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(r.raw.stream) << "streamed, not built in memory";
    EXPECT_EQ(r.content_type, "text/csv; charset=utf-8; header=present");
    EXPECT_EQ(r.raw.header("content-disposition").value_or(""),
              "attachment; filename=\"personen-2026-11-26.csv\"");
    EXPECT_TRUE(r.body.starts_with("\xEF\xBB\xBFid;email;first_name;")) << r.body;
    EXPECT_NE(r.body.find(";anna@example.org;Anna;"), std::string::npos) << r.body;
    EXPECT_EQ(r.body.find("bert@"), std::string::npos) << r.body;

    auto all = h->call(Method::Get, "/api/v1/exports/citizens", Role::Admin); // csv by default
    ASSERT_EQ(all.status, 200);
    EXPECT_NE(all.body.find(";bert@example.org;'=Bert;"), std::string::npos) << all.body;
}

TEST_P(ExportRoutesTest, XlsxAndJsonDownloads) {
    auto x = h->call(Method::Get, "/api/v1/exports/citizens?format=xlsx", Role::Editor);
    ASSERT_EQ(x.status, 200) << x.body;
    EXPECT_EQ(x.content_type, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    EXPECT_EQ(x.raw.header("content-disposition").value_or(""),
              "attachment; filename=\"personen-2026-11-26.xlsx\"");
    EXPECT_TRUE(x.body.starts_with("PK\x03\x04")) << "a zip file";
    ASSERT_TRUE(x.raw.stream && x.raw.stream->size());
    EXPECT_EQ(*x.raw.stream->size(), x.body.size());

    auto j = h->call(Method::Get, "/api/v1/exports/citizens?format=json", Role::Editor);
    ASSERT_EQ(j.status, 200) << j.body;
    EXPECT_EQ(j.content_type, "application/json");
    auto items = j.json();
    ASSERT_EQ(items.size(), 2u) << j.body;
    EXPECT_EQ(items[1]["email"], "bert@example.org");
}

TEST_P(ExportRoutesTest, BadFiltersAreProblemsBeforeAnyByte) {
    for (const char* q : {"format=pdf", "limit=5", "restricted=true", "field.nope=1", "nope=1"}) {
        auto r = h->call(Method::Get, std::string("/api/v1/exports/citizens?") + q, Role::Editor);
        EXPECT_EQ(r.status, 400) << q << " " << r.body;
        EXPECT_EQ(r.content_type, "application/problem+json") << q;
        EXPECT_FALSE(r.raw.stream) << q;
    }
}

TEST_P(ExportRoutesTest, OnlyRolesThatMayExportListsOfPeople) {
    for (Role role : {Role::Department, Role::Analyst, Role::DataProtection, Role::Partner})
        EXPECT_EQ(h->call(Method::Get, "/api/v1/exports/citizens", role).status, 403)
            << staff::to_string(role);
    EXPECT_EQ(h->call_anonymous(Method::Get, "/api/v1/exports/citizens").status, 401);
}

TEST_P(ExportRoutesTest, TheAuditLogNamesWhoAndFromWhere) {
    ASSERT_EQ(h->call(Method::Get, "/api/v1/exports/citizens?format=xlsx&q=a", Role::Editor).status,
              200);
    auto lease = h->db().acquire();
    ASSERT_TRUE(lease);
    auto rows = (*lease)->query("SELECT actor, action, detail, ip FROM audit_log WHERE action "
                                "LIKE 'citizen.export%' ORDER BY id");
    ASSERT_TRUE(rows) << rows.error().message;
    ASSERT_EQ(rows->rows.size(), 2u);
    EXPECT_TRUE(rows->rows[0].get_text(0).starts_with("apikey:"));
    EXPECT_EQ(rows->rows[1].get_text(1), "citizen.exported");
    EXPECT_EQ(rows->rows[1].get_text(2), "xlsx; 1 profiles; filters: q");
    EXPECT_EQ(rows->rows[1].get_text(3), "192.0.2.20");
}

INSTANTIATE_TEST_SUITE_P(Backends, ExportRoutesTest, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::exports
