#include "security/crypto.h"

#include <gtest/gtest.h>
#include <set>

namespace teilhabe::security {
namespace {

class Crypto : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_TRUE(init().has_value()); }
};

TEST_F(Crypto, PasswordHashIsArgon2idWithAtLeastOwaspCost) {
    auto h = hash_password("correct horse battery staple");
    ASSERT_TRUE(h.has_value());
    EXPECT_TRUE(h->starts_with("$argon2id$"));
    // m is in KiB, t the passes: at least 19 MiB and 2 passes.
    auto m = h->find("m=");
    auto t = h->find("t=");
    ASSERT_NE(m, std::string::npos);
    ASSERT_NE(t, std::string::npos);
    EXPECT_GE(std::stoul(h->substr(m + 2)), 19u * 1024u);
    EXPECT_GE(std::stoul(h->substr(t + 2)), 2u);
    EXPECT_TRUE(verify_password(*h, "correct horse battery staple"));
    EXPECT_FALSE(verify_password(*h, "correct horse battery stapl"));
    EXPECT_FALSE(verify_password("garbage", "x"));
    EXPECT_FALSE(password_needs_rehash(*h));
    EXPECT_TRUE(password_needs_rehash(*h, PasswordCost{3, 64u * 1024u * 1024u}));
}

TEST_F(Crypto, SamePasswordHashesDifferently) {
    EXPECT_NE(hash_password("secret-password").value(), hash_password("secret-password").value());
}

TEST_F(Crypto, TokensAreUrlSafeAndDistinct) {
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i) {
        auto t = random_token(32);
        EXPECT_EQ(t.size(), 43u);
        EXPECT_EQ(t.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
                  std::string::npos);
        seen.insert(t);
    }
    EXPECT_EQ(seen.size(), 1000u);
}

TEST_F(Crypto, KnownDigests) {
    // FIPS 180-2 and RFC 4231 test case 2.
    EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    EXPECT_TRUE(constant_time_equal("abc", "abc"));
    EXPECT_FALSE(constant_time_equal("abc", "abd"));
    EXPECT_FALSE(constant_time_equal("abc", "abcd"));
}

} // namespace
} // namespace teilhabe::security
