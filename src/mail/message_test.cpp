#include "mail/mail_check.h"
#include "mail/message.h"
#include "mail/mime.h"

#include <gtest/gtest.h>

using namespace teilhabe;
using namespace teilhabe::mail;
using teilhabe::mail::check::parse_with_python;

namespace {

const TimePoint fixed_time = from_unix_ms(1'795'000'000'000); // 2026-11-18

Message sample() {
    Message m;
    m.from = {"Stadt Musterstadt – Umweltamt", "umwelt@musterstadt.de"};
    m.to = {"Jürgen Müller-Lüdenscheidt", "juergen@example.org"};
    m.subject = "Frühjahrsputz: Grüße aus dem Rathaus";
    m.text =
        "Hallo Jürgen,\n\nam Samstag ist Frühjahrsputz.\n.Ein Punkt am Zeilenanfang\nFrom here\n";
    m.html = "<p>Hallo Jürgen,</p>\n<p>am Samstag ist <b>Frühjahrsputz</b>.</p>\n";
    m.extra_headers = {{"List-Unsubscribe", "<https://musterstadt.de/unsubscribe/abc>"},
                       {"List-Unsubscribe-Post", "List-Unsubscribe=One-Click"}};
    return m;
}

std::string header(const nlohmann::json& j, const std::string& name) {
    for (const auto& h : j["headers"])
        if (h[0] == name)
            return h[1];
    return "<missing>";
}

} // namespace

TEST(Mime, QuotedPrintableKeepsLinesShortAndRoundTrips) {
    std::string long_line(200, 'a');
    long_line += "äöü=\t ";
    auto qp = quoted_printable(long_line + "\n.dot\n");
    std::size_t start = 0;
    while (start < qp.size()) {
        auto end = qp.find("\r\n", start);
        if (end == std::string::npos)
            end = qp.size();
        EXPECT_LE(end - start, 76u) << qp.substr(start, end - start);
        start = end + 2;
    }
    EXPECT_NE(qp.find("=2Edot"), std::string::npos);
    EXPECT_NE(qp.find("=3D"), std::string::npos);
    EXPECT_NE(qp.find("\t=20\r\n"), std::string::npos) << "trailing whitespace is encoded";
}

TEST(Mime, EncodedWordsNeverSplitAUtf8SequenceAndLinesStayShort) {
    std::string subject;
    for (int i = 0; i < 40; ++i)
        subject += "Ä€😀 ";
    auto h = unstructured_header("Subject", subject);
    std::size_t start = 0;
    while (start < h.size()) {
        auto end = h.find("\r\n", start);
        EXPECT_LE(end - start, 78u);
        start = end + 2;
    }
    // Each encoded-word decodes on its own (Python's parser checks it too, below).
    EXPECT_EQ(h.find("=F0=9F?="), std::string::npos);
}

TEST(Mime, DateIsRfc5322) {
    EXPECT_EQ(rfc5322_date(from_unix_ms(0)), "Thu, 01 Jan 1970 00:00:00 +0000");
    EXPECT_EQ(rfc5322_date(from_unix_ms(1'795'000'000'000)), "Wed, 18 Nov 2026 11:06:40 +0000");
}

TEST(Message, PythonsStrictParserReadsBackEveryHeaderAndBothParts) {
    auto m = sample();
    auto raw = to_mime(m, fixed_time);
    ASSERT_TRUE(raw) << raw.error().message;
    auto j = parse_with_python(*raw);
    EXPECT_TRUE(j["defects"].empty()) << j["defects"];
    EXPECT_EQ(j["content_type"], "multipart/alternative");
    EXPECT_EQ(header(j, "Subject"), m.subject);
    EXPECT_EQ(j["addresses"]["From"][0], m.from.name);
    EXPECT_EQ(j["addresses"]["From"][1], m.from.email);
    EXPECT_EQ(j["addresses"]["To"][0], m.to.name);
    EXPECT_EQ(header(j, "Date"), "Wed, 18 Nov 2026 11:06:40 +0000");
    EXPECT_EQ(header(j, "MIME-Version"), "1.0");
    EXPECT_EQ(header(j, "List-Unsubscribe-Post"), "List-Unsubscribe=One-Click");
    EXPECT_TRUE(header(j, "Message-ID").ends_with("@musterstadt.de>"));
    ASSERT_EQ(j["parts"].size(), 2u);
    EXPECT_EQ(j["parts"][0]["type"], "text/plain");
    EXPECT_EQ(j["parts"][0]["content"], m.text);
    EXPECT_EQ(j["parts"][1]["type"], "text/html");
    EXPECT_EQ(j["parts"][1]["content"], *m.html);
    EXPECT_EQ(j["parts"][0]["charset"], "utf-8");
    EXPECT_LE(j["header_max_line"].get<int>(), 78);
    EXPECT_LE(j["max_line"].get<int>(), 78);
    EXPECT_FALSE(j["bare_lf"].get<bool>());
    EXPECT_TRUE(j["ends_crlf"].get<bool>());
}

