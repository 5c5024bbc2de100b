// The formats of an export without a database: CSV cells as Excel in Germany reads them, and
// the protection against formulas in cells typed by people.

#include "exports/export_writer.h"

#include <gtest/gtest.h>

namespace teilhabe::exports {
namespace {

TEST(CsvTextCell, CellsThatASpreadsheetWouldRunAsAFormulaGetAnApostrophe) {
    EXPECT_EQ(csv_text_cell("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
    EXPECT_EQ(csv_text_cell("=1+1"), "'=1+1");
    EXPECT_EQ(csv_text_cell("+49 170 1234567"), "'+49 170 1234567");
    EXPECT_EQ(csv_text_cell("-2+3"), "'-2+3");
    EXPECT_EQ(csv_text_cell("@SUM(A1)"), "'@SUM(A1)");
    EXPECT_EQ(csv_text_cell("\t=1"), "'\t=1");
    EXPECT_EQ(csv_text_cell("\r=1"), "\"'\r=1\"");
    // Not at the start: harmless, unchanged.
    EXPECT_EQ(csv_text_cell("a=b"), "a=b");
    EXPECT_EQ(csv_text_cell("Müller-Lüdenscheidt"), "Müller-Lüdenscheidt");
    EXPECT_EQ(csv_text_cell(""), "");
}

TEST(CsvTextCell, Rfc4180QuotingWhereTheTextNeedsIt) {
    EXPECT_EQ(csv_text_cell("Nord;Süd"), "\"Nord;Süd\"");
    EXPECT_EQ(csv_text_cell("sagt \"hallo\""), "\"sagt \"\"hallo\"\"\"");
    EXPECT_EQ(csv_text_cell("Zeile 1\nZeile 2"), "\"Zeile 1\nZeile 2\"");
    EXPECT_EQ(csv_text_cell("a,b"), "a,b"); // the separator is ';'
}

citizens::FieldDefinition field(std::string key, citizens::FieldType type) {
    citizens::FieldDefinition f;
    f.key = std::move(key);
    f.type = type;
    return f;
}

TEST(CsvWriter, GermanSpreadsheetConventionsAndAByteOrderMark) {
    using citizens::FieldType;
    ExportTable table({field("share", FieldType::Number), field("member_since", FieldType::Date),
                       field("has_dog", FieldType::Bool), field("district", FieldType::Text)});
    citizens::Citizen c;
    c.id = 7;
    c.email = "anna@example.org";
    c.first_name = "-Anna"; // typed by a person: protected
    c.tags = {"ehrenamt", "senioren"};
    c.created_at = 1'780'000'000'000;
    c.updated_at = 1'780'000'000'500;
    c.attributes = {
        {"share", -2.5}, {"member_since", "2024-02-29"}, {"has_dog", false}, {"district", "x"}};
    auto w = csv_writer();
    std::string out;
    ASSERT_TRUE(w->begin(table, out));
    ASSERT_TRUE(w->row(table, c, out));
    ASSERT_TRUE(w->end(out));
    EXPECT_EQ(out,
              "\xEF\xBB\xBF"
              "id;email;first_name;last_name;language;preferred_channel;district;tags;interests;"
              "created_at;updated_at;attributes.district;has_dog;member_since;share\r\n"
              "7;anna@example.org;'-Anna;;de;email;;ehrenamt, senioren;;2026-05-28T20:26:40.000Z;"
              "2026-05-28T20:26:40.500Z;x;nein;2024-02-29;-2,5\r\n");
}

TEST(JsonWriter, AnArrayOfCitizensInTheApiShape) {
    ExportTable table({});
    citizens::Citizen a, b;
    a.id = 1;
    a.email = "a@example.org";
    b.id = 2;
    b.email = "b@example.org";
    auto w = json_writer();
    std::string out;
    ASSERT_TRUE(w->begin(table, out));
    ASSERT_TRUE(w->row(table, a, out));
    ASSERT_TRUE(w->row(table, b, out));
    ASSERT_TRUE(w->end(out));
    auto j = nlohmann::json::parse(out);
    ASSERT_EQ(j.size(), 2u);
    EXPECT_EQ(j[0], citizens::to_json(a));
    EXPECT_EQ(j[1]["email"], "b@example.org");

    auto empty = json_writer();
    std::string none;
    ASSERT_TRUE(empty->begin(table, none));
    ASSERT_TRUE(empty->end(none));
    EXPECT_EQ(nlohmann::json::parse(none), nlohmann::json::array());
}

} // namespace
} // namespace teilhabe::exports
