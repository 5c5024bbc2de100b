#include "security/crypto.h"
#include "security/totp.h"

#include <gtest/gtest.h>

namespace teilhabe::security {
namespace {

std::vector<unsigned char> rfc_key() {
    std::string k = "12345678901234567890";
    return {k.begin(), k.end()};
}

TEST(Totp, HotpMatchesRfc4226AppendixD) {
    const char* expected[] = {"755224", "287082", "359152", "969429", "338314",
                              "254676", "287922", "162583", "399871", "520489"};
    for (std::uint64_t i = 0; i < 10; ++i)
        EXPECT_EQ(hotp(rfc_key(), i), expected[i]) << "counter " << i;
}

TEST(Totp, TotpMatchesRfc6238AppendixBForSha1) {
    // The RFC lists 8 digits; 6 digits are their last six.
    auto secret = base32_encode(rfc_key());
    EXPECT_EQ(totp_at(secret, 59'000), "287082");
    EXPECT_EQ(totp_at(secret, 1111111109'000), "081804");
    EXPECT_EQ(totp_at(secret, 1111111111'000), "050471");
    EXPECT_EQ(totp_at(secret, 1234567890'000), "005924");
    EXPECT_EQ(totp_at(secret, 2000000000'000), "279037");
    EXPECT_EQ(totp_at(secret, 20000000000'000), "353130");
}

TEST(Totp, Base32RoundTripsAndMatchesRfc4648) {
    std::string foobar = "foobar";
    EXPECT_EQ(base32_encode({foobar.begin(), foobar.end()}), "MZXW6YTBOI");
    auto decoded = base32_decode("mzxw 6ytb oi======");
    ASSERT_TRUE(decoded);
    EXPECT_EQ(std::string(decoded->begin(), decoded->end()), "foobar");
    EXPECT_FALSE(base32_decode("MZXW1"));
    auto secret = new_totp_secret();
    EXPECT_EQ(secret.size(), 32u);
    EXPECT_EQ(base32_decode(secret)->size(), 20u);
    EXPECT_NE(secret, new_totp_secret());
}

TEST(Totp, AcceptsOneStepEitherSideAndNothingFurther) {
    auto secret = base32_encode(rfc_key());
    std::int64_t now = 1111111111'000;
    auto step = totp_step(now);
    EXPECT_EQ(totp_verify(secret, totp_at(secret, now), now), step);
    EXPECT_EQ(totp_verify(secret, totp_at(secret, now - 30'000), now), step - 1);
    EXPECT_EQ(totp_verify(secret, totp_at(secret, now + 30'000), now), step + 1);
    EXPECT_FALSE(totp_verify(secret, totp_at(secret, now - 60'000), now));
    EXPECT_FALSE(totp_verify(secret, totp_at(secret, now + 60'000), now));
    EXPECT_FALSE(totp_verify(secret, "12345", now));
    EXPECT_FALSE(totp_verify(secret, "abcdef", now));
    // Spaces as apps show the code ("050 471") are fine.
    EXPECT_EQ(totp_verify(secret, "050 471", now), step);
}

TEST(Totp, OtpauthUriNamesIssuerAccountAndParameters) {
    EXPECT_EQ(otpauth_uri("Stadt Musterstadt", "anna@example.org", "JBSWY3DPEHPK3PXP"),
              "otpauth://totp/Stadt%20Musterstadt:anna@example.org?secret=JBSWY3DPEHPK3PXP"
              "&issuer=Stadt%20Musterstadt&algorithm=SHA1&digits=6&period=30");
    EXPECT_EQ(grouped("JBSWY3DPEHPK3PXP"), "JBSW Y3DP EHPK 3PXP");
}

} // namespace
} // namespace teilhabe::security
