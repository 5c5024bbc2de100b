// The rules of a subscription (URL, event types, input) and the signature, without a database.

#include "webhooks/message.h"
#include "webhooks/sender.h"
#include "webhooks/signature.h"
#include "webhooks/test_receiver.h"
#include "webhooks/webhook.h"

#include <gtest/gtest.h>
#include <map>
#include <set>

namespace teilhabe::webhooks {
namespace {

using testing::openssl_signature;

TEST(WebhookUrl, OnlyHttpAndHttpsWithAHost) {
    for (const char* ok :
         {"http://127.0.0.1:8080/hook", "https://cms.musterstadt.de/api/in?x=1",
          "HTTPS://Cms.Example/", "http://[::1]:9000/h", "https://xn--mnchen-3ya.de"})
        EXPECT_TRUE(validate_url(ok).has_value()) << ok;
    for (const char* bad :
         {"", "ftp://files.example/x", "javascript:alert(1)", "file:///etc/passwd", "https://",
          "https:///path", "https://user:pw@cms.example/", "https://cms.example/#top",
          "https://cms.example:0/", "https://cms.example:99999/", "https://cms .example/",
          "https://münchen.de/", "https://cms.example:80x/", "//cms.example/",
          "https://[zz::1]/"}) {
        auto r = validate_url(bad);
        ASSERT_FALSE(r.has_value()) << bad;
        EXPECT_EQ(r.error().field, "url") << bad;
    }
    EXPECT_NE(validate_url("gopher://x").error().message.find("http:// and https://"),
              std::string::npos);
}

TEST(WebhookFilter, EmptyMeansEverythingPatternsMatchPrefixes) {
    Webhook all;
    EXPECT_TRUE(matches(all, "library.loan"));
    Webhook some;
    some.event_types = {"library.loan", "pool.*"};
    EXPECT_TRUE(matches(some, "library.loan"));
    EXPECT_TRUE(matches(some, "pool.visit"));
    EXPECT_TRUE(matches(some, "pool.ticket.bought"));
    EXPECT_FALSE(matches(some, "library.return"));
    EXPECT_FALSE(matches(some, "poolside.visit"));
    EXPECT_FALSE(matches(some, "pool"));
    EXPECT_TRUE(validate_event_type("pool.*").has_value());
    EXPECT_FALSE(validate_event_type("*").has_value());
    EXPECT_FALSE(validate_event_type("Pool.Visit").has_value());
    EXPECT_FALSE(validate_event_type("pool.*.x").has_value());
    EXPECT_EQ(split_event_types(" library.loan, pool.*\r\npool.*;x.y "),
              (std::vector<std::string>{"library.loan", "pool.*", "x.y"}));
}

TEST(WebhookInput, RefusalsNameTheMember) {
    struct Case {
        nlohmann::json body;
        InputMode mode;
        std::string field;
    };
    std::vector<Case> cases = {
        {{{"description", "x"}}, InputMode::Create, "url"},
        {{{"url", 42}}, InputMode::Create, "url"},
        {{{"url", "ftp://x.example/"}}, InputMode::Create, "url"},
        {{{"url", "https://x.example/"}, {"event_types", "pool.visit"}},
         InputMode::Create,
         "event_types"},
        {{{"url", "https://x.example/"}, {"event_types", {"Pool Visit"}}},
         InputMode::Create,
         "event_types"},
        {{{"url", "https://x.example/"}, {"active", "yes"}}, InputMode::Create, "active"},
        {{{"url", "https://x.example/"}, {"secret", "whsec_mine"}}, InputMode::Create, "secret"},
        {{{"url", "https://x.example/"}, {"rotate_secret", true}},
         InputMode::Create,
         "rotate_secret"},
        {{{"url", "https://x.example/"}, {"colour", "blue"}}, InputMode::Create, "colour"},
        {{{"description", std::string(501, 'x')}}, InputMode::Patch, "description"},
    };
    for (const auto& c : cases) {
        auto r = parse_input(c.body, c.mode);
        ASSERT_FALSE(r.has_value()) << c.body.dump();
        EXPECT_EQ(r.error().code, ErrorCode::InvalidArgument);
        EXPECT_EQ(r.error().field, c.field) << c.body.dump();
    }
    auto ok = parse_input({{"url", "https://x.example/"}, {"event_types", {"a.b", "a.b", "c.*"}}},
                          InputMode::Create);
    ASSERT_TRUE(ok.has_value()) << ok.error().message;
    EXPECT_EQ(*ok->event_types, (std::vector<std::string>{"a.b", "c.*"}));
    auto patch = parse_input({{"active", false}, {"rotate_secret", true}}, InputMode::Patch);
    ASSERT_TRUE(patch.has_value());
    EXPECT_FALSE(patch->url.has_value());
    EXPECT_TRUE(patch->rotate_secret);
}

// The example of the Standard Webhooks specification: receivers' libraries check exactly this.
TEST(WebhookSignature, MatchesTheStandardWebhooksExample) {
    auto sig = sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
                    1614265330, R"({"test": 2432232314})");
    ASSERT_TRUE(sig.has_value()) << sig.error().message;
    EXPECT_EQ(*sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
}

TEST(WebhookSignature, SecretsAreRandomAndSignaturesCheckEverySignedPart) {
    std::set<std::string> secrets;
    for (int i = 0; i < 20; ++i) {
        auto s = generate_secret();
        EXPECT_TRUE(s.starts_with("whsec_"));
        EXPECT_EQ(secret_key(s).value().size(), 32u);
        secrets.insert(s);
    }
    EXPECT_EQ(secrets.size(), 20u);

    auto secret = generate_secret();
    std::string body = R"({"id":1,"type":"library.loan"})";
    auto sig = sign(secret, "msg_1", 1780000000, body).value();
    EXPECT_EQ(sig, openssl_signature(secret, "msg_1.1780000000." + body));
    EXPECT_TRUE(verify(secret, "msg_1", 1780000000, body, sig));
    EXPECT_TRUE(verify(secret, "msg_1", 1780000000, body, "v1,bm90IGl0 " + sig));
    EXPECT_FALSE(verify(secret, "msg_2", 1780000000, body, sig));
    EXPECT_FALSE(verify(secret, "msg_1", 1780000001, body, sig));
    EXPECT_FALSE(verify(secret, "msg_1", 1780000000, body + " ", sig));
    EXPECT_FALSE(verify(generate_secret(), "msg_1", 1780000000, body, sig));
    EXPECT_FALSE(sign("not-a-secret", "msg_1", 1, body).has_value());
}

TEST(WebhookMessage, BodyNamesThePersonByIdOnlyAndHeadersAreSigned) {
    activity::Activity a{.id = 42,
                         .type = "library.loan",
                         .citizen_id = 7,
                         .actor = "apikey:1",
                         .object = "book:4711",
                         .props = R"({"branch":"Mitte"})",
                         .occurred_at = from_unix_ms(1'780'000'000'000),
                         .recorded_at = from_unix_ms(1'780'000'001'000)};
    auto body = nlohmann::json::parse(event_body(a));
    EXPECT_EQ(body["id"], 42);
    EXPECT_EQ(body["type"], "library.loan");
    EXPECT_EQ(body["citizen_id"], 7);
    EXPECT_EQ(body["object"], "book:4711");
    EXPECT_EQ(body["data"]["branch"], "Mitte");
    EXPECT_EQ(body["occurred_at"], "2026-05-28T20:26:40.000Z");
    EXPECT_FALSE(
        body.contains("actor")); // who in the town hall did it is not the receiver's business

    auto secret = generate_secret();
    auto m = signed_message("https://x.example/", secret, 9, event_body(a),
                            from_unix_ms(1'780'000'002'500));
    ASSERT_TRUE(m.has_value());
    std::map<std::string, std::string> h(m->headers.begin(), m->headers.end());
    EXPECT_EQ(h["Content-Type"], "application/json");
    EXPECT_EQ(h["Webhook-Id"], "msg_9");
    EXPECT_EQ(h["Webhook-Timestamp"], "1780000002");
    EXPECT_EQ(h["Webhook-Signature"], openssl_signature(secret, "msg_9.1780000002." + m->body));
}

TEST(WebhookVerdict, OnlyTwoHundredsAreDelivered) {
    EXPECT_TRUE(judge({.status = 200}).delivered);
    EXPECT_TRUE(judge({.status = 204}).delivered);
    EXPECT_FALSE(judge({.status = 500}).delivered);
    EXPECT_EQ(judge({.status = 500}).error, "HTTP 500");
    EXPECT_NE(judge({.status = 301}).error.find("redirects are not followed"), std::string::npos);
    EXPECT_EQ(judge({.status = std::nullopt, .error = "Connection refused"}).error,
              "Connection refused");
}

} // namespace
} // namespace teilhabe::webhooks
