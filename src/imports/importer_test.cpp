// CSV import on both engines: upsert by e-mail, the per-row report, all or nothing, dry run.

#include "imports/importer.h"

#include "db/test_support.h"

#include <gtest/gtest.h>
#include <sstream>

namespace teilhabe::imports {
namespace {

class ImporterTest : public ::testing::TestWithParam<db::Backend> {
protected:
    void SetUp() override {
        auto t = db::testing::make_database(GetParam());
        ASSERT_TRUE(t.has_value()) << t.error().message;
        m_t = std::move(*t);
        auto now = m_clock.now_ms();
        exec("INSERT INTO fields (key, type, label_de, label_en, min_value, max_value, created_at, "
             "updated_at) VALUES ('birth_year', 'number', 'Geburtsjahr', 'Year of birth', 1900, "
             "2026, ?, ?)", {now, now});
        exec("INSERT INTO fields (key, type, label_de, label_en, created_at, updated_at) VALUES "
             "('has_dog', 'bool', 'Hund', 'Dog', ?, ?)", {now, now});
        exec("INSERT INTO fields (key, type, label_de, label_en, options, created_at, updated_at) "
             "VALUES ('volunteering', 'multichoice', 'Ehrenamt', 'Volunteering', "
             "'[\"Umwelt\",\"Sport\",\"Kultur\"]', ?, ?)", {now, now});
        exec("INSERT INTO topics (key, name_de, name_en, created_at) VALUES ('kultur', 'Kultur', "
             "'Culture', ?)", {now});
    }
    void exec(const std::string& sql, db::Params p = {}) {
        auto r = m_t->db->acquire().value()->query(sql, p);
        ASSERT_TRUE(r.has_value()) << r.error().message;
    }
    std::int64_t count(const std::string& sql, db::Params p = {}) {
        return m_t->db->acquire().value()->query_one(sql, p).value().get_int(0);
    }
    std::string text(const std::string& sql, db::Params p = {}) {
        return m_t->db->acquire().value()->query_one(sql, p).value().get_text(0);
    }
    Result<ImportReport> run(const std::string& csv, ImportOptions o = {}) {
        std::istringstream in(csv);
        return import_citizens(*m_t->db, in, o, {"staff:1", "192.0.2.1"}, m_clock);
    }
    std::unique_ptr<db::testing::TestDatabase> m_t;
    ManualClock m_clock;
};

TEST_P(ImporterTest, CreatesThenUpdatesByEmailWithGermanSpreadsheetConventions) {
    auto first = run("E-Mail;Vorname;Nachname;Geburtsjahr;Hund;Ehrenamt;Interessen;Schlagworte\n"
                     "Anna@Example.org ;Anna;Alt;1984;ja;Umwelt, Sport;kultur;Lesepatin\n"
                     "bob@example.org;Bob;Bau;;nein;;;\n");
    ASSERT_TRUE(first.has_value()) << first.error().message;
    EXPECT_EQ(first->error_count, 0) << to_json(*first).dump(2);
    EXPECT_TRUE(first->applied);
    EXPECT_EQ(first->created, 2);
    EXPECT_EQ(first->columns["Geburtsjahr"], "attributes.birth_year");
    EXPECT_EQ(count("SELECT COUNT(*) FROM citizens"), 2);
    EXPECT_EQ(text("SELECT last_name FROM citizens WHERE email = 'anna@example.org'"), "Alt");
    EXPECT_EQ(count("SELECT COUNT(*) FROM citizen_values v JOIN citizens c ON c.id = v.citizen_id "
                    "WHERE c.email = 'anna@example.org'"),
              4); // birth_year, has_dog, two volunteering options
    EXPECT_EQ(count("SELECT COUNT(*) FROM citizen_interests"), 1);

    m_clock.advance(std::chrono::seconds(5));
    auto second = run("E-Mail;Nachname\nanna@example.org;Neu\nbob@example.org;Bau\n");
    ASSERT_TRUE(second.has_value());
    EXPECT_EQ(second->updated, 1);
    EXPECT_EQ(second->unchanged, 1);
    EXPECT_EQ(second->created, 0);
    EXPECT_EQ(text("SELECT last_name FROM citizens WHERE email = 'anna@example.org'"), "Neu");
    // Cells left out keep what was there.
    EXPECT_EQ(text("SELECT first_name FROM citizens WHERE email = 'anna@example.org'"), "Anna");
}

TEST_P(ImporterTest, OneBadRowMeansNothingIsWrittenAndEveryProblemIsReported) {
    auto r = run("email,first_name,birth_year,has_dog\n"
                 "ok@example.org,Okay,1990,yes\n"
                 "young@example.org,Zu jung,2100,no\n"
                 ",Ohne Adresse,,\n"
                 "dog@example.org,Hund,,vielleicht\n"
                 "short@example.org,Kurz\n");
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_FALSE(r->applied);
    EXPECT_EQ(r->error_count, 4) << to_json(*r).dump(2);
    ASSERT_EQ(r->errors.size(), 4u);
    EXPECT_EQ(r->errors[0].line, 3);
    EXPECT_EQ(r->errors[0].column, "birth_year");
    EXPECT_EQ(r->errors[1].line, 4);
    EXPECT_EQ(r->errors[1].column, "email");
    EXPECT_EQ(r->errors[2].column, "has_dog");
    EXPECT_EQ(r->errors[3].line, 6);
    EXPECT_EQ(count("SELECT COUNT(*) FROM citizens"), 0) << "the good first row was rolled back";
    EXPECT_EQ(count("SELECT COUNT(*) FROM activities"), 0);
}

TEST_P(ImporterTest, DryRunReportsWithoutWriting) {
    ImportOptions o;
    o.mode = ImportOptions::Mode::DryRun;
    auto r = run("email;first_name\na@example.org;A\nb@example.org;B\n", o);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->created, 2);
    EXPECT_FALSE(r->applied);
    EXPECT_EQ(count("SELECT COUNT(*) FROM citizens"), 0);
}

TEST_P(ImporterTest, Windows1252AndAnExplicitMapping) {
    ImportOptions o;
    o.mapping = {{"Wohnort", "district"}, {"Bemerkung", ""}};
    auto r = run("Mail;Vorname;Wohnort;Bemerkung\r\nmueller@example.org;J\xFCrgen;S\xFC" "dstadt;egal\r\n", o);
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_EQ(r->encoding, "Windows-1252");
    EXPECT_EQ(r->error_count, 0) << to_json(*r).dump(2);
    EXPECT_EQ(text("SELECT first_name FROM citizens"), "J\xC3\xBCrgen");
    EXPECT_EQ(text("SELECT district FROM citizens"), "S\xC3\xBC" "dstadt");
}

TEST_P(ImporterTest, AFileThatCannotBeMappedIsRefusedWhole) {
    auto no_email = run("Vorname;Nachname\nAnna;Alt\n");
    ASSERT_FALSE(no_email.has_value());
    EXPECT_NE(no_email.error().message.find("e-mail"), std::string::npos);
    ImportOptions o;
    o.mapping = {{"Notiz", "attributes.unknown"}};
    auto bad_target = run("email;Notiz\na@example.org;x\n", o);
    ASSERT_FALSE(bad_target.has_value());
    EXPECT_NE(bad_target.error().message.find("attributes.unknown"), std::string::npos);
    o.mapping = {{"Fehlt", "district"}};
    EXPECT_FALSE(run("email\na@example.org\n", o).has_value());
    EXPECT_EQ(count("SELECT COUNT(*) FROM citizens"), 0);
}

TEST_P(ImporterTest, EachPersonIsRecordedAndTheConnectionGetsItsUsualCacheBack) {
    auto first = run("email;Hund;Interessen\na@example.org;ja;kultur\nb@example.org;nein;\n");
    ASSERT_TRUE(first.has_value()) << first.error().message;
    ASSERT_TRUE(first->applied) << to_json(*first).dump(2);
    auto second = run("email;Hund\na@example.org;nein\nb@example.org;nein\n");
    ASSERT_TRUE(second.has_value()) << second.error().message;
    EXPECT_EQ(second->updated, 1);
    EXPECT_EQ(second->unchanged, 1);
    // The same activity and audit entry per person as a create or change through the API.
    EXPECT_EQ(count("SELECT COUNT(*) FROM activities WHERE type = 'citizen.created'"), 2);
    EXPECT_EQ(count("SELECT COUNT(*) FROM activities WHERE type = 'citizen.updated'"), 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'citizen.created' AND "
                    "actor = 'staff:1'"),
              2);
    EXPECT_EQ(text("SELECT v.value FROM citizen_values v JOIN citizens c ON c.id = "
                   "v.citizen_id WHERE c.email = 'a@example.org'"),
              "false");
    if (GetParam() == db::Backend::Sqlite) { // the pool hands out the import's connection again
        EXPECT_EQ(count("PRAGMA cache_size"), -2000) << "the import's larger cache is reset";
    }
}

