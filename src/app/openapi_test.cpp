// The OpenAPI document describes the routes it claims to.

#include "app/openapi.h"
#include "delivery/routes.h"
#include "campaigns/routes.h"
#include "consent/routes.h"
#include "points/routes.h"
#include "segments/routes.h"
#include "journeys/routes.h"
#include "shop/routes.h"
#include "stadttaler/routes.h"
#include "webhooks/routes.h"

#include <algorithm>
#include <gtest/gtest.h>

namespace teilhabe::app {
namespace {

std::string lower(std::string s) {
    std::ranges::transform(s, s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

TEST(OpenApi, EveryWebhookRouteIsDescribedAndSoIsWhatReceiversGet) {
    auto doc = openapi_document("http://127.0.0.1:8080");
    for (const auto& r : webhooks::routes()) {
        auto method = lower(http::to_string(r.method));
        ASSERT_TRUE(doc["paths"].contains(r.pattern)) << r.pattern;
        EXPECT_TRUE(doc["paths"][r.pattern].contains(method)) << method << " " << r.pattern;
    }
    for (const char* schema : {"Webhook", "WebhookDelivery", "WebhookEvent"})
        EXPECT_TRUE(doc["components"]["schemas"].contains(schema)) << schema;
    auto& incoming = doc["webhooks"]["activity"]["post"];
    EXPECT_EQ(incoming["requestBody"]["content"]["application/json"]["schema"]["$ref"],
              "#/components/schemas/WebhookEvent");
    EXPECT_EQ(incoming["parameters"].size(), 3u);
}

TEST(OpenApi, EveryPointsApiRouteIsDescribed) {
    auto doc = openapi_document("http://127.0.0.1:8080");
    int api = 0;
    for (const auto& r : points::routes()) {
        if (!r.pattern.starts_with("/api/"))
            continue;
        ++api;
        auto method = lower(http::to_string(r.method));
        ASSERT_TRUE(doc["paths"].contains(r.pattern)) << r.pattern;
        EXPECT_TRUE(doc["paths"][r.pattern].contains(method)) << method << " " << r.pattern;
    }
    EXPECT_EQ(api, 8);
    for (const char* schema : {"PointsRule", "LedgerEntry", "LedgerTransfer", "CitizenPoints"})
        EXPECT_TRUE(doc["components"]["schemas"].contains(schema)) << schema;
}

TEST(OpenApi, EverySegmentApiRouteIsDescribed) {
    auto doc = openapi_document("http://127.0.0.1:8080");
    for (const auto& r : segments::routes()) {
        if (!r.pattern.starts_with("/api/"))
            continue;
        auto method = lower(http::to_string(r.method));
        ASSERT_TRUE(doc["paths"].contains(r.pattern)) << r.pattern;
        EXPECT_TRUE(doc["paths"][r.pattern].contains(method)) << method << " " << r.pattern;
    }
    for (const char* schema : {"Segment", "SegmentRule", "SegmentMember"})
        EXPECT_TRUE(doc["components"]["schemas"].contains(schema)) << schema;
}

TEST(OpenApi, EveryDeliveryRouteIsDescribed) {
    auto doc = openapi_document("http://127.0.0.1:8080");
    for (const auto& r : delivery::routes()) {
        auto method = lower(http::to_string(r.method));
        ASSERT_TRUE(doc["paths"].contains(r.pattern)) << r.pattern;
        EXPECT_TRUE(doc["paths"][r.pattern].contains(method)) << method << " " << r.pattern;
    }
    EXPECT_TRUE(doc["components"]["schemas"].contains("BounceOutcome"));
}

TEST(OpenApi, EveryConsentApiRouteAndTheOneClickPostAreDescribed) {
    auto doc = openapi_document("http://127.0.0.1:8080");
    int described = 0;
    for (const auto& r : consent::routes({})) {
        if (!r.pattern.starts_with("/api/"))
            continue;
        auto method = lower(http::to_string(r.method));
        ASSERT_TRUE(doc["paths"].contains(r.pattern)) << r.pattern;
        EXPECT_TRUE(doc["paths"][r.pattern].contains(method)) << method << " " << r.pattern;
        ++described;
    }
    EXPECT_GE(described, 8);
    EXPECT_TRUE(doc["paths"]["/unsubscribe/{token}"].contains("post"));
    for (const char* schema : {"Topic", "ConsentText", "Consent"})
        EXPECT_TRUE(doc["components"]["schemas"].contains(schema)) << schema;
}

TEST(OpenApi, EveryJourneyApiRouteIsDescribed) {
    auto doc = openapi_document("http://127.0.0.1:8080");
    int described = 0;
    for (const auto& r : journeys::routes()) {
        if (!r.pattern.starts_with("/api/"))
            continue;
        auto method = lower(http::to_string(r.method));
        ASSERT_TRUE(doc["paths"].contains(r.pattern)) << r.pattern;
        EXPECT_TRUE(doc["paths"][r.pattern].contains(method)) << method << " " << r.pattern;
        ++described;
    }
    EXPECT_EQ(described, 8);
    EXPECT_TRUE(doc["components"]["schemas"].contains("Journey"));
}

} // namespace
TEST(OpenApi, EveryCampaignApiRouteAndTheRedirectAreDescribed) {
    auto doc = openapi_document("http://127.0.0.1:8080");
    int described = 0;
    for (const auto& r : campaigns::routes()) {
        if (!r.pattern.starts_with("/api/") && r.pattern != "/r/{token}")
            continue;
        auto method = lower(http::to_string(r.method));
        ASSERT_TRUE(doc["paths"].contains(r.pattern)) << r.pattern;
        EXPECT_TRUE(doc["paths"][r.pattern].contains(method)) << method << " " << r.pattern;
        ++described;
    }
    EXPECT_GE(described, 12);
    EXPECT_TRUE(doc["components"]["schemas"].contains("Campaign"));
    EXPECT_TRUE(doc["components"]["schemas"].contains("CampaignReport"));
}

TEST(OpenApi, EveryShopAndStadttalerApiRouteIsDescribed) {
    auto doc = openapi_document("http://127.0.0.1:8080");
    int described = 0;
    auto all = shop::routes();
    auto money = stadttaler::routes({});
    all.insert(all.end(), money.begin(), money.end());
    for (const auto& r : all) {
        if (!r.pattern.starts_with("/api/"))
            continue;
        auto method = lower(http::to_string(r.method));
        ASSERT_TRUE(doc["paths"].contains(r.pattern)) << r.pattern;
        EXPECT_TRUE(doc["paths"][r.pattern].contains(method)) << method << " " << r.pattern;
        ++described;
    }
    EXPECT_GE(described, 18);
    for (auto schema : {"Offer", "Voucher", "StadttalerSettlement"})
        EXPECT_TRUE(doc["components"]["schemas"].contains(schema)) << schema;
}

} // namespace teilhabe::app
