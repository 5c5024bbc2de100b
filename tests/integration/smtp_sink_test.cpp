// The SMTP sink the mail tests send to: what arrives is stored byte for byte with its envelope,
// and the fault addresses answer 451 and 550 at RCPT TO. The client is libcurl's SMTP support.
#include "harness/smtp_sink.h"

#include <algorithm>
#include <curl/curl.h>
#include <gtest/gtest.h>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace teilhabe::testing {
namespace {

struct Sent {
    CURLcode code{CURLE_OK};
    long response{0};       // the last SMTP reply code
    std::string error;      // curl's error buffer
    std::string transcript; // every reply line of the server
};

struct SendOptions {
    std::string from;
    std::vector<std::string> to;
    std::string data;
    bool allow_failed_recipients{false}; // go on with the accepted ones after a refused RCPT
};

Sent send_mail(const std::string& url, const SendOptions& o) {
    static const bool initialised = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
    Sent sent;
    if (!initialised)
        return {.code = CURLE_FAILED_INIT};
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> rcpts(nullptr, curl_slist_free_all);
    for (auto& r : o.to)
        rcpts.reset(curl_slist_append(rcpts.release(), r.c_str()));
    std::string_view remaining = o.data;
    char error[CURL_ERROR_SIZE] = {};

    auto read = +[](char* buffer, std::size_t size, std::size_t n, void* user) -> std::size_t {
        auto* rest = static_cast<std::string_view*>(user);
        auto len = std::min(size * n, rest->size());
        std::copy_n(rest->data(), len, buffer);
        rest->remove_prefix(len);
        return len;
    };
    auto debug = +[](CURL*, curl_infotype type, char* data, std::size_t size, void* user) -> int {
        if (type == CURLINFO_HEADER_IN)
            static_cast<std::string*>(user)->append(data, size);
        return 0;
    };
    curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_MAIL_FROM, o.from.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_MAIL_RCPT, rcpts.get());
#if LIBCURL_VERSION_NUM >= 0x080200
    curl_easy_setopt(curl.get(), CURLOPT_MAIL_RCPT_ALLOWFAILS, o.allow_failed_recipients ? 1L : 0L);
#else
    curl_easy_setopt(curl.get(), CURLOPT_MAIL_RCPT_ALLLOWFAILS, o.allow_failed_recipients ? 1L : 0L);
#endif
    curl_easy_setopt(curl.get(), CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl.get(), CURLOPT_READFUNCTION, read);
    curl_easy_setopt(curl.get(), CURLOPT_READDATA, &remaining);
    curl_easy_setopt(curl.get(), CURLOPT_VERBOSE, 1L); // feeds the debug function only
    curl_easy_setopt(curl.get(), CURLOPT_DEBUGFUNCTION, debug);
    curl_easy_setopt(curl.get(), CURLOPT_DEBUGDATA, &sent.transcript);
    curl_easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT, 30L);
    sent.code = curl_easy_perform(curl.get());
    curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &sent.response);
    sent.error = error;
    return sent;
}

std::string message(const std::string& to, const std::string& subject, const std::string& body) {
    return "From: Stadtverwaltung Musterstadt <noreply@musterstadt.example>\r\n"
           "To: " + to + "\r\n"
           "Subject: " + subject + "\r\n"
           "Message-ID: <" + subject + "@musterstadt.example>\r\n"
           "MIME-Version: 1.0\r\n"
           "Content-Type: text/plain; charset=utf-8\r\n"
           "Content-Transfer-Encoding: 8bit\r\n"
           "\r\n" + body;
}

const std::string kFrom = "<noreply@musterstadt.example>";

class SmtpSinkTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto s = SmtpSink::start();
        ASSERT_TRUE(s) << s.error().message;
        sink.emplace(std::move(*s));
    }
    Sent send(SendOptions o) { return send_mail(sink->url(), o); }

    std::optional<SmtpSink> sink;
};

// The sink stores a message before it answers 250 to the end of DATA, so once curl returns
// what it holds is final; wait_for only guards against a slow file system.

TEST_F(SmtpSinkTest, StoresTheBytesExactlyWithTheEnvelope) {
    EXPECT_TRUE(sink->url().starts_with("smtp://127.0.0.1:")) << sink->url();
    // Lines that start with a dot must survive SMTP's dot-stuffing; 8-bit UTF-8 passes as is.
    std::string body = "Bitte bestätigen Sie Ihre Anmeldung für Straßenfest & Bürgerforum:\r\n"
                       ".\r\n"
                       "..zwei Punkte\r\n"
                       ".ein Punkt\r\n"
                       "https://beteiligung.musterstadt.example/bestaetigen?t=abc123\r\n";
    std::string data = message("anna@example.org", "Bestaetigung-1", body);
    auto sent = send({.from = kFrom, .to = {"<anna@example.org>"}, .data = data});
    ASSERT_EQ(sent.code, CURLE_OK) << sent.error << "\n" << sent.transcript;
    EXPECT_EQ(sent.response, 250);
    EXPECT_NE(sent.transcript.find("250 OK stored as 000001"), std::string::npos) << sent.transcript;

    ASSERT_TRUE(sink->wait_for(1));
    auto got = sink->messages();
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].raw, data);
    EXPECT_EQ(got[0].mail_from, "noreply@musterstadt.example");
    EXPECT_EQ(got[0].rcpt_to, "anna@example.org");
    EXPECT_EQ(got[0].rcpt_tos, std::vector<std::string>{"anna@example.org"});
    EXPECT_EQ(got[0].header("subject"), "Bestaetigung-1");
    EXPECT_EQ(got[0].header("CONTENT-TYPE"), "text/plain; charset=utf-8");
    EXPECT_EQ(got[0].header("X-Not-There"), "");
    EXPECT_EQ(got[0].body(), body);
    EXPECT_TRUE(got[0].peer.starts_with("127.0.0.1:")) << got[0].peer;
    EXPECT_FALSE(got[0].received.empty());
    EXPECT_EQ(got[0].name, "000001-0");

    EXPECT_EQ(sink->stop(), 0) << sink->process().output();
}

