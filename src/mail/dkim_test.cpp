#include "mail/dkim.h"
#include "mail/mail_check.h"
#include "mail/message.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>

using namespace teilhabe;
using namespace teilhabe::mail;

namespace {

const DkimKeyPair& test_key() {
    static const DkimKeyPair key = [] {
        auto k = generate_dkim_key(2048);
        if (!k)
            std::abort();
        return *k;
    }();
    return key;
}

Message newsletter() {
    Message m;
    m.from = {"Stadt Musterstadt", "newsletter@musterstadt.de"};
    m.to = {"Zoë Ölmann", "zoe@example.org"};
    m.subject = "Frühjahrsputz  am   Samstag";
    m.text = "Hallo Zoë,\n\nLeerzeichen   am Ende   \n\n\n";
    m.html = "<p>Hallo Zoë</p>";
    m.extra_headers = {{"List-Unsubscribe", "<https://musterstadt.de/unsubscribe/t0k3n>"},
                       {"List-Unsubscribe-Post", "List-Unsubscribe=One-Click"}};
    return m;
}

} // namespace

TEST(Dkim, RelaxedCanonicalisationFollowsRfc6376) {
    EXPECT_EQ(dkim_relaxed_header("SubJect ", " A \t b\r\n  c  "), "subject:A b c\r\n");
    EXPECT_EQ(dkim_relaxed_body("a  b \r\n\r\n c\t\r\n\r\n\r\n"), "a b\r\n\r\n c\r\n");
    EXPECT_EQ(dkim_relaxed_body("x"), "x\r\n");
}

TEST(Dkim, Python3DkimVerifiesTheSignatureAgainstThePublishedKey) {
    auto signer = DkimSigner::from_pem(test_key().private_pem, "musterstadt.de", "teilhabe2026");
    ASSERT_TRUE(signer) << signer.error().message;
    auto raw = to_mime(newsletter(), SystemClock().now());
    ASSERT_TRUE(raw);
    auto signed_msg = signer->sign(*raw, SystemClock().now());
    ASSERT_TRUE(signed_msg) << signed_msg.error().message;
    ASSERT_TRUE(signed_msg->starts_with("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;"));
    EXPECT_NE(signed_msg->find(
                  "h=from:to:subject:date:message-id:list-unsubscribe:list-unsubscribe-post;"),
              std::string::npos);
    EXPECT_EQ(
        check::dkim_verify(*signed_msg, "teilhabe2026", "musterstadt.de", test_key().dns_txt()),
        "ok");
    auto parsed = check::parse_with_python(*signed_msg);
    EXPECT_TRUE(parsed["defects"].empty()) << parsed["defects"];
    EXPECT_LE(parsed["header_max_line"].get<int>(), 78);
}

TEST(Dkim, AChangedSubjectFailsVerification) {
    auto signer = DkimSigner::from_pem(test_key().private_pem, "musterstadt.de", "teilhabe2026");
    ASSERT_TRUE(signer);
    auto signed_msg =
        *signer->sign(*to_mime(newsletter(), SystemClock().now()), SystemClock().now());
    auto p = signed_msg.find("Subject: =?UTF-8?Q?Fr");
    ASSERT_NE(p, std::string::npos) << signed_msg;
    signed_msg[p + 19] = 'G';
    EXPECT_NE(
        check::dkim_verify(signed_msg, "teilhabe2026", "musterstadt.de", test_key().dns_txt()),
        "ok");
}

TEST(Dkim, TamperingIsDetected) {
    auto signer = DkimSigner::from_pem(test_key().private_pem, "musterstadt.de", "teilhabe2026");
    ASSERT_TRUE(signer);
    auto signed_msg =
        *signer->sign(*to_mime(newsletter(), SystemClock().now()), SystemClock().now());
    auto body_changed = signed_msg;
    body_changed.replace(body_changed.find("Hallo"), 5, "Hallo");
    body_changed.replace(body_changed.rfind("Hallo"), 5, "Tsch\xC3\xBC");
    EXPECT_NE(
        check::dkim_verify(body_changed, "teilhabe2026", "musterstadt.de", test_key().dns_txt()),
        "ok");
    auto unsubscribe_changed = signed_msg;
    unsubscribe_changed.replace(unsubscribe_changed.find("t0k3n"), 5, "other");
    EXPECT_NE(check::dkim_verify(unsubscribe_changed, "teilhabe2026", "musterstadt.de",
                                 test_key().dns_txt()),
              "ok");
    auto other = generate_dkim_key(1024);
    ASSERT_TRUE(other);
    EXPECT_NE(check::dkim_verify(signed_msg, "teilhabe2026", "musterstadt.de", other->dns_txt()),
              "ok");
    EXPECT_EQ(
        check::dkim_verify(signed_msg, "teilhabe2026", "musterstadt.de", test_key().dns_txt()),
        "ok");
}

TEST(Dkim, KeysAreReadFromFilesAndBadKeysAreRefused) {
    auto path = std::filesystem::temp_directory_path() / "teilhabe_dkim_test.pem";
    std::ofstream(path) << test_key().private_pem;
    EXPECT_TRUE(DkimSigner::from_file(path.string(), "musterstadt.de", "s1"));
    std::filesystem::remove(path);
    EXPECT_FALSE(DkimSigner::from_file(path.string(), "musterstadt.de", "s1"));
    EXPECT_FALSE(DkimSigner::from_pem("not a key", "musterstadt.de", "s1"));
    EXPECT_FALSE(DkimSigner::from_pem(test_key().private_pem, "musterstadt.de; x=y", "s1"));
    auto signer = DkimSigner::from_pem(test_key().private_pem, "musterstadt.de", "s1");
    EXPECT_FALSE(signer->sign("no header separator", SystemClock().now()));
}
