// The data-protection officer's audit screen through the real dispatcher: filters kept in the
// address, everything about one person, older pages, messages beside the filters, and the CSV
// download that is itself audited.

#include "admin/admin_test_fixture.h"
#include "admin/audit_filter.h"
#include "staff/staff_store.h"

#include <fmt/format.h>

namespace teilhabe::admin::testing {
namespace {

class AuditPages : public AdminPagesTest {
protected:
    void SetUp() override {
        AdminPagesTest::SetUp();
        if (HasFatalFailure())
            return;
        ASSERT_TRUE(m_auth->create_user("dsb@test.example", "Datenschutz-Amt-2026",
                                        staff::Role::DataProtection));
        m_dpo = login("dsb@test.example", "Datenschutz-Amt-2026");
        ASSERT_FALSE(m_dpo.empty());
        anna = add_citizen({{"email", "anna@example.org"}, {"first_name", "Anna"}});
        bert = add_citizen({{"email", "bert@example.org"}, {"first_name", "Bert"}});
    }
    http::Response as_dpo(const std::string& path, const std::string& more_cookies = "") {
        return call(http::Method::Get, path,
                    {{"accept", "text/html"}, {"cookie", more_cookies + "th_session=" + m_dpo}});
    }
    void write_entry(const std::string& actor, const std::string& action,
                     const std::string& subject, const std::string& detail, const std::string& ip) {
        auto r = m_t->db->transaction(db::TxMode::Write, [&](db::Connection& c) {
            return staff::store::audit(c, {actor, action, subject, detail, ip}, m_clock);
        });
        ASSERT_TRUE(r) << r.error().message;
    }
    static int rows_in(const std::string& html) {
        int n = 0;
        for (auto p = html.find("<tr><td><time"); p != std::string::npos;
             p = html.find("<tr><td><time", p + 1))
            ++n;
        return n;
    }
    std::string m_dpo;
    std::int64_t anna{0}, bert{0};
};

TEST_P(AuditPages, ThePersonsViewShowsWhoReadTheProfileAndFromWhere) {
    ASSERT_EQ(get(fmt::format("/admin/citizens/{}", anna)).status, 200); // the admin reads Anna
    ASSERT_EQ(get(fmt::format("/admin/citizens/{}", bert)).status, 200);

    for (const std::string& typed : {std::string("anna%40example.org"), std::to_string(anna)}) {
        auto r = as_dpo("/admin/audit?subject=" + typed);
        ASSERT_EQ(r.status, 200) << r.body;
        EXPECT_TRUE(contains(r.body, "Profil gelesen <code>citizen.read</code>")) << r.body;
        EXPECT_TRUE(contains(r.body, ">admin@test.example</a>")) << "who, by name";
        EXPECT_TRUE(contains(r.body, "<td>192.0.2.10</td>")) << "from where";
        EXPECT_TRUE(contains(r.body, fmt::format(">citizen:{}</a>", anna)));
        EXPECT_FALSE(contains(r.body, fmt::format(">citizen:{}</a>", bert))) << "only Anna";
        EXPECT_TRUE(contains(
            r.body, "value=\"" +
                        (typed == std::to_string(anna) ? typed : std::string("anna@example.org")) +
                        "\""))
            << "the filter stays in the form";
        EXPECT_EQ(rows_in(r.body), 2) << "created by the system, read by the admin";
    }
    // The download link carries the same filters.
    auto r = as_dpo("/admin/audit?subject=anna%40example.org&action=citizen.read");
    EXPECT_TRUE(contains(
        r.body, "href=\"/admin/audit/export?action=citizen.read&amp;subject=anna%40example.org\""))
        << r.body;
    EXPECT_EQ(rows_in(r.body), 1);
}

TEST_P(AuditPages, FiltersByActorActionAddressAndDays) {
    m_clock.set(from_unix_ms(1'790'000'000'000)); // 2026-09-21
    write_entry("apikey:7", "citizen.read", "citizen:901", "", "198.51.100.7");
    m_clock.advance(std::chrono::hours(48)); // 2026-09-23
    write_entry("staff:99", "citizen.updated", "citizen:901", "changed: email", "198.51.100.8");
    write_entry("system:demo", "citizen.created", "citizen:902", "", "");
    m_clock.advance(std::chrono::hours(48)); // the earlier session has expired by now
    m_dpo = login("dsb@test.example", "Datenschutz-Amt-2026");

    auto by_actor = as_dpo("/admin/audit?actor=apikey%3A7");
    ASSERT_EQ(by_actor.status, 200);
    EXPECT_EQ(rows_in(by_actor.body), 1);
    EXPECT_TRUE(contains(by_actor.body, "<option value=\"apikey:7\" selected>apikey:7</option>"))
        << "an actor from a shared link stays chosen";
    EXPECT_EQ(rows_in(as_dpo("/admin/audit?actor=system&from=2026-09-23").body), 1)
        << "system:demo is the system";
    auto by_action = as_dpo("/admin/audit?action=citizen.updated");
    EXPECT_EQ(rows_in(by_action.body), 1);
    EXPECT_TRUE(contains(
        by_action.body,
        "<option value=\"citizen.updated\" selected>Profil geändert (citizen.updated)</option>"))
        << "the actions that occur are offered";
    EXPECT_EQ(rows_in(as_dpo("/admin/audit?ip=198.51.100.7").body), 1);
    EXPECT_EQ(rows_in(as_dpo("/admin/audit?ip=198.51.100.*").body), 2);
    EXPECT_EQ(rows_in(as_dpo("/admin/audit?from=2026-09-21&to=2026-09-21").body), 1);
    EXPECT_EQ(rows_in(as_dpo("/admin/audit?from=2026-09-22&to=2026-09-23").body), 2);
    EXPECT_EQ(rows_in(as_dpo("/admin/audit?subject=citizen%3A901&to=2026-09-22").body), 1);
    auto none = as_dpo("/admin/audit?actor=apikey%3A7&action=citizen.updated");
    ASSERT_EQ(none.status, 200);
    EXPECT_TRUE(contains(none.body, "Keine Einträge passen zu diesen Filtern.")) << none.body;
}

TEST_P(AuditPages, OlderEntriesPageByCursorKeepingTheFilters) {
    for (int i = 0; i < 60; ++i) {
        m_clock.advance(std::chrono::milliseconds(i % 2)); // pairs share a millisecond
        write_entry("apikey:1", "citizen.read", "citizen:5", fmt::format("n{}", i), "192.0.2.1");
    }
    auto first = as_dpo("/admin/audit?subject=5");
    ASSERT_EQ(first.status, 200);
    EXPECT_EQ(rows_in(first.body), 50);
    EXPECT_TRUE(contains(first.body, "<td class=\"detail\">n59</td>")) << "newest first";
    EXPECT_FALSE(contains(first.body, "<td class=\"detail\">n9</td>"));
    std::smatch m;
    ASSERT_TRUE(std::regex_search(first.body, m, std::regex(R"re(href="([^"]+)" rel="next")re")))
        << first.body;
    std::string next = std::regex_replace(m[1].str(), std::regex("&amp;"), "&");
    EXPECT_TRUE(next.starts_with("/admin/audit?subject=5&cursor=")) << next;
    auto second = as_dpo(next);
    ASSERT_EQ(second.status, 200);
    EXPECT_EQ(rows_in(second.body), 10);
    EXPECT_TRUE(contains(second.body, "<td class=\"detail\">n9</td>"));
    EXPECT_TRUE(contains(second.body, "<td class=\"detail\">n0</td>"));
    EXPECT_FALSE(contains(second.body, "<td class=\"detail\">n10</td>")) << "no entry twice";
    EXPECT_FALSE(contains(second.body, "rel=\"next\"")) << "the last page";
    EXPECT_TRUE(contains(second.body, "href=\"/admin/audit?subject=5\">Neueste Einträge</a>"));
}

TEST_P(AuditPages, UnusableFiltersAreSaidBesideTheField) {
    auto dates = as_dpo("/admin/audit?from=2026-13-01&to=2026-02-30");
    ASSERT_EQ(dates.status, 400);
    EXPECT_TRUE(contains(dates.body, "id=\"from-error\">Bitte geben Sie ein gültiges Datum an."))
        << dates.body;
    EXPECT_TRUE(contains(dates.body, "id=\"to-error\""));
    EXPECT_TRUE(
        contains(dates.body, "aria-describedby=\"dates-hint from-error\" aria-invalid=\"true\""));
    EXPECT_EQ(rows_in(dates.body), 0);
    auto range = as_dpo("/admin/audit?from=2026-05-02&to=2026-05-01");
    EXPECT_TRUE(contains(range.body, "id=\"to-error\">Der letzte Tag liegt vor dem ersten."));
    auto nobody = as_dpo("/admin/audit?subject=niemand%40example.org");
    ASSERT_EQ(nobody.status, 400);
    EXPECT_TRUE(
        contains(nobody.body, "id=\"subject-error\">Zu dieser E-Mail-Adresse gibt es kein Profil."))
        << nobody.body;
    EXPECT_TRUE(contains(as_dpo("/admin/audit?subject=hallo+welt").body, "id=\"subject-error\""));
    EXPECT_TRUE(contains(as_dpo("/admin/audit?ip=drop+table").body, "id=\"ip-error\""));
    auto cursor = as_dpo("/admin/audit?cursor=abc");
    EXPECT_EQ(cursor.status, 400);
    EXPECT_TRUE(contains(cursor.body, "Der Link zu älteren Einträgen ist ungültig"));
}

TEST_P(AuditPages, AnEmptyLogSaysSoInEitherLanguage) {
    auto cleared = m_t->db->transaction(
        db::TxMode::Write, [](db::Connection& c) { return c.query("DELETE FROM audit_log"); });
    ASSERT_TRUE(cleared);
    auto de = as_dpo("/admin/audit");
    ASSERT_EQ(de.status, 200);
    EXPECT_TRUE(contains(de.body, "Das Protokoll ist leer.")) << de.body;
    EXPECT_FALSE(contains(de.body, "<table"));
    EXPECT_FALSE(contains(de.body, "CSV")) << "nothing to download";
    write_entry("staff:1", "citizen.read", "citizen:1", "", "192.0.2.1");
    auto en = as_dpo("/admin/audit", "lang=en; ");
    ASSERT_EQ(en.status, 200);
    EXPECT_TRUE(contains(en.body, "<caption>Audit entries, newest first</caption>")) << en.body;
    EXPECT_TRUE(contains(en.body, "<label for=\"subject\">Concerns</label>"));
    EXPECT_TRUE(contains(en.body, "Profile read <code>citizen.read</code>"));
    EXPECT_TRUE(contains(en.body, "<th scope=\"col\">When</th>"));
}

TEST_P(AuditPages, TheDownloadHoldsTheFilteredEntriesAndIsItselfAudited) {
    write_entry("apikey:3", "citizen.restricted", fmt::format("citizen:{}", anna),
                "=HYPERLINK(\"http://evil.example\"), \"quoted\"", "192.0.2.30");
    write_entry("apikey:3", "citizen.read", fmt::format("citizen:{}", bert), "", "192.0.2.30");
    auto r = as_dpo("/admin/audit/export?subject=anna%40example.org");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("content-type").value_or(""), "text/csv; charset=utf-8");
    EXPECT_TRUE(r.header("content-disposition")
                    .value_or("")
                    .starts_with("attachment; filename=\"teilhabe-audit-"));
    EXPECT_TRUE(
        r.body.starts_with("\xEF\xBB\xBFid,at,actor,actor_name,action,subject,detail,ip\r\n"))
        << r.body;
    EXPECT_TRUE(contains(
        r.body, "\"'=HYPERLINK(\"\"http://evil.example\"\"), \"\"quoted\"\"\",192.0.2.30\r\n"))
        << "quoted, and no formula for a spreadsheet: " << r.body;
    EXPECT_TRUE(contains(
        r.body, fmt::format(",system:test,System (test),citizen.created,citizen:{},", anna)));
    EXPECT_FALSE(contains(r.body, fmt::format("citizen:{}", bert)));
    auto dpo_id = count("SELECT id FROM staff_users WHERE email = 'dsb@test.example'");
    EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'audit.exported' AND actor = ? "
                    "AND subject = ? AND ip = '192.0.2.10' AND detail = ?",
                    {fmt::format("staff:{}", dpo_id), fmt::format("citizen:{}", anna),
                     fmt::format("2 entries as CSV; filters: subject=citizen:{}", anna)}),
              1)
        << "the address typed as a filter is not repeated in the log";
    // Bad filters answer the screen with the message, not a file.
    auto bad = as_dpo("/admin/audit/export?from=gestern");
    EXPECT_EQ(bad.status, 400);
    EXPECT_TRUE(contains(bad.body, "id=\"from-error\""));
}

TEST_P(AuditPages, OnlyTheDataProtectionOfficerAndAdministratorsMaySeeIt) {
    ASSERT_TRUE(
        m_auth->create_user("redaktion@test.example", "Rathaus-Garten-2026", staff::Role::Editor));
    auto editor = login("redaktion@test.example", "Rathaus-Garten-2026");
    for (const char* path : {"/admin/audit", "/admin/audit/export"})
        EXPECT_EQ(call(http::Method::Get, path,
                       {{"accept", "text/html"}, {"cookie", "th_session=" + editor}})
                      .status,
                  403)
            << path;
    EXPECT_EQ(get("/admin/audit").status, 200) << "the administrator";
    EXPECT_EQ(as_dpo("/admin/audit").status, 200);
    EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'audit.exported'"), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditPages, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

TEST(AuditFilter, ReadsWhatTheFormSends) {
    auto in = read_audit_filter({{"subject", " 17 "},
                                 {"from", "2026-11-01"},
                                 {"to", "2026-11-01"},
                                 {"ip", "2001:db8::*"},
                                 {"actor", "system"}});
    auto p = parse_audit_filter(in);
    ASSERT_TRUE(p.errors.empty());
    EXPECT_EQ(p.query.subject, "citizen:17");
    EXPECT_EQ(*p.query.until_ms - *p.query.from_ms, 86'400'000) << "the whole day";
    EXPECT_EQ(p.query.ip_prefix, "2001:db8::");
    EXPECT_TRUE(p.query.actor_is_system);
    EXPECT_EQ(parse_audit_filter(read_audit_filter({{"subject", "Anna@Example.org"}}))
                  .query.subject_email,
              "anna@example.org");
    EXPECT_EQ(
        parse_audit_filter(read_audit_filter({{"subject", "field:birth_year"}})).query.subject,
        "field:birth_year");
    EXPECT_EQ(parse_audit_filter(read_audit_filter({{"subject", "0"}})).errors.at("subject"),
              "subject");
    EXPECT_EQ(parse_audit_filter(read_audit_filter({{"cursor", "12.x"}})).errors.at("cursor"),
              "cursor");
}

TEST(AuditFilter, CsvCellsAreQuotedAndNeverFormulas) {
    EXPECT_EQ(csv_line({"a", "b,c", "say \"hi\"", "line\nbreak", ""}),
              "a,\"b,c\",\"say \"\"hi\"\"\",\"line\nbreak\",\r\n");
    EXPECT_EQ(csv_line({"=1+1", "+49", "-x", "@SUM(A1)", "ok"}), "'=1+1,'+49,'-x,'@SUM(A1),ok\r\n");
}

} // namespace
} // namespace teilhabe::admin::testing
