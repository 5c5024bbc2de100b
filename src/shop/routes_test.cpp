// The shop's API over the real dispatcher on both engines: status codes, the redeem contract
// of SPEC.md, partner binding.

#include "ledger/ledger_store.h"
#include "shop/routes.h"
#include "shop/voucher_code.h"
#include "web/api_harness.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace teilhabe::shop {
namespace {

using http::Method;
using nlohmann::json;
using staff::Role;

class ShopApi : public ::testing::TestWithParam<db::Backend> {
protected:
    void SetUp() override {
        h = web::testing::ApiHarness::create(GetParam(), routes());
        ASSERT_TRUE(h);
        anna = h->add_citizen("anna@example.org", "Anna");
    }
    void award(std::int64_t citizen, std::int64_t points) {
        auto r = h->db().transaction(db::TxMode::Write, [&](db::Connection& c) {
            return ledger::transfer(c,
                                    {.idempotency_key = fmt::format("award:{}:{}", citizen, points),
                                     .from = ledger::AccountRef::town(),
                                     .to = ledger::AccountRef::citizen(citizen),
                                     .amount = points,
                                     .kind = "award",
                                     .reason = "test",
                                     .object = "test",
                                     .actor = "system"},
                                    h->clock().now());
        });
        ASSERT_TRUE(r) << r.error().message;
    }
    std::int64_t create_offer(const json& body) {
        auto r = h->call(Method::Post, "/api/v1/offers", Role::Editor, body);
        EXPECT_EQ(r.status, 201) << r.body;
        return r.json().value("id", std::int64_t{0});
    }
    web::testing::ApiResponse redeem(std::int64_t offer, std::int64_t citizen,
                                     const std::string& key) {
        return h->call(Method::Post, fmt::format("/api/v1/offers/{}/redeem", offer), Role::Editor,
                       {{"citizen_id", citizen}}, {{"idempotency-key", key}});
    }
    std::unique_ptr<web::testing::ApiHarness> h;
    std::int64_t anna{0};
};

TEST_P(ShopApi, OffersCanBeCreatedListedChangedAndDeleted) {
    auto id = create_offer({{"title", "VHS-Kochkurs"}, {"price_points", 200}, {"stock", 12},
                            {"valid_until", "2027-03-31T22:00:00Z"}});
    auto got = h->call(Method::Get, fmt::format("/api/v1/offers/{}", id), Role::Department);
    ASSERT_EQ(got.status, 200);
    EXPECT_EQ(got.json()["title"], "VHS-Kochkurs");
    EXPECT_EQ(got.json()["stock"], 12);
    EXPECT_EQ(got.json()["valid_until"], "2027-03-31T22:00:00.000Z");
    auto patched = h->call(Method::Patch, fmt::format("/api/v1/offers/{}", id), Role::Editor,
                           {{"stock", nullptr}, {"price_points", 150}});
    ASSERT_EQ(patched.status, 200) << patched.body;
    EXPECT_TRUE(patched.json()["stock"].is_null());
    auto list = h->call(Method::Get, "/api/v1/offers?limit=1", Role::Editor);
    ASSERT_EQ(list.status, 200);
    EXPECT_EQ(list.json()["items"].size(), 1u);
    EXPECT_TRUE(list.json().contains("next_cursor"));
    auto bad = h->call(Method::Post, "/api/v1/offers", Role::Editor, {{"title", ""}, {"price_points", 5}});
    EXPECT_EQ(bad.status, 422);
    EXPECT_EQ(bad.content_type, "application/problem+json");
    auto partner = h->call(Method::Post, "/api/v1/offers", Role::Partner, {{"title", "x"}, {"price_points", 5}});
    EXPECT_EQ(partner.status, 403);
    auto no_partner = h->call(Method::Post, "/api/v1/offers", Role::Editor,
                              {{"title", "x"}, {"price_points", 5}, {"partner_id", 999}});
    EXPECT_EQ(no_partner.status, 422);
    EXPECT_EQ(h->call(Method::Delete, fmt::format("/api/v1/offers/{}", id), Role::Editor).status, 204);
    EXPECT_EQ(h->call(Method::Get, fmt::format("/api/v1/offers/{}", id), Role::Editor).status, 404);
    EXPECT_EQ(h->call(Method::Get, "/api/v1/offers/abc", Role::Editor).status, 404);
}

TEST_P(ShopApi, RedeemIssuesAVoucherOnceAndAnswersProblemsOtherwise) {
    award(anna, 100);
    auto id = create_offer({{"title", "Freibad"}, {"price_points", 30}});
    auto missing_key = h->call(Method::Post, fmt::format("/api/v1/offers/{}/redeem", id),
                               Role::Editor, {{"citizen_id", anna}});
    EXPECT_EQ(missing_key.status, 400);
    auto r = redeem(id, anna, "req-1");
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.json()["voucher"]["status"], "issued");
    auto code = r.json()["voucher"]["code"].get<std::string>();
    EXPECT_TRUE(normalise_code(code));
    auto again = redeem(id, anna, "req-1");
    EXPECT_EQ(again.json()["voucher"]["code"], code);
    EXPECT_EQ(redeem(id, 424242, "req-2").status, 422);
    EXPECT_EQ(redeem(999, anna, "req-3").status, 404);
    auto dear = create_offer({{"title", "Theater"}, {"price_points", 500}});
    auto poor = redeem(dear, anna, "req-4");
    EXPECT_EQ(poor.status, 422);
    EXPECT_EQ(poor.content_type, "application/problem+json");
    auto not_number = h->call(Method::Post, fmt::format("/api/v1/offers/{}/redeem", id),
                              Role::Editor, {{"citizen_id", "anna"}}, {{"idempotency-key", "x"}});
    EXPECT_EQ(not_number.status, 422);
}

