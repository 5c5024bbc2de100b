// The OpenAPI document describes the routes it claims to.

#include "app/openapi.h"
#include "delivery/routes.h"
#include "campaigns/routes.h"
#include "consent/routes.h"
#include "points/routes.h"
#include "segments/routes.h"
#include "journeys/routes.h"
#include "shop/routes.h"
#include "events/routes.h"
#include "stadttaler/routes.h"
#include "surveys/routes.h"
#include "webhooks/routes.h"

#include <algorithm>
#include <gtest/gtest.h>

namespace teilhabe::app {
namespace {

std::string lower(std::string s) {
    std::ranges::transform(s, s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

bool api_only(const web::RouteDef& r) { return r.pattern.starts_with("/api/"); }
bool every(const web::RouteDef&) { return true; }

// Each route the filter picks must be in the document with its method; returns how many were
// checked, so a test can also say how many it expects.
int expect_described(nlohmann::json& doc, const std::vector<web::RouteDef>& routes,
                     bool (*picked)(const web::RouteDef&) = api_only) {
    int checked = 0;
    for (const auto& r : routes) {
        if (!picked(r))
            continue;
        ++checked;
        if (!doc["paths"].contains(r.pattern)) {
            ADD_FAILURE() << "not described: " << r.pattern;
            continue;
        }
        auto method = lower(http::to_string(r.method));
        EXPECT_TRUE(doc["paths"][r.pattern].contains(method)) << method << " " << r.pattern;
    }
    return checked;
}

TEST(OpenApi, EveryWebhookRouteIsDescribedAndSoIsWhatReceiversGet) {
    auto doc = openapi_document("http://127.0.0.1:8080");
    expect_described(doc, webhooks::routes(), every);
    for (const char* schema : {"Webhook", "WebhookDelivery", "WebhookEvent"})
        EXPECT_TRUE(doc["components"]["schemas"].contains(schema)) << schema;
    auto& incoming = doc["webhooks"]["activity"]["post"];
    EXPECT_EQ(incoming["requestBody"]["content"]["application/json"]["schema"]["$ref"],
              "#/components/schemas/WebhookEvent");
    EXPECT_EQ(incoming["parameters"].size(), 3u);
}

TEST(OpenApi, EveryPointsApiRouteIsDescribed) {
    auto doc = openapi_document("http://127.0.0.1:8080");
    EXPECT_EQ(expect_described(doc, points::routes()), 8);
    for (const char* schema : {"PointsRule", "LedgerEntry", "LedgerTransfer", "CitizenPoints"})
        EXPECT_TRUE(doc["components"]["schemas"].contains(schema)) << schema;
}

TEST(OpenApi, EverySegmentApiRouteIsDescribed) {
    auto doc = openapi_document("http://127.0.0.1:8080");
    expect_described(doc, segments::routes());
    for (const char* schema : {"Segment", "SegmentRule", "SegmentMember"})
        EXPECT_TRUE(doc["components"]["schemas"].contains(schema)) << schema;
}

TEST(OpenApi, EveryDeliveryRouteIsDescribed) {
    auto doc = openapi_document("http://127.0.0.1:8080");
    expect_described(doc, delivery::routes(), every);
    EXPECT_TRUE(doc["components"]["schemas"].contains("BounceOutcome"));
}

TEST(OpenApi, EveryConsentApiRouteAndTheOneClickPostAreDescribed) {
    auto doc = openapi_document("http://127.0.0.1:8080");
    EXPECT_GE(expect_described(doc, consent::routes({})), 8);
    EXPECT_TRUE(doc["paths"]["/unsubscribe/{token}"].contains("post"));
    for (const char* schema : {"Topic", "ConsentText", "Consent"})
        EXPECT_TRUE(doc["components"]["schemas"].contains(schema)) << schema;
}

TEST(OpenApi, EveryJourneyApiRouteIsDescribed) {
    auto doc = openapi_document("http://127.0.0.1:8080");
    EXPECT_EQ(expect_described(doc, journeys::routes()), 8);
    EXPECT_TRUE(doc["components"]["schemas"].contains("Journey"));
}

TEST(OpenApi, EveryCampaignApiRouteAndTheRedirectAreDescribed) {
    auto doc = openapi_document("http://127.0.0.1:8080");
    int described = expect_described(doc, campaigns::routes(), [](const web::RouteDef& r) {
        return api_only(r) || r.pattern == "/r/{token}";
    });
    EXPECT_GE(described, 12);
    EXPECT_TRUE(doc["components"]["schemas"].contains("Campaign"));
    EXPECT_TRUE(doc["components"]["schemas"].contains("CampaignReport"));
}

TEST(OpenApi, EveryShopAndStadttalerApiRouteIsDescribed) {
    auto doc = openapi_document("http://127.0.0.1:8080");
    auto all = shop::routes();
    auto money = stadttaler::routes({});
    all.insert(all.end(), money.begin(), money.end());
    EXPECT_GE(expect_described(doc, all), 18);
    for (auto schema : {"Offer", "Voucher", "StadttalerSettlement"})
        EXPECT_TRUE(doc["components"]["schemas"].contains(schema)) << schema;
}

TEST(OpenApi, EverySurveyApiRouteIsDescribed) {
    auto doc = openapi_document("http://127.0.0.1:8080");
    EXPECT_EQ(expect_described(doc, surveys::routes()), 9);
    for (auto schema : {"Survey", "SurveyQuestion", "SurveyResults", "SurveyResponse"})
        EXPECT_TRUE(doc["components"]["schemas"].contains(schema)) << schema;
}

TEST(OpenApi, EveryEventApiRouteIsDescribed) {
    auto doc = openapi_document("http://127.0.0.1:8080");
    EXPECT_GE(expect_described(doc, events::routes()), 11);
    for (auto schema : {"Event", "EventRegistration", "EventCheckIn"})
        EXPECT_TRUE(doc["components"]["schemas"].contains(schema)) << schema;
}

} // namespace
} // namespace teilhabe::app
