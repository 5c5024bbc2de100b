// The citizen screens through the real dispatcher: the create form with messages beside the
// field, the list's filters, the audited profile, erasure behind a confirmation and CSRF.

#include "admin/admin_test_fixture.h"
#include "ledger/ledger_store.h"

#include <fmt/format.h>

namespace teilhabe::admin::testing {
namespace {

class CitizenPages : public AdminPagesTest {
protected:
    void SetUp() override {
        AdminPagesTest::SetUp();
        if (HasFatalFailure())
            return;
        add_field({{"key", "birth_year"},
                   {"type", "number"},
                   {"label", {{"de", "Geburtsjahr"}, {"en", "Year of birth"}}},
                   {"min", 1900},
                   {"max", 2026}});
    }
};

TEST_P(CitizenPages, CreateShowsEachErrorBesideItsFieldAndKeepsTheValues) {
    auto form = get("/admin/citizens/new");
    ASSERT_EQ(form.status, 200) << form.body;
    EXPECT_TRUE(contains(form.body, "<label for=\"attr-birth_year\">Geburtsjahr"));
    EXPECT_TRUE(contains(form.body, "id=\"interest-kultur\""));
    EXPECT_TRUE(contains(form.body, "name=\"csrf\""));

    auto bad = post("/admin/citizens/new",
                    "email=nicht-gueltig&first_name=Anna&attr.birth_year=abc&interests=kultur");
    ASSERT_EQ(bad.status, 422) << bad.body;
    EXPECT_TRUE(contains(bad.body, "id=\"email-error\"")) << bad.body;
    EXPECT_TRUE(contains(bad.body, "Bitte geben Sie eine gültige E-Mail-Adresse an."));
    EXPECT_TRUE(contains(bad.body, "id=\"attr-birth_year-error\"")) << bad.body;
    EXPECT_TRUE(contains(bad.body, "aria-describedby=\"attr-birth_year-error\""));
    EXPECT_TRUE(contains(bad.body, "value=\"Anna\""));
    EXPECT_TRUE(contains(bad.body, "value=\"abc\""));
    EXPECT_TRUE(contains(bad.body, "value=\"kultur\" checked"));
    EXPECT_EQ(count("SELECT count(*) FROM citizens"), 0);

    // Out of the field's range: refused by the store, shown beside the same field.
    auto range = post("/admin/citizens/new", "email=anna%40example.org&attr.birth_year=1800");
    ASSERT_EQ(range.status, 422) << range.body;
    EXPECT_TRUE(contains(range.body, "id=\"attr-birth_year-error\"")) << range.body;

    auto ok = post("/admin/citizens/new",
                   "email=Anna%40Example.org&first_name=Anna&last_name=Alt&language=de&"
                   "preferred_channel=email&district=Nord&tags=Ehrenamt%2C+presse&"
                   "interests=kultur&attr.birth_year=1984");
    ASSERT_EQ(ok.status, 303) << ok.body;
    auto id = count("SELECT id FROM citizens WHERE email = 'anna@example.org'");
    EXPECT_EQ(ok.header("location").value_or(""), fmt::format("/admin/citizens/{}?created=1", id));
    auto dup = post("/admin/citizens/new", "email=anna%40example.org");
    ASSERT_EQ(dup.status, 422);
    EXPECT_TRUE(contains(dup.body, "Zu dieser E-Mail-Adresse gibt es schon ein Profil."));
}

TEST_P(CitizenPages, ListShowsAnEmptyStateThenFiltersAndCounts) {
    auto empty = get("/admin/citizens");
    ASSERT_EQ(empty.status, 200) << empty.body;
    EXPECT_TRUE(contains(empty.body, "Noch keine Bürgerinnen und Bürger erfasst."));
    EXPECT_TRUE(contains(empty.body, "href=\"/admin/import\""));
    EXPECT_TRUE(contains(empty.body, "aria-current=\"page\">Bürgerinnen und Bürger"));

    add_citizen({{"email", "anna@example.org"}, {"first_name", "Anna"}, {"district", "Nord"},
                 {"tags", {"ehrenamt"}}, {"interests", {"kultur"}}});
    add_citizen({{"email", "bert@example.org"}, {"first_name", "Bert"}, {"district", "Süd"}});
    auto all = get("/admin/citizens");
    EXPECT_TRUE(contains(all.body, "2 Personen angezeigt"));
    auto search = get("/admin/citizens?q=ann");
    EXPECT_TRUE(contains(search.body, "anna@example.org"));
    EXPECT_FALSE(contains(search.body, "bert@example.org"));
    EXPECT_TRUE(contains(search.body, "1 Personen angezeigt"));
    auto district = get("/admin/citizens?district=S%C3%BCd");
    EXPECT_TRUE(contains(district.body, "bert@example.org"));
    EXPECT_FALSE(contains(district.body, "anna@example.org"));
    auto interest = get("/admin/citizens?interest=kultur&tag=ehrenamt&restricted=no");
    EXPECT_TRUE(contains(interest.body, "anna@example.org"));
    EXPECT_FALSE(contains(interest.body, "bert@example.org"));
    auto none = get("/admin/citizens?q=zzz");
    EXPECT_TRUE(contains(none.body, "Niemand passt zu dieser Suche."));
    // Every list is audited with the number shown.
    EXPECT_GE(count("SELECT count(*) FROM audit_log WHERE action = 'citizen.listed'"), 5);
}

TEST_P(CitizenPages, ListPagesWithWeiter) {
    for (int i = 0; i < 51; ++i)
        add_citizen({{"email", fmt::format("p{:02}@example.org", i)}});
    auto first = get("/admin/citizens");
    EXPECT_TRUE(contains(first.body, "50 Personen angezeigt"));
    std::smatch m;
    std::regex next(R"re(href="(/admin/citizens\?cursor=[^"]+)" rel="next")re");
    ASSERT_TRUE(std::regex_search(first.body, m, next)) << first.body;
    auto second = get(m[1].str());
    EXPECT_TRUE(contains(second.body, "1 Personen angezeigt"));
}

TEST_P(CitizenPages, ProfileIsAuditedAndShowsLabelsAndTimeline) {
    auto id = add_citizen({{"email", "anna@example.org"}, {"first_name", "Anna"},
                           {"attributes", {{"birth_year", 1984}}}});
    std::string subject = fmt::format("citizen:{}", id);
    auto before = count("SELECT count(*) FROM audit_log WHERE action = 'citizen.read' AND "
                        "subject = ?", {subject});
    auto page = get(fmt::format("/admin/citizens/{}", id));
    ASSERT_EQ(page.status, 200) << page.body;
    EXPECT_TRUE(contains(page.body, "<dt>Geburtsjahr</dt><dd>1984</dd>")) << page.body;
    EXPECT_TRUE(contains(page.body, "citizen.created"));
    EXPECT_TRUE(contains(page.body, "system:test"));
    EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'citizen.read' AND subject = ?",
                    {subject}),
              before + 1);
    EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'citizen.read' AND subject = ? "
                    "AND actor LIKE 'staff:%' AND ip = '192.0.2.10'",
                    {subject}),
              1);
    EXPECT_EQ(get("/admin/citizens/999999").status, 404);
    EXPECT_EQ(get("/admin/citizens/abc").status, 404);
}

