// RFC 5545 details of the calendar files: escaping, folding at 75 octets, CRLF, UTC times.

#include "events/ics.h"

#include <gtest/gtest.h>

namespace teilhabe::events {
namespace {

TEST(Ics, EscapesBackslashSemicolonCommaAndNewlines) {
    EXPECT_EQ(ics_escape("a\\b;c,d\ne\r\nf"), "a\\\\b\\;c\\,d\\ne\\nf");
    EXPECT_EQ(ics_escape("Stadtpark: Eingang Nord"), "Stadtpark: Eingang Nord"); // ':' stays
}

TEST(Ics, FoldsLongLinesAt75OctetsWithoutSplittingCharacters) {
    EXPECT_EQ(ics_fold("SUMMARY:kurz"), "SUMMARY:kurz\r\n");
    std::string line = "DESCRIPTION:" + std::string(100, 'x');
    auto folded = ics_fold(line);
    auto first = folded.substr(0, folded.find("\r\n"));
    EXPECT_EQ(first.size(), 75u);
    EXPECT_EQ(folded.substr(75, 3), "\r\n ");
    // Unfolding (remove CRLF + space) gives the line back.
    std::string unfolded;
    for (std::size_t i = 0; i < folded.size(); ++i) {
        if (folded.compare(i, 3, "\r\n ") == 0) {
            i += 2;
            continue;
        }
        unfolded += folded[i];
    }
    EXPECT_EQ(unfolded, line + "\r\n");
    // Umlauts (2 octets each) are never cut in half: every physical line is valid UTF-8 of at
    // most 75 octets.
    std::string umlauts = "SUMMARY:";
    for (int i = 0; i < 60; ++i)
        umlauts += "ä";
    auto f = ics_fold(umlauts);
    std::size_t start = 0;
    while (start < f.size()) {
        auto end = f.find("\r\n", start);
        ASSERT_NE(end, std::string::npos);
        auto piece = f.substr(start, end - start);
        EXPECT_LE(piece.size(), 75u);
        auto rest = piece.front() == ' ' ? piece.substr(1) : piece;
        if (!rest.empty() && rest.substr(0, 8) != "SUMMARY:") {
            EXPECT_EQ(static_cast<unsigned char>(rest[0]), 0xC3u) << "a line starts mid-character";
        }
        start = end + 2;
    }
}

TEST(Ics, CalendarHasUidStampAndUtcTimesWithCrlf) {
    CalendarEntry e{.uid = "event-7@teilhabe.example",
                    .starts_at_ms = 1'790'000'000'000,
                    .ends_at_ms = 1'790'007'200'000,
                    .stamp_ms = 1'789'000'000'000,
                    .summary = "Putztag, Stadtpark; alle",
                    .description = "Zeile 1\nZeile 2",
                    .location = "Stadtpark"};
    auto cal = calendar({e});
    EXPECT_TRUE(cal.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
    EXPECT_TRUE(cal.ends_with("END:VCALENDAR\r\n"));
    EXPECT_NE(cal.find("UID:event-7@teilhabe.example\r\n"), std::string::npos);
    EXPECT_NE(cal.find("DTSTART:20260921T141320Z\r\n"), std::string::npos);
    EXPECT_NE(cal.find("DTEND:20260921T161320Z\r\n"), std::string::npos);
    EXPECT_NE(cal.find("DTSTAMP:20260910T002640Z\r\n"), std::string::npos);
    EXPECT_NE(cal.find("SUMMARY:Putztag\\, Stadtpark\\; alle\r\n"), std::string::npos);
    EXPECT_NE(cal.find("DESCRIPTION:Zeile 1\\nZeile 2\r\n"), std::string::npos);
    // No bare LF anywhere.
    for (std::size_t i = 0; i < cal.size(); ++i)
        if (cal[i] == '\n') {
            EXPECT_EQ(cal[i - 1], '\r');
        }
    e.cancelled = true;
    EXPECT_NE(calendar({e}).find("STATUS:CANCELLED\r\n"), std::string::npos);
}

} // namespace
} // namespace teilhabe::events