TEST(Message, LongUnicodeSubjectsAndNamesFoldAndDecodeExactly) {
    auto m = sample();
    m.subject.clear();
    for (int i = 0; i < 12; ++i)
        m.subject += "Grüße aus Köln 😀 «Straßenfest» ";
    m.subject += "=?not-an-encoded-word?=";
    m.from.name =
        "Bürgerbüro, \"Rathaus\" (2. OG) – Öffnungszeiten für alle Bürgerinnen und Bürger";
    m.to.name = "O'Brien, Anna";
    m.reply_to = Address{"", "antwort@musterstadt.de"};
    m.html.reset();
    auto raw = to_mime(m, fixed_time);
    ASSERT_TRUE(raw) << raw.error().message;
    auto j = parse_with_python(*raw);
    EXPECT_TRUE(j["defects"].empty()) << j["defects"];
    EXPECT_EQ(header(j, "Subject"), m.subject);
    // A name longer than one encoded-word: Python's address parser puts a space between adjacent
    // encoded-words (its own output has the same problem), so the name is checked with its
    // RFC 2047 decoder, which drops the white space between encoded-words as the RFC says.
    EXPECT_EQ(j["rfc2047"]["From"], m.from.name + " <" + m.from.email + ">");
    EXPECT_EQ(j["addresses"]["To"][0], m.to.name);
    EXPECT_EQ(j["addresses"]["Reply-To"][1], "antwort@musterstadt.de");
    EXPECT_EQ(j["content_type"], "text/plain");
    EXPECT_EQ(j["parts"][0]["content"], m.text);
    EXPECT_LE(j["header_max_line"].get<int>(), 78);
}

TEST(Message, LineBreaksInAnyHeaderValueAreRefused) {
    auto inject = [](auto change) {
        auto m = sample();
        change(m);
        return to_mime(m, fixed_time);
    };
    std::string evil = "Hallo\r\nBcc: victim@example.org";
    EXPECT_FALSE(inject([&](Message& m) { m.subject = evil; }));
    EXPECT_FALSE(inject([&](Message& m) { m.subject = "a\nb"; }));
    EXPECT_FALSE(inject([&](Message& m) { m.subject = "a\rb"; }));
    EXPECT_FALSE(inject([&](Message& m) { m.from.name = evil; }));
    EXPECT_FALSE(inject([&](Message& m) { m.to.name = evil; }));
    EXPECT_FALSE(inject([&](Message& m) { m.to.email = "a@example.org>\r\nBcc: b@example.org"; }));
    EXPECT_FALSE(inject([&](Message& m) { m.reply_to = Address{"x", "x@y.de\nBcc: z@y.de"}; }));
    EXPECT_FALSE(inject([&](Message& m) { m.extra_headers.push_back({"X-Campaign", evil}); }));
    EXPECT_FALSE(inject([&](Message& m) { m.extra_headers.push_back({"X-A\r\nBcc", "v"}); }));
    EXPECT_FALSE(inject([&](Message& m) { m.extra_headers.push_back({"Bcc: x", "v"}); }));
    EXPECT_FALSE(inject([&](Message& m) { m.extra_headers.push_back({"subject", "second"}); }));
    EXPECT_FALSE(inject([&](Message& m) { m.message_id = "<a@b>\r\nBcc: c@d"; }));
    EXPECT_FALSE(inject([&](Message& m) { m.subject = "\xC3\x28"; })) << "invalid UTF-8";
    auto ok = inject([](Message& m) { m.subject = "Harmlos"; });
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->find("Bcc"), std::string::npos);
    auto refused = inject([&](Message& m) { m.subject = evil; });
    EXPECT_EQ(refused.error().code, ErrorCode::InvalidArgument);
}

