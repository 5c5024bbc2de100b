// The field form offers everything a definition holds (bounds, pattern, retention period,
// the portal's order) with each message beside its control, and a change that touches people's
// values says what it would do before it is confirmed.

#include "admin/admin_test_fixture.h"

namespace teilhabe::admin::testing {
namespace {

class FieldForm : public AdminPagesTest {
protected:
    std::string text_of(const std::string& sql) {
        auto r = m_t->db->transaction(db::TxMode::Read,
                                      [&](db::Connection& c) { return c.query_one(sql); });
        EXPECT_TRUE(r) << r.error().message;
        return r && !r->is_null(0) ? r->get_text(0) : std::string("NULL");
    }
};

TEST_P(FieldForm, OffersBoundsPatternRetentionAndPortalOrder) {
    auto form = get("/admin/fields/new");
    ASSERT_EQ(form.status, 200) << form.body;
    for (const char* control :
         {"<label for=\"min\">Minimum</label>", "<label for=\"max\">Maximum</label>",
          "<label for=\"pattern\">Muster (regulärer Ausdruck)</label>",
          "<legend>Aufbewahrungsfrist</legend>", "id=\"retention_unit\"",
          "<option value=\"months\" selected>Monate</option>",
          "<label for=\"portal_order\">Reihenfolge im Portal</label>", "name=\"csrf\""})
        EXPECT_TRUE(contains(form.body, control)) << control;

    auto ok =
        post("/admin/fields/new",
             "key=plz&type=text&label_de=PLZ&label_en=Postcode&min=5&max=5&pattern=%5B0-9%5D%7B5%7D"
             "&retention=24&retention_unit=months&personal=yes&ask_in_portal=yes&portal_order=3"
             "&department=vhs&required=yes");
    ASSERT_EQ(ok.status, 303) << ok.body;
    EXPECT_EQ(count("SELECT count(*) FROM fields WHERE key = 'plz' AND min_value = 5 AND max_value "
                    "= 5 AND pattern = '[0-9]{5}' AND retention_months = 24 AND retention_days IS "
                    "NULL AND portal_order = 3 AND ask_in_portal = true AND required = true"),
              1);
    auto list = get("/admin/fields");
    EXPECT_TRUE(contains(list.body, "<td>24 Monate</td><td>ja (Reihenfolge 3)</td>")) << list.body;

    auto edit = get("/admin/fields/plz/edit");
    ASSERT_EQ(edit.status, 200);
    EXPECT_TRUE(contains(edit.body, "name=\"pattern\" type=\"text\" value=\"[0-9]{5}\""));
    EXPECT_TRUE(
        contains(edit.body,
                 "name=\"retention\" type=\"text\" inputmode=\"numeric\" size=\"6\" value=\"24\""));
    EXPECT_TRUE(contains(
        edit.body,
        "name=\"portal_order\" type=\"text\" inputmode=\"numeric\" size=\"6\" value=\"3\""));
    EXPECT_TRUE(contains(edit.body, "name=\"min\" type=\"text\" value=\"5\""));

    // The same period in days replaces the months; emptied controls clear their member.
    auto days = post("/admin/fields/plz/edit",
                     "type=text&label_de=PLZ&label_en=Postcode&retention=90&retention_unit=days"
                     "&personal=yes&portal_order=");
    ASSERT_EQ(days.status, 303) << days.body;
    EXPECT_EQ(text_of("SELECT retention_days FROM fields WHERE key = 'plz'"), "90");
    EXPECT_EQ(text_of("SELECT retention_months FROM fields WHERE key = 'plz'"), "NULL");
    EXPECT_EQ(text_of("SELECT pattern FROM fields WHERE key = 'plz'"), "NULL");
    EXPECT_EQ(text_of("SELECT portal_order FROM fields WHERE key = 'plz'"), "0");
    EXPECT_TRUE(contains(get("/admin/fields/plz/edit").body,
                         "<option value=\"days\" selected>Tage</option>"));
}

TEST_P(FieldForm, AnInvalidPatternIsSaidBesideItAndNothingIsSaved) {
    auto r = post("/admin/fields/new",
                  "key=plz&type=text&label_de=PLZ&label_en=Postcode&pattern=%5B0-9&personal=yes");
    ASSERT_EQ(r.status, 422) << r.body;
    EXPECT_TRUE(
        contains(r.body, "id=\"pattern-error\">Das Muster ist kein gültiger regulärer Ausdruck."))
        << r.body;
    EXPECT_TRUE(
        contains(r.body, "aria-describedby=\"pattern-hint pattern-error\" aria-invalid=\"true\""));
    EXPECT_TRUE(contains(r.body, "href=\"#pattern\""));
    EXPECT_TRUE(contains(r.body, "value=\"[0-9\"")) << "what was typed stays";
    EXPECT_TRUE(contains(r.body, "value=\"Postcode\""));
    EXPECT_EQ(count("SELECT count(*) FROM fields"), 0);
}

TEST_P(FieldForm, EachWrongControlHasItsMessage) {
    auto formats =
        post("/admin/fields/new",
             "key=n&type=number&label_de=N&label_en=N&min=viel&retention=0&portal_order=erst");
    ASSERT_EQ(formats.status, 422) << formats.body;
    EXPECT_TRUE(contains(formats.body, "id=\"min-error\">Bitte geben Sie eine Zahl an"));
    EXPECT_TRUE(contains(formats.body, "id=\"retention-error\">Bitte geben Sie die Frist"));
    EXPECT_TRUE(
        contains(formats.body, "id=\"portal_order-error\">Bitte geben Sie eine ganze Zahl an."));
    EXPECT_FALSE(contains(formats.body, "id=\"max-error\""));

    auto no_english = post("/admin/fields/new", "key=n&type=number&label_de=N&label_en=");
    ASSERT_EQ(no_english.status, 422);
    EXPECT_TRUE(contains(no_english.body,
                         "id=\"label_en-error\">Bitte geben Sie eine englische Bezeichnung an."))
        << no_english.body;
    auto crossed =
        post("/admin/fields/new", "key=n&type=number&label_de=N&label_en=N&min=10&max=2%2C5");
    ASSERT_EQ(crossed.status, 422);
    EXPECT_TRUE(contains(crossed.body, "id=\"min-error\">Dieses Minimum passt nicht zum Feld."));
    EXPECT_TRUE(contains(crossed.body, "min must not be greater than max"));
    auto months =
        post("/admin/fields/new", "key=n&type=number&label_de=N&label_en=N&retention=1300");
    EXPECT_TRUE(contains(months.body, "id=\"retention-error\"")) << months.body;
    auto pattern_on_number =
        post("/admin/fields/new", "key=n&type=number&label_de=N&label_en=N&pattern=x");
    EXPECT_TRUE(contains(pattern_on_number.body,
                         "id=\"pattern-error\">Dieses Muster passt nicht zum Feld"));

    // Dates as people in Germany write them.
    auto dated = post("/admin/fields/new",
                      "key=moved_in&type=date&label_de=Zuzug&label_en=Moved+in&min=01.01.1950");
    ASSERT_EQ(dated.status, 303) << dated.body;
    EXPECT_TRUE(contains(get("/admin/fields/moved_in/edit").body,
                         "name=\"min\" type=\"text\" value=\"1950-01-01\""));
}

TEST_P(FieldForm, ChangingTheTypeOfAFieldWithValuesSaysWhatHappensAndWaitsForConfirmation) {
    add_field({{"key", "plz"}, {"type", "text"}, {"label", {{"de", "PLZ"}, {"en", "Postcode"}}}});
    auto anna = add_citizen({{"email", "anna@example.org"}, {"attributes", {{"plz", "12345"}}}});
    auto bert =
        add_citizen({{"email", "bert@example.org"}, {"attributes", {{"plz", "unbekannt"}}}});
    std::string body = "type=number&label_de=PLZ&label_en=Postcode&personal=yes";
    auto ask = post("/admin/fields/plz/edit", body);
    ASSERT_EQ(ask.status, 409) << ask.body;
    EXPECT_TRUE(contains(ask.body, "Wenn Sie den Typ in „Zahl“ ändern:")) << ask.body;
    EXPECT_TRUE(contains(ask.body, "<li>Werte, die in den neuen Typ übernommen werden: 1</li>"));
    EXPECT_TRUE(contains(ask.body, "<li>Werte, die nicht passen und gelöscht werden: 1</li>"));
    EXPECT_TRUE(contains(ask.body, "name=\"confirm\" value=\"yes\" aria-describedby=\"impact\""));
    EXPECT_TRUE(contains(ask.body, "<option value=\"number\" selected>")) << "the choice stays";
    EXPECT_EQ(count("SELECT count(*) FROM fields WHERE key = 'plz' AND type = 'text'"), 1);
    EXPECT_EQ(count("SELECT count(*) FROM citizen_values"), 2);

    auto done = post("/admin/fields/plz/edit", body + "&confirm=yes");
    ASSERT_EQ(done.status, 303) << done.body;
    EXPECT_EQ(count("SELECT count(*) FROM citizen_values WHERE citizen_id = ? AND number = 12345",
                    {anna}),
              1);
    EXPECT_EQ(count("SELECT count(*) FROM citizen_values WHERE citizen_id = ?", {bert}), 0);
    EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'field.values_converted' AND "
                    "ip = '192.0.2.10'"),
              1);
}

