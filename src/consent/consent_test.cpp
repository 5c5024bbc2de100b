// Domain rules without a database: unsubscribe tokens, the sign-up form's bot checks, topics.

#include "consent/form_guard.h"
#include "consent/topic.h"
#include "consent/unsubscribe.h"
#include "security/crypto.h"

#include <gtest/gtest.h>

namespace teilhabe::consent {
namespace {

TEST(UnsubscribeToken, RoundTripsAndRefusesTamperingOrAnotherSecret) {
    ASSERT_TRUE(security::init());
    auto token = unsubscribe_token("s3cret", 42, 7, {3, 5});
    auto claim = verify_unsubscribe_token("s3cret", token);
    ASSERT_TRUE(claim);
    EXPECT_EQ(claim->citizen_id, 42);
    EXPECT_EQ(claim->campaign_id, 7);
    EXPECT_EQ(claim->topic_ids, (std::vector<std::int64_t>{3, 5}));
    EXPECT_FALSE(verify_unsubscribe_token("other", token));
    auto forged = token;
    forged[0] = '4' == forged[0] ? '5' : '4'; // another person
    EXPECT_FALSE(verify_unsubscribe_token("s3cret", forged));
    EXPECT_FALSE(verify_unsubscribe_token("s3cret", ""));
    EXPECT_FALSE(verify_unsubscribe_token("s3cret", "42.7.3-5"));
    auto none = verify_unsubscribe_token("s3cret", unsubscribe_token("s3cret", 9, 0, {}));
    ASSERT_TRUE(none);
    EXPECT_TRUE(none->topic_ids.empty());
    EXPECT_EQ(unsubscribe_url("https://x.example/", "t"), "https://x.example/unsubscribe/t");
    EXPECT_EQ(one_click_url("https://x.example", "t"), "https://x.example/unsubscribe/t");
}

TEST(FormGuard, StampIsSignedAndTimed) {
    ASSERT_TRUE(security::init());
    auto stamp = guard::make_stamp("k", 1'000'000);
    EXPECT_EQ(guard::read_stamp("k", stamp), 1'000'000);
    EXPECT_FALSE(guard::read_stamp("other", stamp));
    EXPECT_FALSE(guard::read_stamp("k", "2000000" + stamp.substr(stamp.find('.'))));
    std::string nonce;
    for (int n = 0; nonce.empty(); ++n)
        if (guard::proof_of_work_ok(stamp, std::to_string(n)))
            nonce = std::to_string(n);
    using guard::Verdict;
    auto at = [&](std::int64_t ms, std::string_view pow, std::string_view honey = "") {
        return guard::check("k", {stamp, pow, honey}, 1'000'000 + ms);
    };
    EXPECT_EQ(at(2'500, nonce), Verdict::Ok);
    EXPECT_EQ(at(500, nonce), Verdict::TooFast);
    EXPECT_EQ(at(2'500, "x"), Verdict::BadProofOfWork);
    EXPECT_EQ(at(2'500, ""), Verdict::TooFast); // without script: more patience needed
    EXPECT_EQ(at(6'500, ""), Verdict::Ok);
    EXPECT_EQ(at(2'500, nonce, "http://spam"), Verdict::Honeypot);
    EXPECT_EQ(at(25LL * 3600 * 1000, nonce), Verdict::Expired);
    EXPECT_EQ(guard::check("k", {"", "", ""}, 0), Verdict::NoStamp);
    EXPECT_EQ(guard::check("k", {"12.ab", "", ""}, 0), Verdict::BadStamp);
}

TEST(Topic, KeysAndInputAreChecked) {
    EXPECT_TRUE(validate_topic_key("kultur-und_2"));
    EXPECT_FALSE(validate_topic_key("Kultur"));
    EXPECT_FALSE(validate_topic_key("k"));
    auto ok = parse_topic_input({{"key", "kultur"}, {"name_de", "Kultur"}}, InputMode::Create);
    ASSERT_TRUE(ok);
    auto missing = parse_topic_input({{"key", "kultur"}}, InputMode::Create);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().field, "name_de");
    auto unknown = parse_topic_input({{"colour", "red"}}, InputMode::Patch);
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().field, "colour");
    TopicScope scope{true, 2};
    Topic own;
    own.department_id = 2;
    Topic other;
    other.department_id = 1;
    EXPECT_TRUE(scope.may_manage(own));
    EXPECT_FALSE(scope.may_manage(other));
    EXPECT_FALSE(TopicScope({true, std::nullopt}).may_manage(own));
}

} // namespace
} // namespace teilhabe::consent
