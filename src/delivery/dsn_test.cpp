// The DSN parser (RFC 3464), VERP addresses, SMTP replies and URLs, the rate limiter.

#include "delivery/dsn.h"
#include "delivery/rate_limiter.h"
#include "delivery/smtp_client.h"
#include "delivery/verp.h"

#include <fstream>
#include <gtest/gtest.h>
#include <sstream>

namespace teilhabe::delivery {
namespace {

using namespace std::chrono_literals;

std::string read_file(const std::string& name) {
    std::ifstream in(std::string(TEILHABE_DSN_DIR) + "/" + name);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

TEST(Dsn, PostfixReportGivesRecipientActionStatusAndOriginalHeaders) {
    auto dsn = parse_dsn(read_file("dsn_hard.eml"));
    ASSERT_TRUE(dsn) << dsn.error().message;
    EXPECT_EQ(dsn->to, "{verp}");
    EXPECT_EQ(dsn->reporting_mta, "dns; mail.musterstadt.example");
    ASSERT_EQ(dsn->recipients.size(), 1u);
    const auto& r = dsn->recipients[0];
    EXPECT_EQ(r.final_recipient, "anna@musterstadt.example");
    EXPECT_EQ(r.original_recipient, "anna@musterstadt.example");
    EXPECT_EQ(r.action, "failed");
    EXPECT_EQ(r.status, "5.1.1");
    EXPECT_EQ(r.diagnostic_code, "smtp; 550 5.1.1 <anna@musterstadt.example>: Recipient address "
                                 "rejected: User unknown in virtual mailbox table");
    EXPECT_TRUE(r.permanent());
    EXPECT_EQ(dsn->original_message_id, "<confirm-1@musterstadt.example>");
}

TEST(Dsn, DelayedReportWithLfLineEndsAndBareBoundaryIsTemporary) {
    auto dsn = parse_dsn(read_file("dsn_delayed.eml"));
    ASSERT_TRUE(dsn) << dsn.error().message;
    ASSERT_EQ(dsn->recipients.size(), 1u);
    EXPECT_EQ(dsn->recipients[0].final_recipient, "bob@musterstadt.example");
    EXPECT_TRUE(dsn->recipients[0].temporary());
    EXPECT_FALSE(dsn->recipients[0].permanent());
    EXPECT_EQ(dsn->original_message_id, "<news-2@musterstadt.example>");
}

TEST(Dsn, CrlfReportWithSeveralRecipients) {
    std::string raw =
        "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n"
        "--b\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; x\r\n\r\n"
        "Final-Recipient: rfc822; a@x.example\r\nAction: failed\r\nStatus: 5.0.0\r\n\r\n"
        "Final-Recipient: rfc822; b@x.example\r\nAction: delivered\r\nStatus: 2.0.0\r\n\r\n"
        "--b--\r\n";
    auto dsn = parse_dsn(raw);
    ASSERT_TRUE(dsn) << dsn.error().message;
    ASSERT_EQ(dsn->recipients.size(), 2u);
    EXPECT_TRUE(dsn->recipients[0].permanent());
    EXPECT_FALSE(dsn->recipients[1].permanent());
    EXPECT_FALSE(dsn->recipients[1].temporary());
}

TEST(Dsn, RefusesWhatIsNoReport) {
    EXPECT_FALSE(parse_dsn("Subject: hello\r\n\r\nJust a mail.\r\n"));
    EXPECT_FALSE(parse_dsn(""));
    EXPECT_FALSE(parse_dsn("Content-Type: multipart/report; boundary=b\r\n\r\n--b\r\n"
                           "Content-Type: text/plain\r\n\r\nno status\r\n--b--\r\n"));
}

TEST(Verp, AddressRoundTripsAndForgeriesFail) {
    auto a = verp_address(42, "secret", "musterstadt.example");
    EXPECT_TRUE(a.starts_with("bounce+42-"));
    EXPECT_TRUE(a.ends_with("@musterstadt.example"));
    EXPECT_EQ(parse_verp("<" + a + ">", "secret"), 42);
    EXPECT_EQ(parse_verp(a, "other"), std::nullopt);
    auto forged = a;
    forged.replace(7, 2, "43");
    EXPECT_EQ(parse_verp(forged, "secret"), std::nullopt);
    EXPECT_EQ(bare_address("Stadt Musterstadt <info@musterstadt.example>"), "info@musterstadt.example");
    EXPECT_EQ(domain_of("info@musterstadt.example"), "musterstadt.example");
}

TEST(SmtpReplyParsing, CodeEnhancedStatusTextAndQueueId) {
    auto r = parse_reply({"250 2.0.0 Ok: queued as 4F1C2\r\n"});
    EXPECT_EQ(r.code, 250);
    EXPECT_EQ(r.enhanced, "2.0.0");
    EXPECT_EQ(r.text, "Ok: queued as 4F1C2");
    EXPECT_EQ(r.queue_id, "4F1C2");
    EXPECT_TRUE(r.accepted());
    auto m = parse_reply({"550-5.1.1 The email account that you tried to reach does not exist.\r\n",
                          "550 5.1.1 Please try again.\r\n"});
    EXPECT_EQ(m.code, 550);
    EXPECT_EQ(m.enhanced, "5.1.1");
    EXPECT_TRUE(m.permanent());
    EXPECT_EQ(m.summary(), "550 5.1.1 The email account that you tried to reach does not exist.");
    auto plain = parse_reply({"451 Try later\r\n"});
    EXPECT_EQ(plain.enhanced, "");
    EXPECT_FALSE(plain.permanent());
    EXPECT_FALSE(plain.accepted());
}

TEST(SmtpUrl, ParsesCredentialsAndNeverShowsThePassword) {
    auto s = parse_smtp_url("smtp://news%40stadt:p%3Ass@mail.example:587");
    ASSERT_TRUE(s) << s.error().message;
    EXPECT_EQ(s->user, "news@stadt");
    EXPECT_EQ(s->password, "p:ss");
    EXPECT_EQ(s->host, "mail.example");
    EXPECT_EQ(s->port, 587);
    EXPECT_FALSE(s->implicit_tls);
    EXPECT_EQ(s->display(), "smtp://news@stadt@mail.example:587");
    EXPECT_EQ(parse_smtp_url("smtps://relay.example")->port, 465);
    EXPECT_EQ(parse_smtp_url("smtp://relay.example")->port, 25);
    EXPECT_FALSE(parse_smtp_url("http://relay.example"));
    EXPECT_FALSE(parse_smtp_url("smtp://relay.example:99999"));
    EXPECT_FALSE(parse_smtp_url("smtp://"));
}

TEST(RateLimiter, PerMinuteAndPerHourOverSlidingWindows) {
    ManualClock clock;
    RateLimiter limiter(2, 3);
    EXPECT_FALSE(limiter.acquire(clock.now()));
    EXPECT_FALSE(limiter.acquire(clock.now()));
    auto wait = limiter.acquire(clock.now());
    ASSERT_TRUE(wait);
    EXPECT_EQ(*wait, clock.now() + 1min);
    clock.advance(1min);
    EXPECT_FALSE(limiter.acquire(clock.now()));
    auto hour = limiter.acquire(clock.now());
    ASSERT_TRUE(hour) << "three in the hour";
    EXPECT_EQ(*hour, clock.now() - 1min + 1h);
    RateLimiter unlimited(0, 0);
    for (int i = 0; i < 1000; ++i)
        ASSERT_FALSE(unlimited.acquire(clock.now()));
}

} // namespace
} // namespace teilhabe::delivery