TEST_P(ShopApi, VoucherRedeemIs200Once409AfterAnd404ForUnknown) {
    award(anna, 100);
    auto id = create_offer({{"title", "Freibad"}, {"price_points", 30}});
    auto code = redeem(id, anna, "k").json()["voucher"]["code"].get<std::string>();
    auto path = fmt::format("/api/v1/vouchers/{}/redeem", code);
    auto first = h->call(Method::Post, path, Role::Admin);
    ASSERT_EQ(first.status, 200) << first.body;
    EXPECT_EQ(first.json()["voucher"]["status"], "redeemed");
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(h->call(Method::Post, path, Role::Admin).status, 409);
    EXPECT_EQ(h->call(Method::Post, fmt::format("/api/v1/vouchers/{}/redeem", format_code(new_code())),
                      Role::Admin).status,
              404);
    EXPECT_EQ(h->call(Method::Post, "/api/v1/vouchers/NOT-A-CODE/redeem", Role::Admin).status, 404);
    // Lower case, without dashes: the same voucher.
    std::string typed;
    for (char c : code)
        if (c != '-')
            typed += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_EQ(h->call(Method::Post, fmt::format("/api/v1/vouchers/{}/redeem", typed), Role::Admin).status,
              409);
    EXPECT_EQ(h->call(Method::Post, path, Role::Editor).status, 403);
}

TEST_P(ShopApi, PartnerAccountsRedeemOnlyTheirPartnersVouchers) {
    award(anna, 100);
    auto pool = h->call(Method::Post, "/api/v1/partners", Role::Editor, {{"name", "Freibad"}});
    ASSERT_EQ(pool.status, 201);
    auto vhs = h->call(Method::Post, "/api/v1/partners", Role::Editor, {{"name", "VHS"}});
    auto offer = create_offer({{"title", "Eintritt"}, {"price_points", 10},
                               {"partner_id", pool.json()["id"]}});
    auto code = redeem(offer, anna, "k").json()["voucher"]["code"].get<std::string>();
    auto path = fmt::format("/api/v1/vouchers/{}/redeem", code);
    // Not bound yet: a missing set-up, said as such.
    auto unbound = h->call(Method::Post, path, Role::Partner);
    EXPECT_EQ(unbound.status, 422) << unbound.body;
    h->key(Role::Partner);
    auto key_id = h->db().transaction(db::TxMode::Read, [](db::Connection& c) {
        return c.query_one("SELECT id FROM api_keys WHERE role = 'partner'");
    });
    ASSERT_TRUE(key_id);
    auto principal = fmt::format("apikey:{}", key_id->get_int(0));
    auto bind = [&](const json& partner) {
        return h->call(Method::Put, fmt::format("/api/v1/partners/{}/members", partner.get<std::int64_t>()),
                       Role::Admin, {{"principal", principal}});
    };
    EXPECT_EQ(h->call(Method::Put, "/api/v1/partners/1/members", Role::Editor,
                      {{"principal", principal}}).status,
              403);
    ASSERT_EQ(bind(vhs.json()["id"]).status, 200);
    EXPECT_EQ(h->call(Method::Post, path, Role::Partner).status, 403);
    ASSERT_EQ(bind(pool.json()["id"]).status, 200);
    auto look = h->call(Method::Get, fmt::format("/api/v1/vouchers/{}", code), Role::Partner);
    ASSERT_EQ(look.status, 200);
    EXPECT_EQ(look.json()["voucher"]["offer_title"], "Eintritt");
    EXPECT_EQ(h->call(Method::Post, path, Role::Partner).status, 200);
    EXPECT_EQ(h->call(Method::Post, path, Role::Partner).status, 409);
}

TEST_P(ShopApi, StaffCancelAnIssuedVoucherAndThePointsComeBack) {
    award(anna, 100);
    auto id = create_offer({{"title", "Freibad"}, {"price_points", 30}});
    auto code = redeem(id, anna, "k").json()["voucher"]["code"].get<std::string>();
    auto cancel = h->call(Method::Post, fmt::format("/api/v1/vouchers/{}/cancel", code), Role::Editor);
    ASSERT_EQ(cancel.status, 200) << cancel.body;
    EXPECT_EQ(cancel.json()["voucher"]["status"], "cancelled");
    auto points = h->db().transaction(db::TxMode::Read, [&](db::Connection& c) {
        return ledger::balance(c, ledger::AccountRef::citizen(anna));
    });
    EXPECT_EQ(points.value(), 100);
    EXPECT_EQ(h->call(Method::Post, fmt::format("/api/v1/vouchers/{}/cancel", code), Role::Editor).status,
              409);
    EXPECT_EQ(h->call(Method::Post, fmt::format("/api/v1/vouchers/{}/redeem", code), Role::Admin).status,
              409);
}

INSTANTIATE_TEST_SUITE_P(Engines, ShopApi, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::shop
