// The field and import screens through the real dispatcher: deleting a field that people hold
// values for needs a second confirmation; the import report shows refused rows.

#include "admin/admin_test_fixture.h"

namespace teilhabe::admin::testing {
namespace {

using FieldPages = AdminPagesTest;

TEST_P(FieldPages, CreateListAndErrorsBesideTheField) {
    auto empty = get("/admin/fields");
    ASSERT_EQ(empty.status, 200) << empty.body;
    EXPECT_TRUE(contains(empty.body, "Noch keine eigenen Felder angelegt."));
    auto bad = post("/admin/fields/new", "key=1x&type=text&label_de=Test");
    ASSERT_EQ(bad.status, 422) << bad.body;
    EXPECT_TRUE(contains(bad.body, "id=\"key-error\"")) << bad.body;
    auto ok = post("/admin/fields/new",
                   "key=hobby&type=choice&label_de=Hobby&label_en=Hobby&options=Lesen%0D%0A"
                   "Schwimmen%0D%0A&personal=yes&department=vhs");
    ASSERT_EQ(ok.status, 303) << ok.body;
    auto list = get("/admin/fields");
    EXPECT_TRUE(contains(list.body, "<code>hobby</code>"));
    EXPECT_TRUE(contains(list.body, "vhs"));
    auto edit = get("/admin/fields/hobby/edit");
    ASSERT_EQ(edit.status, 200);
    EXPECT_TRUE(contains(edit.body, "Lesen\nSchwimmen"));
}

TEST_P(FieldPages, DeletingAFieldWithValuesNeedsASecondConfirmation) {
    add_field({{"key", "birth_year"}, {"type", "number"}, {"label", {{"de", "Geburtsjahr"}, {"en", "Year of birth"}}}});
    add_citizen({{"email", "anna@example.org"}, {"attributes", {{"birth_year", 1984}}}});
    auto ask = get("/admin/fields/birth_year/delete");
    ASSERT_EQ(ask.status, 200);
    EXPECT_TRUE(contains(ask.body, "action=\"/admin/fields/birth_year/delete\""));
    auto first = post("/admin/fields/birth_year/delete", "");
    ASSERT_EQ(first.status, 409) << first.body;
    EXPECT_TRUE(contains(first.body, "1 person has a value for birth_year")) << first.body;
    EXPECT_TRUE(contains(first.body, "name=\"confirm\" value=\"yes\""));
    EXPECT_EQ(count("SELECT count(*) FROM fields"), 1);
    EXPECT_EQ(post("/admin/fields/birth_year/delete", "confirm=yes", false).status, 403);
    auto second = post("/admin/fields/birth_year/delete", "confirm=yes");
    ASSERT_EQ(second.status, 303) << second.body;
    EXPECT_EQ(count("SELECT count(*) FROM fields"), 0);
    EXPECT_EQ(count("SELECT count(*) FROM citizen_values"), 0);
}

TEST_P(FieldPages, ImportReportShowsEveryRefusedRow) {
    auto form = get("/admin/import");
    ASSERT_EQ(form.status, 200);
    EXPECT_TRUE(contains(form.body, "enctype=\"multipart/form-data\""));
    std::string csv = "E-Mail;Vorname\r\nanna@example.org;Anna\r\nkeine-adresse;Bert\r\n";
    std::string mode = "dry_run";
    auto body = [&](const std::string& token) {
        std::string b = "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + token +
                        "\r\n--XyZ\r\nContent-Disposition: form-data; name=\"mode\"\r\n\r\n" +
                        mode +
                        "\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; "
                        "filename=\"buerger.csv\"\r\nContent-Type: text/csv\r\n\r\n" +
                        csv + "\r\n--XyZ--\r\n";
        return b;
    };
    http::Headers headers{{"accept", "text/html"},
                          {"cookie", "th_session=" + m_session},
                          {"content-type", "multipart/form-data; boundary=XyZ"}};
    EXPECT_EQ(call(http::Method::Post, "/admin/import", headers, body("wrong")).status, 403);
    // The dry run answers at once, with every refused row.
    auto r = call(http::Method::Post, "/admin/import", headers, body(m_csrf));
    ASSERT_EQ(r.status, 422) << r.body;
    EXPECT_TRUE(contains(r.body, "Nichts wurde gespeichert")) << r.body;
    EXPECT_TRUE(contains(r.body, "<td>3</td><td>E-Mail</td>")) << r.body;
    EXPECT_TRUE(contains(r.body, "<td>E-Mail</td><td>email</td>")) << r.body;
    EXPECT_EQ(count("SELECT count(*) FROM citizens"), 0);

    // The import itself is handed to the job worker (import_run_pages_test.cpp).
    mode = "apply";
    csv = "E-Mail;Vorname\r\nanna@example.org;Anna\r\n";
    auto queued = call(http::Method::Post, "/admin/import", headers, body(m_csrf));
    ASSERT_EQ(queued.status, 303) << queued.body;
    auto id = count("SELECT id FROM import_runs");
    EXPECT_EQ(queued.header("location").value_or(""), "/admin/imports/" + std::to_string(id));
    EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE kind = 'imports.run'"), 1);
    EXPECT_EQ(count("SELECT count(*) FROM citizens"), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, FieldPages, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::admin::testing
