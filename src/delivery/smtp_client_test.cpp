// The SMTP client against a real server on loopback (aiosmtpd): plain, STARTTLS with AUTH,
// the reply per message, 4xx and 5xx per recipient, dot-stuffing, connection reuse.

#include "delivery/smtp_client.h"
#include "delivery/smtp_test_server.h"

#include <gtest/gtest.h>

namespace teilhabe::delivery {
namespace {

using testing::SmtpServerOptions;
using testing::SmtpTestServer;

SmtpSettings settings_for(const SmtpTestServer& server, const std::string& userinfo = {}) {
    auto s = parse_smtp_url(server.url(userinfo));
    EXPECT_TRUE(s);
    s->timeout = std::chrono::seconds(10);
    return *s;
}

const std::string kMessage = "From: a@musterstadt.example\r\nTo: x@example.org\r\n"
                             "Subject: Test\r\n\r\nHallo\r\n.\r\n..zwei\r\n.ende\r\n";

TEST(SmtpClient, SendsOverOneConnectionWithDotStuffingAndReportsTheQueueId) {
    SmtpTestServer server;
    ASSERT_TRUE(server.ok());
    SmtpClient client(settings_for(server));
    auto first = client.send("bounce+1-x@musterstadt.example", "x@example.org", kMessage);
    EXPECT_EQ(first.code, 250) << first.summary();
    EXPECT_EQ(first.enhanced, "2.0.0");
    EXPECT_EQ(first.queue_id, "Q1");
    // LF line ends are sent as CRLF.
    auto second = client.send("bounce+2-x@musterstadt.example", "y@example.org",
                              "Subject: Zwei\n\nZeile\n.\n");
    EXPECT_EQ(second.queue_id, "Q2") << second.summary();
    auto got = server.received();
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0]["data"], kMessage) << "a line of one dot must not end the message";
    EXPECT_EQ(got[0]["from"], "bounce+1-x@musterstadt.example");
    EXPECT_EQ(got[1]["data"], "Subject: Zwei\r\n\r\nZeile\r\n.\r\n");
    EXPECT_EQ(got[0]["peer"], got[1]["peer"]) << "one connection for both messages";
}

TEST(SmtpClient, TemporaryAndPermanentRefusalsPerRecipientKeepTheServersWords) {
    SmtpTestServer server({.replies = {"full@example.org=452 4.2.2 Mailbox full",
                                       "gone@example.org=550 5.1.1 No such user"}});
    ASSERT_TRUE(server.ok());
    SmtpClient client(settings_for(server));
    auto full = client.send("s@musterstadt.example", "full@example.org", kMessage);
    EXPECT_EQ(full.code, 452);
    EXPECT_EQ(full.enhanced, "4.2.2");
    EXPECT_FALSE(full.permanent());
    auto gone = client.send("s@musterstadt.example", "gone@example.org", kMessage);
    EXPECT_EQ(gone.code, 550);
    EXPECT_EQ(gone.summary(), "550 5.1.1 No such user");
    EXPECT_TRUE(gone.permanent());
    auto fine = client.send("s@musterstadt.example", "fine@example.org", kMessage);
    EXPECT_TRUE(fine.accepted()) << fine.summary() << " (the connection recovers)";
    EXPECT_EQ(server.received().size(), 1u);
}

TEST(SmtpClient, StartTlsWithAuthAndTheServersCertificate) {
    SmtpTestServer server({.tls = true, .auth = "news:geheim"});
    ASSERT_TRUE(server.ok());
    auto s = settings_for(server, "news:geheim");
    s.ca_file = server.cert_file();
    SmtpClient client(s);
    auto r = client.send("s@musterstadt.example", "x@example.org", kMessage);
    EXPECT_TRUE(r.accepted()) << r.summary();
    auto got = server.received();
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0]["tls"], true);
    EXPECT_EQ(got[0]["auth"], true);
}

TEST(SmtpClient, WrongPasswordIsARefusalAndAnUntrustedCertificateNoReply) {
    SmtpTestServer server({.tls = true, .auth = "news:geheim"});
    ASSERT_TRUE(server.ok());
    auto wrong = settings_for(server, "news:falsch");
    wrong.ca_file = server.cert_file();
    wrong.timeout = std::chrono::seconds(2); // aiosmtpd answers a failed AUTH slowly
    auto r = SmtpClient(wrong).send("s@musterstadt.example", "x@example.org", kMessage);
    EXPECT_FALSE(r.accepted()) << r.summary();
    EXPECT_FALSE(r.permanent()) << "a refused log-in is the operator's to fix: tried again";
    auto untrusted = settings_for(server, "news:geheim"); // the system's CAs only
    auto u = SmtpClient(untrusted).send("s@musterstadt.example", "x@example.org", kMessage);
    EXPECT_EQ(u.code, 0);
    EXPECT_FALSE(u.error.empty());
    EXPECT_TRUE(server.received().empty());
}

TEST(SmtpClient, NoServerIsNoReplyWithTheReason) {
    SmtpSettings s{.host = "127.0.0.1", .port = 1, .timeout = std::chrono::seconds(5)};
    auto r = SmtpClient(s).send("s@musterstadt.example", "x@example.org", kMessage);
    EXPECT_EQ(r.code, 0);
    EXPECT_FALSE(r.permanent());
    EXPECT_FALSE(r.error.empty());
}

} // namespace
} // namespace teilhabe::delivery