TEST_F(SmtpSinkTest, TempfailRecipientGets451AtRcpt) {
    auto sent = send({.from = kFrom, .to = {"<tempfail-1@example.org>"},
                      .data = message("tempfail-1@example.org", "Spaeter", "Hallo\r\n")});
    EXPECT_NE(sent.code, CURLE_OK);
    EXPECT_EQ(sent.response, 451) << sent.error;
    EXPECT_NE(sent.transcript.find("451 4.3.0 try again later"), std::string::npos) << sent.transcript;
    EXPECT_EQ(sink->count(), 0u); // refused before DATA: nothing to store

    // The sink goes on serving: a later good message arrives as the first one stored.
    auto ok = send({.from = kFrom, .to = {"<ben@example.org>"},
                    .data = message("ben@example.org", "Danach", "Hallo\r\n")});
    ASSERT_EQ(ok.code, CURLE_OK) << ok.error << "\n" << ok.transcript;
    ASSERT_TRUE(sink->wait_for(1));
    auto got = sink->messages();
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].rcpt_to, "ben@example.org");
}

TEST_F(SmtpSinkTest, RejectRecipientGets550AtRcpt) {
    auto sent = send({.from = kFrom, .to = {"<reject-1@example.org>"},
                      .data = message("reject-1@example.org", "Unzustellbar", "Hallo\r\n")});
    EXPECT_NE(sent.code, CURLE_OK);
    EXPECT_EQ(sent.response, 550) << sent.error;
    EXPECT_NE(sent.transcript.find("550 5.1.1 no such user"), std::string::npos) << sent.transcript;
    EXPECT_EQ(sink->count(), 0u);
}

TEST_F(SmtpSinkTest, MixedRecipientsDeliverOnlyToTheAcceptedOne) {
    std::string data = message("carla@example.org, reject-2@example.org", "Gemischt", "An beide\r\n");
    auto sent = send({.from = kFrom, .to = {"<carla@example.org>", "<reject-2@example.org>"},
                      .data = data, .allow_failed_recipients = true});
    ASSERT_EQ(sent.code, CURLE_OK) << sent.error << "\n" << sent.transcript;
    EXPECT_EQ(sent.response, 250);
    EXPECT_NE(sent.transcript.find("550 5.1.1 no such user"), std::string::npos) << sent.transcript;

    ASSERT_TRUE(sink->wait_for(1));
    auto got = sink->messages();
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].rcpt_to, "carla@example.org");
    EXPECT_EQ(got[0].rcpt_tos, std::vector<std::string>{"carla@example.org"});
    EXPECT_EQ(got[0].raw, data);
}

TEST_F(SmtpSinkTest, MixedRecipientsWithoutAllowFailsAbortTheWholeMessage) {
    // libcurl's default: one refused RCPT ends the transaction, the good recipient gets nothing.
    auto sent = send({.from = kFrom, .to = {"<dora@example.org>", "<reject-3@example.org>"},
                      .data = message("dora@example.org", "Abgebrochen", "Hallo\r\n")});
    EXPECT_NE(sent.code, CURLE_OK);
    EXPECT_EQ(sent.response, 550) << sent.error;
    EXPECT_EQ(sink->count(), 0u);
}

TEST_F(SmtpSinkTest, StoresOneCopyPerRecipientInRecipientOrder) {
    std::vector<std::string> to;
    for (int i = 0; i < 12; ++i) // more than ten: "-10" must sort after "-9"
        to.push_back("<person" + std::to_string(i) + "@example.org>");
    auto sent = send({.from = kFrom, .to = to, .data = message("undisclosed-recipients:;", "Rundbrief", "Hallo\r\n")});
    ASSERT_EQ(sent.code, CURLE_OK) << sent.error << "\n" << sent.transcript;
    ASSERT_TRUE(sink->wait_for(12));
    auto got = sink->messages();
    ASSERT_EQ(got.size(), 12u);
    for (std::size_t i = 0; i < got.size(); ++i) {
        EXPECT_EQ(got[i].rcpt_to, "person" + std::to_string(i) + "@example.org");
        EXPECT_EQ(got[i].rcpt_tos.size(), 12u);
        EXPECT_EQ(got[i].header("subject"), "Rundbrief");
    }
}

} // namespace
} // namespace teilhabe::testing