// The browser sends back the number bounds it showed; under the new type they would mean a
// length, so they go with the old type unless staff typed new ones.
TEST_P(FieldForm, ATypeChangeDropsTheOldTypesBoundsTheFormSendsBack) {
    add_field({{"key", "birth_year"},
               {"type", "number"},
               {"min", 1900},
               {"max", 2030},
               {"label", {{"de", "Geburtsjahr"}, {"en", "Year of birth"}}}});
    add_citizen({{"email", "anna@example.org"}, {"attributes", {{"birth_year", 1984}}}});
    std::string body = "type=text&label_de=Geburtsjahr&label_en=Year+of+birth&min=1900&max=2030"
                       "&personal=yes";
    auto ask = post("/admin/fields/birth_year/edit", body);
    ASSERT_EQ(ask.status, 409) << ask.body;
    EXPECT_TRUE(contains(ask.body, "name=\"min\" type=\"text\" value=\"\"")) << ask.body;
    ASSERT_EQ(post("/admin/fields/birth_year/edit", body + "&confirm=yes").status, 303);
    EXPECT_EQ(count("SELECT count(*) FROM fields WHERE key = 'birth_year' AND type = 'text' AND "
                    "min_value IS NULL AND max_value IS NULL"),
              1);
    EXPECT_EQ(count("SELECT count(*) FROM citizen_values WHERE value = '1984'"), 1);
    // New bounds typed with the new type are kept.
    auto typed = post("/admin/fields/birth_year/edit",
                      "type=number&label_de=Geburtsjahr&label_en=Year+of+birth&min=1800"
                      "&personal=yes&confirm=yes");
    ASSERT_EQ(typed.status, 303) << typed.body;
    EXPECT_EQ(count("SELECT count(*) FROM fields WHERE key = 'birth_year' AND min_value = 1800"),
              1);
}

TEST_P(FieldForm, RemovingAChosenOptionNamesItAndWaitsForConfirmation) {
    add_field({{"key", "hobby"},
               {"type", "choice"},
               {"options", {"Lesen", "Schwimmen"}},
               {"label", {{"de", "Hobby"}, {"en", "Hobby"}}}});
    add_citizen({{"email", "anna@example.org"}, {"attributes", {{"hobby", "Lesen"}}}});
    std::string body = "type=choice&label_de=Hobby&label_en=Hobby&options=Schwimmen&personal=yes";
    auto ask = post("/admin/fields/hobby/edit", body);
    ASSERT_EQ(ask.status, 409) << ask.body;
    EXPECT_TRUE(contains(ask.body, "werden dort gelöscht: „Lesen“. Betroffene Profile: 1."))
        << ask.body;
    EXPECT_TRUE(contains(ask.body, "Ja, die betroffenen Werte löschen"));
    EXPECT_EQ(count("SELECT count(*) FROM citizen_values"), 1);
    ASSERT_EQ(post("/admin/fields/hobby/edit", body + "&confirm=yes").status, 303);
    EXPECT_EQ(count("SELECT count(*) FROM citizen_values"), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, FieldForm, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::admin::testing
