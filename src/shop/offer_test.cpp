#include "shop/offer.h"

#include <gtest/gtest.h>

namespace teilhabe::shop {
namespace {

TEST(Offer, ParsesACreateAndRefusesWhatDoesNotFit) {
    auto in = parse_offer_input(nlohmann::json::parse(R"({"title": "Schwimmbad-Eintritt",
        "price_points": 50, "stock": 10, "per_person_limit": 2,
        "valid_until": "2026-12-31T23:00:00Z"})"),
                                InputMode::Create);
    ASSERT_TRUE(in) << in.error().message;
    auto o = apply(Offer{}, *in);
    EXPECT_EQ(o.title, "Schwimmbad-Eintritt");
    EXPECT_EQ(o.stock, 10);
    EXPECT_EQ(o.per_person_limit, 2);
    ASSERT_TRUE(o.valid_until_ms);
    EXPECT_TRUE(validate(o));

    auto missing = parse_offer_input(nlohmann::json::parse(R"({"title": "x"})"), InputMode::Create);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().field, "price_points");
    auto negative = parse_offer_input(nlohmann::json::parse(R"({"title": "x", "price_points": 0})"),
                                      InputMode::Create);
    ASSERT_FALSE(negative);
    auto unknown = parse_offer_input(nlohmann::json::parse(R"({"titel": "x"})"), InputMode::Patch);
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().field, "titel");
    auto wrong_type = parse_offer_input(nlohmann::json::parse(R"({"stock": "viele"})"), InputMode::Patch);
    ASSERT_FALSE(wrong_type);
    EXPECT_EQ(wrong_type.error().field, "stock");
}

TEST(Offer, PatchClearsWithNull) {
    Offer o{.title = "VHS-Kurs", .price_points = 100, .stock = 3};
    auto in = parse_offer_input(nlohmann::json::parse(R"({"stock": null})"), InputMode::Patch);
    ASSERT_TRUE(in);
    EXPECT_FALSE(apply(o, *in).stock);
}

TEST(Offer, RefusalSaysWhyInOrder) {
    Offer o{.title = "t", .price_points = 10, .stock = 1, .per_person_limit = 1,
            .valid_from_ms = 1000, .valid_until_ms = 2000};
    EXPECT_EQ(refusal(o, 0, 500), Refusal::NotYet);
    EXPECT_EQ(refusal(o, 0, 2000), Refusal::Expired);
    EXPECT_EQ(refusal(o, 0, 1500), std::nullopt);
    EXPECT_EQ(refusal(o, 1, 1500), Refusal::LimitReached);
    o.stock = 0;
    EXPECT_EQ(refusal(o, 0, 1500), Refusal::SoldOut);
    o.active = false;
    EXPECT_EQ(refusal(o, 0, 1500), Refusal::Inactive);
}

} // namespace
} // namespace teilhabe::shop
