// The Stadttaler's routes over the real dispatcher on both engines: the provider's signed,
// idempotent webhook; desk top-ups; a partner's payment request that the person accepts in the
// portal; the settlement report as CSV and XLSX and marking it paid.

#include "ledger/ledger_store.h"
#include "portal/test_support.h"
#include "shop/voucher_code.h"
#include "stadttaler/routes.h"
#include "stadttaler/wallet_store.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <regex>

namespace teilhabe::stadttaler {
namespace {

using http::Method;
using nlohmann::json;
using staff::Role;

class StadttalerRoutes : public ::testing::TestWithParam<db::Backend> {
protected:
    void SetUp() override {
        auto all = portal::testing::whole_portal();
        auto mine = routes({.max_balance_cents = 10'000, .webhook_secret = kSecret});
        all.insert(all.end(), mine.begin(), mine.end());
        h = portal::testing::portal_harness(GetParam(), std::move(all));
        ASSERT_TRUE(h);
        anna = h->add_citizen("anna@musterstadt.example", "Anna");
        auto w = h->db().transaction(db::TxMode::Write, [&](db::Connection& c) {
            return store::ensure_wallet(c, anna, 0);
        });
        ASSERT_TRUE(w);
        code = shop::format_code(w->code);
    }
    std::int64_t money() {
        return h->db()
            .transaction(db::TxMode::Read,
                         [&](db::Connection& c) { return store::balance(c, anna); })
            .value_or(-1);
    }
    web::testing::ApiResponse post_webhook(const json& body, const std::string& secret) {
        auto text = body.dump();
        http::Request req;
        req.method = Method::Post;
        req.path = req.target = "/api/v1/stadttaler/provider/payments";
        req.headers = {{"content-type", "application/json"},
                       {"x-signature", sign(secret, text)}};
        req.body = text;
        req.remote_addr = "203.0.113.9";
        return h->send(req);
    }
    static constexpr const char* kSecret = "whsec_test_secret";
    std::unique_ptr<web::testing::ApiHarness> h;
    std::int64_t anna{0};
    std::string code;
};

TEST_P(StadttalerRoutes, ProviderWebhookNeedsTheSignatureAndBooksEachPaymentOnce) {
    json body{{"payment_id", "pay_4711"}, {"wallet_code", code}, {"amount_cents", 2'500},
              {"status", "succeeded"}};
    auto forged = post_webhook(body, "another secret");
    EXPECT_EQ(forged.status, 401);
    EXPECT_EQ(forged.content_type, "application/problem+json");
    EXPECT_EQ(money(), 0);
    auto first = post_webhook(body, kSecret);
    ASSERT_EQ(first.status, 201) << first.body;
    EXPECT_EQ(first.json()["topup"]["balance_cents"], 2'500);
    auto again = post_webhook(body, kSecret);
    EXPECT_EQ(again.status, 200);
    EXPECT_TRUE(again.json()["replayed"].get<bool>());
    EXPECT_EQ(money(), 2'500);
    // The same payment id for another amount: a conflict, nothing booked.
    body["amount_cents"] = 9'000;
    EXPECT_EQ(post_webhook(body, kSecret).status, 409);
    // Beyond the wallet limit: refused with a problem, not booked.
    body["payment_id"] = "pay_4712";
    EXPECT_EQ(post_webhook(body, kSecret).status, 422);
    body["payment_id"] = "pay_4713";
    body["wallet_code"] = shop::format_code(shop::new_code());
    EXPECT_EQ(post_webhook(body, kSecret).status, 422);
    body["status"] = "failed";
    EXPECT_EQ(post_webhook(body, kSecret).status, 200);
    EXPECT_EQ(money(), 2'500);
    // Malformed JSON, correctly signed: 400.
    http::Request req;
    req.method = Method::Post;
    req.path = req.target = "/api/v1/stadttaler/provider/payments";
    req.headers = {{"content-type", "application/json"}, {"x-signature", sign(kSecret, "{")}};
    req.body = "{";
    EXPECT_EQ(h->send(req).status, 400);
}

TEST_P(StadttalerRoutes, WebhookIsOffWithoutASecret) {
    auto other = web::testing::ApiHarness::create(GetParam(), routes({}));
    ASSERT_TRUE(other);
    http::Request req;
    req.method = Method::Post;
    req.path = req.target = "/api/v1/stadttaler/provider/payments";
    req.headers = {{"content-type", "application/json"}, {"x-signature", sign("", "{}")}};
    req.body = "{}";
    EXPECT_EQ(other->send(req).status, 503);
}

TEST_P(StadttalerRoutes, DeskTopUpIsIdempotentAndLimited) {
    auto call = [&](std::int64_t cents, const std::string& key) {
        return h->call(Method::Post, "/api/v1/stadttaler/topups", Role::Department,
                       {{"citizen_id", anna}, {"amount_cents", cents}}, {{"idempotency-key", key}});
    };
    EXPECT_EQ(call(1'000, "a").status, 201);
    EXPECT_EQ(call(1'000, "a").status, 201);
    EXPECT_EQ(money(), 1'000);
    EXPECT_EQ(call(9'001, "b").status, 422);
    EXPECT_EQ(h->call(Method::Post, "/api/v1/stadttaler/topups", Role::Department,
                      {{"citizen_id", anna}, {"amount_cents", 5}}).status,
              400);
    EXPECT_EQ(h->call(Method::Post, "/api/v1/stadttaler/topups", Role::Editor,
                      {{"citizen_id", anna}, {"amount_cents", 5}}, {{"idempotency-key", "c"}}).status,
              403);
}

TEST_P(StadttalerRoutes, PartnerAsksThePersonAcceptsInThePortalAndTheTownSettles) {
    ASSERT_EQ(h->call(Method::Post, "/api/v1/stadttaler/topups", Role::Admin,
                      {{"citizen_id", anna}, {"amount_cents", 5'000}}, {{"idempotency-key", "t"}})
                  .status,
              201);
    auto partner = h->db().transaction(db::TxMode::Write, [&](db::Connection& c) {
        return c.query_one("INSERT INTO partners (name, created_at, updated_at) VALUES "
                           "('Buchladen', 0, 0) RETURNING id");
    });
    ASSERT_TRUE(partner);
    auto partner_id = partner->get_int(0);
    auto asked = h->call(Method::Post, "/api/v1/stadttaler/payment-requests", Role::Admin,
                         {{"wallet_code", code}, {"amount_cents", 1'990}, {"note", "Roman"},
                          {"partner_id", partner_id}});
    ASSERT_EQ(asked.status, 201) << asked.body;
    EXPECT_EQ(asked.json()["status"], "pending");
    auto id = asked.json()["id"].get<std::int64_t>();
    EXPECT_EQ(h->call(Method::Post, "/api/v1/stadttaler/payment-requests", Role::Admin,
                      {{"wallet_code", "nonsense"}, {"amount_cents", 1}, {"partner_id", partner_id}})
                  .status,
              422);

    portal::testing::add_account(*h, anna, "anna@musterstadt.example", "Sonnenblume 42");
    web::testing::Browser browser(*h);
    portal::testing::sign_in(browser, "anna@musterstadt.example", "Sonnenblume 42");
    auto wallet = browser.get("/portal/wallet");
    ASSERT_EQ(wallet.status, 200) << wallet.body.substr(0, 300);
    EXPECT_NE(wallet.body.find("Buchladen"), std::string::npos);
    EXPECT_NE(wallet.body.find(code), std::string::npos);
    EXPECT_NE(wallet.body.find("50,00"), std::string::npos);
    auto accepted = browser.post_form(fmt::format("/portal/wallet/requests/{}/accept", id), "");
    ASSERT_EQ(accepted.status, 303);
    EXPECT_EQ(std::string(accepted.raw.header("location").value_or("")), "/portal/wallet?done=accepted");
    EXPECT_EQ(money(), 3'010);
    auto status = h->call(Method::Get, fmt::format("/api/v1/stadttaler/payment-requests/{}", id), Role::Admin);
    EXPECT_EQ(status.json()["status"], "accepted");
    auto twice = browser.post_form(fmt::format("/portal/wallet/requests/{}/accept", id), "");
    EXPECT_EQ(std::string(twice.raw.header("location").value_or("")), "/portal/wallet?done=decided");

    auto day = [&](std::int64_t offset_days) {
        auto t = std::chrono::floor<std::chrono::days>(h->clock().now()) + std::chrono::days(offset_days);
        auto ymd = std::chrono::year_month_day{std::chrono::sys_days{t}};
        return fmt::format("{:04}-{:02}-{:02}", int(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day()));
    };
    auto query = fmt::format("partner_id={}&from={}&to={}", partner_id, day(-1), day(0));
    auto report = h->call(Method::Get, "/api/v1/stadttaler/settlements?" + query, Role::Department);
    ASSERT_EQ(report.status, 200) << report.body;
    EXPECT_EQ(report.json()["total_cents"], 1'990);
    auto csv = h->call(Method::Get, "/api/v1/stadttaler/settlements?format=csv&" + query, Role::Department);
    EXPECT_EQ(csv.content_type, "text/csv; charset=utf-8");
    EXPECT_NE(csv.body.find("19,90"), std::string::npos);
    auto xlsx = h->call(Method::Get, "/admin/stadttaler/settlement.xlsx?" + query, Role::Department);
    EXPECT_EQ(xlsx.status, 200);
    EXPECT_TRUE(xlsx.body.starts_with("PK"));
    auto paid = h->call(Method::Post, "/api/v1/stadttaler/settlements", Role::Department,
                        {{"partner_id", partner_id}, {"from", day(-1)}, {"to", day(0)}});
    ASSERT_EQ(paid.status, 201) << paid.body;
    EXPECT_FALSE(paid.json()["settled_at"].is_null());
    EXPECT_EQ(h->call(Method::Post, "/api/v1/stadttaler/settlements", Role::Department,
                      {{"partner_id", partner_id}, {"from", day(0)}, {"to", day(0)}}).status,
              409);
    EXPECT_EQ(h->call(Method::Post, "/api/v1/stadttaler/settlements", Role::Department,
                      {{"partner_id", partner_id}, {"from", "gestern"}, {"to", day(0)}}).status,
              422);
}

// A request the person did not confirm within the time (15 minutes by default) is expired: the
// portal no longer lists it and says so when it is confirmed late; the API reads "expired".
TEST_P(StadttalerRoutes, AnExpiredPaymentRequestCannotBeConfirmed) {
    ASSERT_EQ(h->call(Method::Post, "/api/v1/stadttaler/topups", Role::Admin,
                      {{"citizen_id", anna}, {"amount_cents", 5'000}}, {{"idempotency-key", "t"}})
                  .status,
              201);
    auto partner = h->db().transaction(db::TxMode::Write, [&](db::Connection& c) {
        return c.query_one("INSERT INTO partners (name, created_at, updated_at) VALUES "
                           "('Eisdiele', 0, 0) RETURNING id");
    });
    ASSERT_TRUE(partner);
    auto asked = h->call(Method::Post, "/api/v1/stadttaler/payment-requests", Role::Admin,
                         {{"wallet_code", code}, {"amount_cents", 350},
                          {"partner_id", partner->get_int(0)}});
    ASSERT_EQ(asked.status, 201) << asked.body;
    auto id = asked.json()["id"].get<std::int64_t>();
    EXPECT_FALSE(asked.json().value("expires_at", "").empty());

    portal::testing::add_account(*h, anna, "anna@musterstadt.example", "Sonnenblume 42");
    web::testing::Browser browser(*h);
    portal::testing::sign_in(browser, "anna@musterstadt.example", "Sonnenblume 42");
    EXPECT_NE(browser.get("/portal/wallet").body.find("Eisdiele"), std::string::npos);

    h->clock().advance(std::chrono::minutes(15));
    EXPECT_EQ(browser.get("/portal/wallet").body.find("Eisdiele"), std::string::npos);
    auto late = browser.post_form(fmt::format("/portal/wallet/requests/{}/accept", id), "");
    ASSERT_EQ(late.status, 303);
    EXPECT_EQ(std::string(late.raw.header("location").value_or("")), "/portal/wallet?done=expired");
    EXPECT_NE(browser.get("/portal/wallet?done=expired").body.find("abgelaufen"), std::string::npos);
    EXPECT_EQ(money(), 5'000);
    auto status = h->call(Method::Get, fmt::format("/api/v1/stadttaler/payment-requests/{}", id),
                          Role::Admin);
    EXPECT_EQ(status.json()["status"], "expired");
}

TEST_P(StadttalerRoutes, DeskPageBooksAndShowsAReceipt) {
    auto page = h->call(Method::Get, "/admin/stadttaler", Role::Department);
    ASSERT_EQ(page.status, 200);
    std::smatch m;
    ASSERT_TRUE(std::regex_search(page.body, m, std::regex("name=\"nonce\" value=\"([^\"]+)\"")));
    auto form = fmt::format("wallet_code={}&amount=20%2C00&nonce={}", code, m[1].str());
    auto r = h->call(Method::Post, "/admin/stadttaler/topups", Role::Department, json(form),
                     {{"content-type", "application/x-www-form-urlencoded"}});
    ASSERT_EQ(r.status, 303) << r.body.substr(0, 400);
    auto receipt = h->call(Method::Get, std::string(r.raw.header("location").value_or("")), Role::Department);
    ASSERT_EQ(receipt.status, 200);
    EXPECT_NE(receipt.body.find("20,00"), std::string::npos);
    EXPECT_EQ(money(), 2'000);
    auto bad = h->call(Method::Post, "/admin/stadttaler/topups", Role::Department,
                       json("wallet_code=ABCD&amount=abc&nonce=n2"),
                       {{"content-type", "application/x-www-form-urlencoded"}});
    EXPECT_EQ(bad.status, 422);
}

// Paying a balance back (before an erasure): the API is idempotent by its key and names the
// field of bad input; a repeat answers the same pay-out.
TEST_P(StadttalerRoutes, PayOutThroughTheApiIsIdempotentAndNeverBeyondTheBalance) {
    ASSERT_EQ(h->call(Method::Post, "/api/v1/stadttaler/topups", Role::Admin,
                      {{"citizen_id", anna}, {"amount_cents", 3'000}}, {{"idempotency-key", "t"}})
                  .status,
              201);
    auto pay = [&](json body, const std::string& key, Role as = Role::Department) {
        return h->call(Method::Post, "/api/v1/stadttaler/payouts", as, body,
                       key.empty() ? http::Headers{} : http::Headers{{"idempotency-key", key}});
    };
    EXPECT_EQ(pay({{"citizen_id", anna}}, "").status, 400);
    EXPECT_EQ(pay({{"citizen_id", anna}}, "p1", Role::Editor).status, 403);
    EXPECT_EQ(pay({{"citizen_id", anna}}, "p1", Role::Partner).status, 403);
    auto more = pay({{"citizen_id", anna}, {"amount_cents", 3'001}}, "p0");
    EXPECT_EQ(more.status, 422) << more.body;
    EXPECT_EQ(more.content_type, "application/problem+json");
    EXPECT_EQ(more.json()["errors"][0]["field"], "amount_cents");
    auto typed = pay({{"citizen_id", anna}, {"amount_cents", "10"}}, "p0");
    EXPECT_EQ(typed.status, 422);
    EXPECT_EQ(typed.json()["errors"][0]["field"], "amount_cents");
    auto nobody = pay({{"citizen_id", anna + 99}}, "p0");
    EXPECT_EQ(nobody.status, 422);
    EXPECT_EQ(nobody.json()["errors"][0]["field"], "citizen_id");
    auto part = pay({{"citizen_id", anna}, {"amount_cents", 1'000}}, "p1");
    ASSERT_EQ(part.status, 201) << part.body;
    EXPECT_EQ(part.json()["payout"]["balance_cents"], 2'000);
    auto again = pay({{"citizen_id", anna}, {"amount_cents", 1'000}}, "p1");
    EXPECT_EQ(again.status, 200);
    EXPECT_TRUE(again.json()["replayed"].get<bool>());
    EXPECT_EQ(again.json()["payout"]["id"], part.json()["payout"]["id"]);
    EXPECT_EQ(pay({{"citizen_id", anna}, {"amount_cents", 500}}, "p1").status, 409);
    auto rest = pay({{"citizen_id", anna}}, "p2");
    ASSERT_EQ(rest.status, 201) << rest.body;
    EXPECT_EQ(rest.json()["payout"]["amount_cents"], 2'000);
    EXPECT_EQ(money(), 0);
    auto nothing = pay({{"citizen_id", anna}}, "p3");
    EXPECT_EQ(nothing.status, 422);
    EXPECT_EQ(nothing.json()["errors"][0]["field"], "amount_cents");
}

// The desk's pay-out form (opened for the person from the erasure's confirmation) books the
// whole balance once and shows a receipt to sign; the portal's "delete my account" tells the
// person to have the money paid out first and refuses (409) until then.
TEST_P(StadttalerRoutes, DeskPayOutAndThePortalsDeleteWaitsForIt) {
    ASSERT_EQ(h->call(Method::Post, "/api/v1/stadttaler/topups", Role::Admin,
                      {{"citizen_id", anna}, {"amount_cents", 4'250}}, {{"idempotency-key", "t"}})
                  .status,
              201);
    portal::testing::add_account(*h, anna, "anna@musterstadt.example", "Sonnenblume 42");
    web::testing::Browser browser(*h);
    portal::testing::sign_in(browser, "anna@musterstadt.example", "Sonnenblume 42");
    auto ask = browser.get("/portal/privacy/delete");
    ASSERT_EQ(ask.status, 200);
    EXPECT_NE(ask.body.find("noch 42,50 € Stadttaler-Guthaben"), std::string::npos) << ask.body;
    EXPECT_EQ(ask.body.find("name=\"password\""), std::string::npos) << "no button while money is left";
    auto refused = browser.post_form("/portal/privacy/delete", "password=Sonnenblume+42");
    EXPECT_EQ(refused.status, 409);
    EXPECT_NE(refused.body.find("Bürgerbüro auszahlen"), std::string::npos);
    EXPECT_EQ(money(), 4'250);

    auto form_page = h->call(Method::Get, fmt::format("/admin/stadttaler?payout_for={}", anna),
                             Role::Department);
    ASSERT_EQ(form_page.status, 200);
    EXPECT_NE(form_page.body.find("42,50"), std::string::npos);
    EXPECT_NE(form_page.body.find(fmt::format("name=\"citizen_id\" value=\"{}\"", anna)),
              std::string::npos);
    std::smatch m;
    ASSERT_TRUE(std::regex_search(form_page.body, m, std::regex("name=\"nonce\" value=\"([^\"]+)\"")));
    auto form = fmt::format("citizen_id={}&payout_amount=&nonce={}", anna, m[1].str());
    auto post = [&](const std::string& body) {
        return h->call(Method::Post, "/admin/stadttaler/payouts", Role::Department, json(body),
                       {{"content-type", "application/x-www-form-urlencoded"}});
    };
    auto bad = post(fmt::format("citizen_id={}&payout_amount=viel&nonce=x", anna));
    EXPECT_EQ(bad.status, 422);
    EXPECT_NE(bad.body.find("payout_amount-error"), std::string::npos);
    auto wrong_code = post("wallet_code=ABCD&payout_amount=1&nonce=y");
    EXPECT_EQ(wrong_code.status, 422);
    EXPECT_NE(wrong_code.body.find("payout_wallet_code-error"), std::string::npos);
    auto r = post(form);
    ASSERT_EQ(r.status, 303) << r.body.substr(0, 400);
    auto twice = post(form); // a second click: the same receipt, booked once
    ASSERT_EQ(twice.status, 303);
    EXPECT_EQ(twice.raw.header("location"), r.raw.header("location"));
    EXPECT_EQ(money(), 0);
    auto receipt = h->call(Method::Get, std::string(r.raw.header("location").value_or("")),
                           Role::Department);
    ASSERT_EQ(receipt.status, 200);
    EXPECT_NE(receipt.body.find("Quittung Stadttaler-Auszahlung"), std::string::npos);
    EXPECT_NE(receipt.body.find("42,50"), std::string::npos);
    EXPECT_NE(receipt.body.find("Unterschrift"), std::string::npos);
    EXPECT_EQ(h->call(Method::Get, "/admin/stadttaler/payouts/1", Role::Partner).status, 403);
    auto empty = post(fmt::format("wallet_code={}&payout_amount=&nonce=z", code));
    EXPECT_EQ(empty.status, 422);
    EXPECT_NE(empty.body.find("kein Guthaben"), std::string::npos);

    // Paid out: the portal offers the deletion again, and it goes through.
    auto now = browser.get("/portal/privacy/delete");
    EXPECT_EQ(now.body.find("Stadttaler-Guthaben"), std::string::npos);
    auto deleted = browser.post_form("/portal/privacy/delete", "password=Sonnenblume+42");
    EXPECT_EQ(deleted.status, 303) << deleted.body.substr(0, 300);
    auto gone = h->db().transaction(db::TxMode::Read, [&](db::Connection& c) {
        return c.query_one("SELECT COUNT(*) FROM citizens WHERE id = ?", {anna});
    });
    ASSERT_TRUE(gone);
    EXPECT_EQ(gone->get_int(0), 0);
}

INSTANTIATE_TEST_SUITE_P(Engines, StadttalerRoutes, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::stadttaler