TEST(Message, MessageIdIsGeneratedPerMessageAndKeptWhenGiven) {
    auto a = generate_message_id("info@musterstadt.de");
    auto b = generate_message_id("info@musterstadt.de");
    EXPECT_NE(a, b);
    EXPECT_TRUE(a.starts_with("<") && a.ends_with("@musterstadt.de>"));
    auto m = sample();
    m.message_id = "<kampagne-7.person-9@musterstadt.de>";
    auto raw = to_mime(m, fixed_time);
    ASSERT_TRUE(raw);
    EXPECT_NE(raw->find("Message-ID: <kampagne-7.person-9@musterstadt.de>\r\n"), std::string::npos);
}

TEST(Message, BoundaryIsRandomPerMessage) {
    auto m = sample();
    auto a = to_mime(m, fixed_time), b = to_mime(m, fixed_time);
    ASSERT_TRUE(a && b);
    auto boundary = [](const std::string& s) {
        auto p = s.find("boundary=\"");
        return s.substr(p + 10, s.find('"', p + 10) - p - 10);
    };
    EXPECT_NE(boundary(*a), boundary(*b));
    EXPECT_GE(boundary(*a).size(), 20u);
}

TEST(Message, RandomUnicodeSubjectsAndNamesRoundTripThroughPythonsParser) {
    const std::vector<std::string> pieces{"a",      "Z",
                                          " ",      "  ",
                                          "ä",      "ß",
                                          "€",      "😀",
                                          "語",     "=?",
                                          "?=",     "_",
                                          "?",      "\"",
                                          "(",      ")",
                                          ",",      ";",
                                          "<",      ">",
                                          "@",      "\\",
                                          "\t",     "Straßenfest",
                                          "=C3=A4", "long-ascii-word-without-spaces"};
    std::uint32_t seed = 12345;
    auto next = [&] { return seed = seed * 1664525u + 1013904223u; };
    for (int round = 0; round < 8; ++round) {
        std::string subject, name;
        for (int i = 0; i < 5 + round * 6; ++i)
            subject += pieces[next() % pieces.size()];
        for (int i = 0; i < 3 + round; ++i)
            name += pieces[next() % pieces.size()];
        auto m = sample();
        m.subject = "x" + subject + "x"; // Python trims leading/trailing white space
        m.to.name = "x" + name + "x";
        auto raw = to_mime(m, fixed_time);
        ASSERT_TRUE(raw) << raw.error().message;
        auto j = parse_with_python(*raw);
        EXPECT_TRUE(j["defects"].empty()) << j["defects"] << *raw;
        EXPECT_EQ(header(j, "Subject"), m.subject) << *raw;
        EXPECT_EQ(j["rfc2047"]["Subject"], m.subject) << *raw;
        EXPECT_LE(j["header_max_line"].get<int>(), 78) << *raw;
        // RFC 2047 decoding of the To field gives back the name (quoted when it has specials).
        auto to = j["rfc2047"]["To"].get<std::string>();
        EXPECT_NE(to.find(m.to.email), std::string::npos);
    }
}

TEST(Message, ListUnsubscribeHeadersFollowRfc8058) {
    auto h = list_unsubscribe_headers("https://teilhabe.musterstadt.de/unsubscribe/t0k",
                                      "abmelden@musterstadt.de");
    ASSERT_EQ(h.size(), 2u);
    EXPECT_EQ(h[0].second,
              "<https://teilhabe.musterstadt.de/unsubscribe/t0k>, <mailto:abmelden@musterstadt.de>");
    EXPECT_EQ(h[1], (std::pair<std::string, std::string>{"List-Unsubscribe-Post",
                                                         "List-Unsubscribe=One-Click"}));
    auto m = sample();
    m.extra_headers = list_unsubscribe_headers("https://x.de/u/" + std::string(80, 'a'));
    auto raw = to_mime(m, fixed_time);
    ASSERT_TRUE(raw);
    auto j = parse_with_python(*raw);
    EXPECT_TRUE(j["defects"].empty()) << j["defects"];
    EXPECT_EQ(header(j, "List-Unsubscribe"), "<https://x.de/u/" + std::string(80, 'a') + ">");
}
