// The import of a file run by the job worker, as staff see it: the page that follows the run
// (htmx polling, a reload link without JavaScript), the report at the end, notes on consent
// columns; and the export buttons of the citizens list.

#include "admin/admin_test_fixture.h"
#include "imports/import_job.h"
#include "imports/import_run.h"
#include "jobs/worker.h"

#include <fmt/format.h>

namespace teilhabe::admin::testing {
namespace {

class ImportRunPages : public AdminPagesTest {
protected:
    void SetUp() override {
        AdminPagesTest::SetUp();
        if (HasFatalFailure())
            return;
        m_worker = std::make_unique<jobs::Worker>(*m_t->db, m_clock,
                                                  jobs::WorkerOptions{.worker_id = "test"});
        imports::register_import_jobs(*m_worker, *m_t->db, m_clock);
        m_ctx->worker = m_worker.get();
    }
    void TearDown() override { m_ctx->worker = nullptr; }

    http::Response upload(const std::string& csv, const std::string& mode) {
        std::string b = "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + m_csrf +
                        "\r\n--XyZ\r\nContent-Disposition: form-data; name=\"mode\"\r\n\r\n" +
                        mode +
                        "\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; "
                        "filename=\"buerger.csv\"\r\nContent-Type: text/csv\r\n\r\n" +
                        csv + "\r\n--XyZ--\r\n";
        return call(http::Method::Post, "/admin/import",
                    {{"accept", "text/html"},
                     {"cookie", "th_session=" + m_session},
                     {"content-type", "multipart/form-data; boundary=XyZ"}},
                    b);
    }
    std::unique_ptr<jobs::Worker> m_worker;
};

TEST_P(ImportRunPages, ThePageFollowsTheRunUntilItsReport) {
    auto r =
        upload("E-Mail;Vorname\r\nanna@example.org;Anna\r\nbert@example.org;Bert\r\n", "apply");
    ASSERT_EQ(r.status, 303) << r.body;
    auto page_url = std::string(r.header("location").value_or(""));
    auto waiting = get(page_url);
    ASSERT_EQ(waiting.status, 200) << waiting.body;
    EXPECT_TRUE(contains(waiting.body, "buerger.csv"));
    EXPECT_TRUE(contains(waiting.body, "Wartet auf den Start"));
    EXPECT_TRUE(
        contains(waiting.body, "hx-get=\"" + page_url + "/progress\" hx-trigger=\"every 1s\""))
        << waiting.body;
    EXPECT_TRUE(contains(waiting.body, "<a href=\"" + page_url + "\">")) << "reload without JS";
    EXPECT_EQ(count("SELECT count(*) FROM citizens"), 0);

    ASSERT_TRUE(m_worker->run_until_idle());
    auto done = get(page_url + "/progress");
    ASSERT_EQ(done.status, 200);
    EXPECT_FALSE(contains(done.body, "<html")) << "only the part htmx swaps in";
    EXPECT_FALSE(contains(done.body, "hx-trigger")) << "polling stops at the end";
    EXPECT_TRUE(contains(done.body, "Der Import wurde gespeichert.")) << done.body;
    EXPECT_TRUE(contains(done.body, "<dt>Neu angelegt</dt><dd>2</dd>")) << done.body;
    EXPECT_EQ(count("SELECT count(*) FROM citizens"), 2);
    // The form lists it among the recent imports.
    EXPECT_TRUE(
        contains(get("/admin/import").body, "<a href=\"" + page_url + "\">buerger.csv</a>"));
}

TEST_P(ImportRunPages, RowsDoneWhileTheRunHoldsTheDatabase) {
    ASSERT_EQ(upload("E-Mail\r\na@example.org\r\n", "apply").status, 303);
    auto id = count("SELECT id FROM import_runs");
    // As a running import of 2,500 rows would leave it: counted, working in its transaction.
    auto set = m_t->db->transaction(db::TxMode::Write, [&](db::Connection& c) {
        return c.query("UPDATE import_runs SET state = 'running', rows_total = 2500 WHERE id = ?",
                       {id});
    });
    ASSERT_TRUE(set);
    m_worker->progress().set(imports::import_job_key(id), {1000, 2500});
    auto p = get(fmt::format("/admin/imports/{}/progress", id));
    ASSERT_EQ(p.status, 200);
    EXPECT_TRUE(contains(p.body, "1000 von 2500 Zeilen geprüft")) << p.body;
    EXPECT_TRUE(contains(p.body, "max=\"2500\" value=\"1000\"")) << p.body;
    EXPECT_TRUE(contains(p.body, "hx-trigger=\"every 1s\""));
}

TEST_P(ImportRunPages, UnknownRunIs404) {
    EXPECT_EQ(get("/admin/imports/999").status, 404);
    EXPECT_EQ(get("/admin/imports/abc/progress").status, 404);
}

TEST_P(ImportRunPages, ConsentColumnsAreNotImportedAndTheReportSaysWhy) {
    auto r = upload("E-Mail;Newsletter-Einwilligung\r\nanna@example.org;ja\r\n", "dry_run");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(contains(r.body, "<strong>Newsletter-Einwilligung</strong>: <span lang=\"en\">not "
                                 "imported: a consent to newsletters"))
        << r.body;
}

TEST_P(ImportRunPages, ExportButtonsKeepTheFiltersOfTheList) {
    add_citizen({{"email", "nord@example.org"}, {"district", "Nord"}});
    add_citizen({{"email", "sued@example.org"}, {"district", "Süd"}});
    auto list = get("/admin/citizens?district=Nord");
    ASSERT_EQ(list.status, 200);
    EXPECT_TRUE(
        contains(list.body, "href=\"/admin/exports/citizens?district=Nord&amp;format=csv\""))
        << list.body;
    EXPECT_TRUE(
        contains(list.body, "href=\"/admin/exports/citizens?district=Nord&amp;format=xlsx\""));
    auto csv = get("/admin/exports/citizens?district=Nord&format=csv");
    ASSERT_EQ(csv.status, 200) << csv.body;
    ASSERT_TRUE(csv.stream);
    auto body = http::drain(*csv.stream);
    ASSERT_TRUE(body);
    EXPECT_TRUE(contains(*body, ";nord@example.org;")) << *body;
    EXPECT_FALSE(contains(*body, "sued@"));
    EXPECT_TRUE(contains(std::string(csv.header("content-disposition").value_or("")),
                         "attachment; filename=\"personen-"));
    auto refused = get("/admin/exports/citizens?restricted=yes&format=csv");
    EXPECT_EQ(refused.status, 400);
    EXPECT_TRUE(contains(refused.body, "Mit diesen Filtern ist kein Export möglich"));
    EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'citizen.exported' AND ip = "
                    "'192.0.2.10'"),
              1);
}

INSTANTIATE_TEST_SUITE_P(Backends, ImportRunPages, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::admin::testing
