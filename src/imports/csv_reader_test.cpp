#include "imports/csv_reader.h"

#include <gtest/gtest.h>
#include <sstream>

namespace teilhabe::imports {
namespace {

std::vector<CsvRow> all_rows(CsvReader& r) {
    std::vector<CsvRow> out;
    for (;;) {
        auto row = r.next();
        EXPECT_TRUE(row.has_value()) << row.error().message;
        if (!row || !*row)
            return out;
        out.push_back(std::move(**row));
    }
}

TEST(CsvReader, GermanExcelWithSemicolonsQuotesAndCrlf) {
    std::istringstream in("E-Mail;Vorname;Notiz\r\n"
                          "anna@example.org;Anna;\"Sagt \"\"Hallo\"\"; mag Kultur\"\r\n"
                          "\r\n"
                          "bob@example.org;Bob;\"zwei\r\nZeilen\"\r\n"
                          "carla@example.org;;\r\n");
    auto r = CsvReader::open(in);
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_EQ(r->separator(), ';');
    EXPECT_EQ(r->encoding(), Encoding::Utf8);
    EXPECT_EQ(r->header(), (std::vector<std::string>{"E-Mail", "Vorname", "Notiz"}));
    auto rows = all_rows(*r);
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0].cells, (std::vector<std::string>{"anna@example.org", "Anna", "Sagt \"Hallo\"; mag Kultur"}));
    EXPECT_EQ(rows[0].line, 2);
    EXPECT_EQ(rows[1].cells[2], "zwei\nZeilen");
    EXPECT_EQ(rows[1].line, 4);
    EXPECT_EQ(rows[2].cells, (std::vector<std::string>{"carla@example.org", "", ""}));
    EXPECT_EQ(rows[2].line, 6);
}

TEST(CsvReader, CommaSeparatedUtf8WithByteOrderMark) {
    std::istringstream in("\xEF\xBB\xBF" "email,first_name\nj\xC3\xBCrgen@example.org,J\xC3\xBCrgen\n");
    auto r = CsvReader::open(in);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->separator(), ',');
    EXPECT_EQ(r->header()[0], "email"); // the BOM is not part of the first column's name
    auto rows = all_rows(*r);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].cells[1], "J\xC3\xBCrgen");
}

TEST(CsvReader, Windows1252IsDetectedAndConverted) {
    // "Straße;Größe" and "Müller;5 €" as Excel saves them on German Windows.
    std::istringstream in("Stra\xDF" "e;Gr\xF6\xDF" "e\nM\xFCller;5 \x80\n");
    auto r = CsvReader::open(in);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->encoding(), Encoding::Windows1252);
    EXPECT_EQ(r->header()[0], "Stra\xC3\x9F" "e");
    auto rows = all_rows(*r);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].cells[0], "M\xC3\xBCller");
    EXPECT_EQ(rows[0].cells[1], "5 \xE2\x82\xAC");
}

TEST(CsvReader, BrokenQuotingNamesTheLine) {
    std::istringstream unclosed("a;b\n1;\"offen\n2;3\n");
    auto r = CsvReader::open(unclosed);
    ASSERT_TRUE(r.has_value());
    auto row = r->next();
    ASSERT_FALSE(row.has_value());
    EXPECT_NE(row.error().message.find("line 2"), std::string::npos) << row.error().message;

    std::istringstream trailing("a;b\n\"x\"y;2\n");
    auto t = CsvReader::open(trailing);
    ASSERT_TRUE(t.has_value());
    auto bad = t->next();
    ASSERT_FALSE(bad.has_value());
    EXPECT_NE(bad.error().message.find("after the closing quote"), std::string::npos);
}

TEST(CsvReader, EmptyFileOrHeaderIsRefused) {
    std::istringstream empty("");
    EXPECT_FALSE(CsvReader::open(empty).has_value());
    std::istringstream blank("\n\n;;\n");
    EXPECT_FALSE(CsvReader::open(blank).has_value());
}

TEST(Utf8, ValidityRules) {
    EXPECT_TRUE(is_valid_utf8("plain ascii"));
    EXPECT_TRUE(is_valid_utf8("\xC3\xA4\xE2\x82\xAC\xF0\x9F\x98\x80")); // ä € 😀
    EXPECT_FALSE(is_valid_utf8("\xC3"));                              // cut short
    EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));                          // overlong '/'
    EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));                      // a surrogate
    EXPECT_FALSE(is_valid_utf8("M\xFCller"));                         // Latin-1
    EXPECT_EQ(windows1252_to_utf8("\x81"), "\xEF\xBF\xBD");           // undefined -> U+FFFD
}

} // namespace
} // namespace teilhabe::imports