TEST_P(CitizenPages, EditSavesAndRestrictionIsShown) {
    auto id = add_citizen({{"email", "anna@example.org"}, {"first_name", "Anna"}});
    auto form = get(fmt::format("/admin/citizens/{}/edit", id));
    ASSERT_EQ(form.status, 200);
    EXPECT_TRUE(contains(form.body, "value=\"anna@example.org\""));
    auto saved = post(fmt::format("/admin/citizens/{}/edit", id),
                      "email=anna%40example.org&first_name=Anne&language=en&"
                      "preferred_channel=post&attr.birth_year=1990");
    ASSERT_EQ(saved.status, 303) << saved.body;
    EXPECT_EQ(count("SELECT count(*) FROM citizens WHERE first_name = 'Anne'"), 1);
    auto restricted = post(fmt::format("/admin/citizens/{}/restriction", id),
                           "restricted=yes&reason=Widerspruch");
    ASSERT_EQ(restricted.status, 303) << restricted.body;
    auto page = get(fmt::format("/admin/citizens/{}", id));
    EXPECT_TRUE(contains(page.body, "Die Verarbeitung ist eingeschränkt"));
    auto refused = post(fmt::format("/admin/citizens/{}/edit", id), "email=anna%40example.org&first_name=X");
    EXPECT_EQ(refused.status, 422);
    EXPECT_TRUE(contains(refused.body, "Das Profil kann gerade nicht geändert werden."));
}

