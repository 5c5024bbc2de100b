#include "campaigns/tracking.h"

#include <gtest/gtest.h>

namespace teilhabe::campaigns {
namespace {

TEST(ClickToken, RoundTripsEveryPart) {
    TrackedLink link{12, 345, "https://musterstadt.example/programm?x=1&y=ä", "kultur"};
    auto token = make_click_token("s3cret", link);
    EXPECT_EQ(token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."),
              std::string::npos);
    auto back = read_click_token("s3cret", token);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->campaign_id, 12);
    EXPECT_EQ(back->citizen_id, 345);
    EXPECT_EQ(back->url, link.url);
    EXPECT_EQ(back->topic, "kultur");
    auto no_topic = read_click_token("s3cret", make_click_token("s3cret", {1, 2, "https://a.example/", ""}));
    ASSERT_TRUE(no_topic);
    EXPECT_EQ(no_topic->topic, "");
}

TEST(ClickToken, RefusesOtherSecretsAndTampering) {
    auto token = make_click_token("s3cret", {1, 2, "https://a.example/", "k"});
    EXPECT_FALSE(read_click_token("other", token));
    // Another target with the old signature: no open redirect.
    auto other = make_click_token("s3cret", {1, 2, "https://evil.example/", "k"});
    auto forged = other.substr(0, other.find('.')) + token.substr(token.find('.'));
    EXPECT_FALSE(read_click_token("s3cret", forged));
    EXPECT_FALSE(read_click_token("s3cret", "garbage"));
    EXPECT_FALSE(read_click_token("s3cret", ""));
    EXPECT_FALSE(read_click_token("s3cret", "."));
    EXPECT_FALSE(read_click_token("s3cret", token + "x"));
}

// Most payloads are read without the JSON parser (tracking.cpp read_plain_payload); strings
// with escapes, and anything unusual, take the parser: both ways give the same link.
TEST(ClickToken, EscapedStringsAndLargeIdsRoundTrip) {
    TrackedLink quoted{9223372036854775807, 1, "https://a.example/?q=\"x\"&p=a\\b", "to\"pic\n"};
    auto back = read_click_token("s3cret", make_click_token("s3cret", quoted));
    ASSERT_TRUE(back);
    EXPECT_EQ(back->campaign_id, quoted.campaign_id);
    EXPECT_EQ(back->url, quoted.url);
    EXPECT_EQ(back->topic, quoted.topic);
    TrackedLink negative{-4, -5, "https://b.example/ü", ""};
    back = read_click_token("s3cret", make_click_token("s3cret", negative));
    ASSERT_TRUE(back);
    EXPECT_EQ(back->campaign_id, -4);
    EXPECT_EQ(back->citizen_id, -5);
    EXPECT_EQ(back->url, negative.url);
}

// The keyed HMAC state is kept per thread for the last secret: switching secrets back and forth
// on one thread must still check each token against its own secret.
TEST(ClickToken, SecretsAlternatingOnOneThread) {
    auto a = make_click_token("first", {1, 2, "https://a.example/", ""});
    auto b = make_click_token("second", {1, 2, "https://a.example/", ""});
    EXPECT_NE(a, b);
    for (int i = 0; i < 3; ++i) {
        EXPECT_TRUE(read_click_token("first", a));
        EXPECT_FALSE(read_click_token("first", b));
        EXPECT_TRUE(read_click_token("second", b));
        EXPECT_FALSE(read_click_token("second", a));
    }
}

// Tokens are signed with libsodium and checked with OpenSSL (tracking.cpp CheckingMac): the two
// HMACs must agree for every length of secret, also past the 64-byte block where RFC 2104 hashes
// the key first.
TEST(ClickToken, SignedAndCheckedAlikeForEverySecretLength) {
    for (std::size_t n : {0u, 1u, 31u, 32u, 63u, 64u, 65u, 100u, 200u}) {
        std::string secret(n, '\0');
        for (std::size_t i = 0; i < n; ++i)
            secret[i] = static_cast<char>((i * 37 + n) % 256);
        auto token = make_click_token(secret, {7, 8, "https://a.example/x", "t"});
        EXPECT_TRUE(read_click_token(secret, token)) << n << " bytes";
        if (n > 0) {
            auto other = secret;
            other.back() = static_cast<char>(other.back() ^ 1);
            EXPECT_FALSE(read_click_token(other, token)) << n << " bytes";
        }
    }
}

// Every other character in any place of the signature is refused, also where only the unused
// low bits of the last character would change (the decoder is as strict as libsodium's), and
// so is a signature cut short or with an invalid length.
TEST(ClickToken, EveryChangedSignatureCharacterIsRefused) {
    constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    auto token = make_click_token("s3cret", {1, 2, "https://a.example/", "k"});
    ASSERT_TRUE(read_click_token("s3cret", token));
    auto dot = token.find('.');
    for (auto i = dot + 1; i < token.size(); ++i)
        for (char c : kAlphabet) {
            if (c == token[i])
                continue;
            auto changed = token;
            changed[i] = c;
            ASSERT_FALSE(read_click_token("s3cret", changed)) << "position " << i << " as " << c;
        }
    EXPECT_FALSE(read_click_token("s3cret", token.substr(0, token.size() - 1)));
    EXPECT_FALSE(read_click_token("s3cret", token + "A"));
    EXPECT_FALSE(read_click_token("s3cret", token.substr(0, dot) + "=" + token.substr(dot)));
}

TEST(ClickToken, UrlUnderBase) {
    auto url = click_url("https://stadt.example/", "s", {1, 2, "https://a.example/", ""});
    EXPECT_EQ(url.rfind("https://stadt.example/r/", 0), 0u);
}

} // namespace
} // namespace teilhabe::campaigns
