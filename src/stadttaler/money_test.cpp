#include "stadttaler/money.h"

#include <gtest/gtest.h>

namespace teilhabe::stadttaler {
namespace {

TEST(Money, ReadsAmountsAsPeopleTypeThem) {
    EXPECT_EQ(parse_amount("12,50").value(), 1250);
    EXPECT_EQ(parse_amount("12.5").value(), 1250);
    EXPECT_EQ(parse_amount("12").value(), 1200);
    EXPECT_EQ(parse_amount(" 3,05 €").value(), 305);
    EXPECT_EQ(parse_amount("0,01").value(), 1);
    for (auto bad : {"", "0", "0,00", "1,234", "-5", "12,", ",5", "1.2.3", "abc", "10000,01",
                     "99999999"})
        EXPECT_FALSE(parse_amount(bad)) << bad;
}

TEST(Money, FormatsCents) {
    EXPECT_EQ(format_cents(1250), "12,50 €");
    EXPECT_EQ(format_cents(5, true), "€0.05");
    EXPECT_EQ(format_cents(-199), "-1,99 €");
    EXPECT_EQ(csv_cents(100000), "1000,00");
}

TEST(Money, SignatureIsHmacOfTheBodyComparedInFull) {
    std::string body = R"({"payment_id":"pay_1","amount_cents":500})";
    auto header = sign("geheim", body);
    EXPECT_TRUE(header.starts_with("sha256="));
    EXPECT_EQ(header.size(), 7u + 64u);
    EXPECT_TRUE(signature_ok("geheim", body, header));
    EXPECT_FALSE(signature_ok("geheim", body + " ", header));
    EXPECT_FALSE(signature_ok("anders", body, header));
    EXPECT_FALSE(signature_ok("geheim", body, header.substr(0, 20)));
    EXPECT_FALSE(signature_ok("geheim", body, ""));
    // No secret configured: nothing is ever accepted, not even an "empty" signature.
    EXPECT_FALSE(signature_ok("", body, sign("", body)));
}

} // namespace
} // namespace teilhabe::stadttaler