TEST_P(CitizenPages, ErasureNeedsTheConfirmationPageAndTheCsrfToken) {
    auto id = add_citizen({{"email", "anna@example.org"}});
    std::string path = fmt::format("/admin/citizens/{}/delete", id);
    auto confirm = get(path);
    ASSERT_EQ(confirm.status, 200) << confirm.body;
    EXPECT_TRUE(contains(confirm.body, "action=\"" + path + "\""));
    EXPECT_TRUE(contains(confirm.body, "anna@example.org"));
    EXPECT_EQ(count("SELECT count(*) FROM citizens"), 1); // looking asks, it does not erase
    auto forged = post(path, "", false);
    EXPECT_EQ(forged.status, 403);
    EXPECT_EQ(count("SELECT count(*) FROM citizens"), 1);
    auto done = post(path, "");
    ASSERT_EQ(done.status, 303) << done.body;
    EXPECT_EQ(done.header("location").value_or(""), "/admin/citizens?erased=1");
    EXPECT_EQ(count("SELECT count(*) FROM citizens"), 0);
    EXPECT_EQ(get(fmt::format("/admin/citizens/{}", id)).status, 404);
}

// Stadttaler are money the town owes: the confirmation names the amount and leads to the
// desk's pay-out, the erasure is refused (409, the same page) until the balance is paid out.
TEST_P(CitizenPages, ErasureIsRefusedWhileThePersonHoldsStadttaler) {
    auto id = add_citizen({{"email", "anna@example.org"}});
    auto move = [&](std::string key, ledger::AccountRef from, ledger::AccountRef to,
                    std::string_view kind) {
        auto t = m_t->db->transaction(db::TxMode::Write, [&](db::Connection& c) {
            return ledger::transfer(c,
                                    {.idempotency_key = key,
                                     .from = from,
                                     .to = to,
                                     .amount = 1'250,
                                     .kind = std::string(kind),
                                     .reason = "Test",
                                     .object = "test",
                                     .actor = "staff:1"},
                                    m_clock.now());
        });
        ASSERT_TRUE(t) << t.error().message;
    };
    auto wallet = ledger::AccountRef::citizen(id, ledger::Currency::Stadttaler);
    auto town = ledger::AccountRef::town(ledger::Currency::Stadttaler);
    move("in", town, wallet, ledger::kind::topup);
    std::string path = fmt::format("/admin/citizens/{}/delete", id);
    auto confirm = get(path);
    ASSERT_EQ(confirm.status, 200) << confirm.body;
    EXPECT_TRUE(contains(confirm.body, "noch 12,50 € Stadttaler-Guthaben")) << confirm.body;
    EXPECT_TRUE(contains(confirm.body, fmt::format("/admin/stadttaler?payout_for={}", id)));
    auto refused = post(path, "");
    EXPECT_EQ(refused.status, 409) << refused.body;
    EXPECT_TRUE(contains(refused.body, "noch 12,50 € Stadttaler-Guthaben"));
    EXPECT_EQ(count("SELECT count(*) FROM citizens"), 1);
    move("out", wallet, town, ledger::kind::payout);
    EXPECT_FALSE(contains(get(path).body, "Stadttaler-Guthaben"));
    auto done = post(path, "");
    ASSERT_EQ(done.status, 303) << done.body;
    EXPECT_EQ(count("SELECT count(*) FROM citizens"), 0);
}

TEST_P(CitizenPages, ExportIsAJsonDownload) {
    auto id = add_citizen({{"email", "anna@example.org"}});
    auto r = get(fmt::format("/admin/citizens/{}/export", id));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(r.header("content-disposition").value_or("").starts_with("attachment"));
    EXPECT_TRUE(contains(r.body, "anna@example.org"));
}

INSTANTIATE_TEST_SUITE_P(Backends, CitizenPages, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::admin::testing