TEST_P(ImporterTest, APersonWithMoreValuesThanOneInsertCarriesGetsThemAll) {
    // 40 chosen options are 40 value rows: more than one multi-row INSERT takes (PostgreSQL).
    std::string options = "[", cell;
    for (int i = 0; i < 40; ++i) {
        options += (i ? ",\"o" : "\"o") + std::to_string(i) + "\"";
        cell += (i ? "|o" : "o") + std::to_string(i);
    }
    auto now = m_clock.now_ms();
    exec("INSERT INTO fields (key, type, label_de, label_en, options, created_at, updated_at) "
         "VALUES ('many', 'multichoice', 'Viele', 'Many', ?, ?, ?)",
         {options + "]", now, now});
    auto r = run("email;many;Hund\nviele@example.org;" + cell + ";ja\n");
    ASSERT_TRUE(r.has_value()) << r.error().message;
    ASSERT_TRUE(r->applied) << to_json(*r).dump(2);
    EXPECT_EQ(count("SELECT COUNT(*) FROM citizen_values"), 41);
    EXPECT_EQ(count("SELECT COUNT(DISTINCT value) FROM citizen_values v JOIN fields f ON f.id = "
                    "v.field_id WHERE f.key = 'many'"),
              40);
}

INSTANTIATE_TEST_SUITE_P(Backends, ImporterTest, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::imports
