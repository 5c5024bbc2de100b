// The quoted-printable encoder writes what the plain one-character-at-a-time rule of RFC 2045
// 6.7 writes (the rule it replaced for speed, kept here as the reference), over many generated
// texts with the cases that matter: soft breaks at the line limit, '=' and non-ASCII as =XX,
// trailing space and tab, a leading '.' and "From ", CRLF and LF line ends.

#include "mail/mime.h"

#include <gtest/gtest.h>
#include <random>

namespace teilhabe::mail {
namespace {

std::string reference_qp(std::string_view text) {
    constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    std::size_t start = 0;
    bool first_line = true;
    while (start <= text.size()) {
        auto nl = text.find('\n', start);
        bool last = nl == std::string_view::npos;
        auto line = text.substr(start, (last ? text.size() : nl) - start);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (!first_line)
            out += "\r\n";
        first_line = false;
        std::size_t col = 0;
        for (std::size_t i = 0; i < line.size(); ++i) {
            auto c = static_cast<unsigned char>(line[i]);
            bool at_end = i + 1 == line.size();
            bool literal = ((c >= 33 && c <= 126 && c != '=') || c == ' ' || c == '\t') &&
                           !((c == ' ' || c == '\t') && at_end) && !(i == 0 && c == '.') &&
                           !(i == 0 && c == 'F' && line.starts_with("From "));
            std::string piece = literal ? std::string(1, static_cast<char>(c))
                                        : std::string{'=', hex[c >> 4], hex[c & 15]};
            if (col + piece.size() + (at_end ? 0 : 1) > 76) {
                out += "=\r\n";
                col = 0;
            }
            out += piece;
            col += piece.size();
        }
        if (last)
            break;
        start = nl + 1;
    }
    return out;
}

TEST(QuotedPrintable, WritesWhatTheOneCharacterRuleWrites) {
    std::mt19937 rng(20261127);
    const std::vector<std::string> pieces{"a", "Z", "9", "<", ">", "\"", " ", "\t", "=", ".", "From ", "ä", "€",
                                          "\n", "\r\n", "<td style=\"padding:0\">", "x", "\xff"};
    for (int round = 0; round < 3000; ++round) {
        std::string text;
        std::size_t length = rng() % 400;
        while (text.size() < length) {
            // Mostly plain characters, as in an HTML part, with the special ones mixed in.
            text += rng() % 3 ? std::string(1, static_cast<char>('a' + rng() % 26)) : pieces[rng() % pieces.size()];
        }
        ASSERT_EQ(quoted_printable(text), reference_qp(text)) << "input: " << text;
        std::string prefix = "head\r\n";
        append_quoted_printable(prefix, text);
        ASSERT_EQ(prefix, "head\r\n" + reference_qp(text));
    }
    EXPECT_EQ(quoted_printable(""), "");
    EXPECT_EQ(quoted_printable(std::string(76, 'a')), std::string(76, 'a'));
    EXPECT_EQ(quoted_printable(std::string(77, 'a')), std::string(75, 'a') + "=\r\naa");
    EXPECT_EQ(quoted_printable("a \nb\t"), "a=20\r\nb=09");
}

// The ASCII fast path (eight bytes at a time) must not skip a bad byte anywhere in a long text.
TEST(ValidUtf8, FindsABadSequenceAtEveryPosition) {
    const std::string ascii(40, 'a');
    EXPECT_TRUE(valid_utf8(ascii));
    for (std::string bad : {"\xff", "\xc3", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\x80"}) {
        for (std::size_t at = 0; at <= ascii.size(); ++at) {
            std::string text = ascii.substr(0, at) + bad + ascii.substr(at);
            EXPECT_FALSE(valid_utf8(text)) << "at " << at;
        }
    }
    for (std::size_t at = 0; at <= ascii.size(); ++at)
        EXPECT_TRUE(valid_utf8(ascii.substr(0, at) + "Grüße € 😀" + ascii.substr(at))) << "at " << at;
    EXPECT_FALSE(valid_utf8(ascii + "\xe2\x82")); // cut off at the end
}

} // namespace
} // namespace teilhabe::mail
