// PIPELINING (RFC 2920) of the SMTP client against the loopback server offering it, the
// one-unrecorded-message rule of MessageFeed, and the protocol pieces without a connection:
// replies split across reads or several in one, and the DATA encoding.

#include "delivery/smtp_client.h"
#include "delivery/smtp_test_server.h"

#include <fmt/format.h>
#include <functional>
#include <gtest/gtest.h>

namespace teilhabe::delivery {
namespace {

using testing::SmtpServerOptions;
using testing::SmtpTestServer;

SmtpSettings settings_for(const SmtpTestServer& server) {
    auto s = parse_smtp_url(server.url());
    EXPECT_TRUE(s);
    s->timeout = std::chrono::seconds(10);
    return *s;
}

// Hands out the given messages and keeps their replies; `on_done` runs inside done().
struct ListFeed final : MessageFeed {
    std::vector<Envelope> messages;
    std::size_t given{0};
    std::vector<SmtpReply> replies;
    std::function<void(std::size_t)> on_done;
    std::optional<Envelope> next() override {
        if (given == messages.size())
            return std::nullopt;
        return messages[given++];
    }
    void done(const SmtpReply& reply) override {
        replies.push_back(reply);
        if (on_done)
            on_done(replies.size() - 1);
    }
};

TEST(SmtpPipelining, RepliesOfAPipelinedBatchArriveInOrderWithRefusedRecipients) {
    SmtpTestServer server({.replies = {"full@example.org=452 4.2.2 Mailbox full",
                                       "gone@example.org=550 5.1.1 No such user"},
                           .pipelining = true});
    ASSERT_TRUE(server.ok());
    SmtpClient client(settings_for(server));
    ListFeed feed;
    const std::string stuffed = "Subject: Punkt\r\n\r\n.\r\n..zwei\r\n.ende\r\n";
    feed.messages = {{"s@musterstadt.example", "a@example.org", "Subject: A\r\n\r\nA\r\n"},
                     {"s@musterstadt.example", "gone@example.org", "Subject: B\r\n\r\nB\r\n"},
                     {"s@musterstadt.example", "b@example.org", stuffed},
                     {"s@musterstadt.example", "full@example.org", "Subject: C\r\n\r\nC\r\n"},
                     {"s@musterstadt.example", "c@example.org", "Subject: D\n\nLF only\n"}};
    client.send_all(feed);
    EXPECT_TRUE(client.pipelining());
    ASSERT_EQ(feed.replies.size(), 5u);
    EXPECT_EQ(feed.replies[0].queue_id, "Q1") << feed.replies[0].summary();
    EXPECT_EQ(feed.replies[1].summary(), "550 5.1.1 No such user");
    EXPECT_EQ(feed.replies[2].queue_id, "Q2") << feed.replies[2].summary();
    EXPECT_EQ(feed.replies[3].code, 452);
    EXPECT_EQ(feed.replies[4].queue_id, "Q3") << feed.replies[4].summary();
    auto got = server.received();
    ASSERT_EQ(got.size(), 3u);
    EXPECT_EQ(got[0]["to"][0], "a@example.org");
    EXPECT_EQ(got[1]["data"], stuffed) << "a line of one dot must not end the message";
    EXPECT_EQ(got[2]["data"], "Subject: D\r\n\r\nLF only\r\n");
    EXPECT_EQ(got[0]["peer"], got[2]["peer"]) << "one connection for all";
}

// The crash guarantee: when a reply is handed to done(), the MTA has accepted no later message
// (the next one's data waits until done() returned), with PIPELINING and without.
void expect_no_message_ahead_of_its_record(bool pipelining) {
    SmtpTestServer server({.pipelining = pipelining});
    ASSERT_TRUE(server.ok());
    SmtpClient client(settings_for(server));
    ListFeed feed;
    for (int i = 0; i < 6; ++i)
        feed.messages.push_back({"s@musterstadt.example", fmt::format("r{}@example.org", i),
                                 "Subject: x\r\n\r\nx\r\n"});
    std::vector<std::size_t> accepted_at_done;
    feed.on_done = [&](std::size_t) { accepted_at_done.push_back(server.received().size()); };
    client.send_all(feed);
    EXPECT_EQ(client.pipelining(), pipelining);
    EXPECT_EQ(accepted_at_done, (std::vector<std::size_t>{1, 2, 3, 4, 5, 6}));
}

TEST(SmtpPipelining, NoMessageIsAcceptedBeforeThePreviousReplyIsRecorded) {
    expect_no_message_ahead_of_its_record(true);
}

TEST(SmtpPipelining, AServerWithoutPipeliningGetsOneCommandAtATime) {
    expect_no_message_ahead_of_its_record(false);
}

TEST(SmtpPipelining, ALostServerFailsTheMessageAndTheNextOneOpensANewSession) {
    auto server = std::make_unique<SmtpTestServer>(SmtpServerOptions{.pipelining = true});
    ASSERT_TRUE(server->ok());
    auto settings = settings_for(*server);
    settings.timeout = settings.connect_timeout = std::chrono::seconds(2);
    SmtpClient client(settings);
    auto first = client.send("s@musterstadt.example", "a@example.org", "Subject: 1\r\n\r\n1\r\n");
    EXPECT_TRUE(first.accepted()) << first.summary();
    server.reset(); // killed: the open connection breaks and nothing listens any more
    ListFeed feed;
    feed.messages = {{"s@musterstadt.example", "b@example.org", "Subject: 2\r\n\r\n2\r\n"},
                     {"s@musterstadt.example", "c@example.org", "Subject: 3\r\n\r\n3\r\n"}};
    client.send_all(feed);
    ASSERT_EQ(feed.replies.size(), 2u) << "every message handed out gets its reply";
    for (const auto& r : feed.replies) {
        EXPECT_EQ(r.code, 0);
        EXPECT_FALSE(r.permanent());
        EXPECT_FALSE(r.error.empty());
    }
}

TEST(SmtpReplyBuffer, AReplySplitAtAnyByteOrSeveralInOneReadComeOutWhole) {
    const std::string wire = "250-mx.example\r\n250-PIPELINING\r\n250 HELP\r\n250 2.1.0 Ok\r\n"
                             "550 5.1.1 No such user\r\n354 End data with <CR><LF>.<CR><LF>\r\n";
    for (std::size_t cut = 0; cut <= wire.size(); ++cut) {
        ReplyBuffer in;
        std::vector<SmtpReply> replies;
        for (auto part : {wire.substr(0, cut), wire.substr(cut)}) {
            in.feed(part);
            while (auto lines = in.next())
                replies.push_back(parse_reply(*lines));
        }
        ASSERT_EQ(replies.size(), 4u) << "cut at " << cut;
        EXPECT_EQ(replies[0].text, "mx.example\nPIPELINING\nHELP");
        EXPECT_EQ(replies[1].enhanced, "2.1.0");
        EXPECT_EQ(replies[2].summary(), "550 5.1.1 No such user");
        EXPECT_EQ(replies[3].code, 354);
        EXPECT_EQ(in.pending(), 0u);
    }
    ReplyBuffer half;
    half.feed("250-first line\r\n250 sec");
    EXPECT_FALSE(half.next()) << "no reply before its last line is complete";
    half.feed("ond\r\n");
    auto lines = half.next();
    ASSERT_TRUE(lines);
    EXPECT_EQ(parse_reply(*lines).text, "first line\nsecond");
}

TEST(SmtpData, LineEndsBecomeCrlfLeadingDotsAreDoubledAndTheEndIsMarked) {
    std::string out;
    append_data(out, ".start\nmid\r\n..two\n.\nend");
    EXPECT_EQ(out, "..start\r\nmid\r\n...two\r\n..\r\nend\r\n.\r\n");
    std::string crlf;
    append_data(crlf, "Subject: x\r\n\r\nbody\r\n");
    EXPECT_EQ(crlf, "Subject: x\r\n\r\nbody\r\n.\r\n");
}

} // namespace
} // namespace teilhabe::delivery
