// The shop's pages over the real dispatcher: a signed-in citizen sees the offers they can
// afford, redeems after confirming, sees the voucher with its QR code; the partner's screen
// checks and redeems it once; staff create offers (with a picture) and cancel vouchers.

#include "ledger/ledger_store.h"
#include "portal/test_support.h"
#include "shop/routes.h"
#include "shop/voucher_code.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <regex>

namespace teilhabe::shop {
namespace {

using http::Method;
using staff::Role;

class ShopPages : public ::testing::TestWithParam<db::Backend> {
protected:
    void SetUp() override {
        auto all = portal::testing::whole_portal();
        auto mine = routes();
        all.insert(all.end(), mine.begin(), mine.end());
        h = portal::testing::portal_harness(GetParam(), std::move(all));
        ASSERT_TRUE(h);
        anna = h->add_citizen("anna@musterstadt.example", "Anna");
        portal::testing::add_account(*h, anna, "anna@musterstadt.example", "Sonnenblume 42");
        browser = std::make_unique<web::testing::Browser>(*h);
        portal::testing::sign_in(*browser, "anna@musterstadt.example", "Sonnenblume 42");
        auto r = h->db().transaction(db::TxMode::Write, [&](db::Connection& c) {
            return ledger::transfer(c,
                                    {.idempotency_key = "award",
                                     .from = ledger::AccountRef::town(),
                                     .to = ledger::AccountRef::citizen(anna),
                                     .amount = 80,
                                     .kind = "award",
                                     .reason = "Newsletter",
                                     .object = "test",
                                     .actor = "system"},
                                    h->clock().now());
        });
        ASSERT_TRUE(r) << r.error().message;
    }
    std::int64_t offer(const std::string& title, int price) {
        auto r = h->call(Method::Post, "/api/v1/offers", Role::Editor,
                         {{"title", title}, {"price_points", price}});
        EXPECT_EQ(r.status, 201) << r.body;
        return r.json().value("id", std::int64_t{0});
    }
    static bool has(const web::testing::ApiResponse& r, const std::string& s) {
        return r.body.find(s) != std::string::npos;
    }
    std::unique_ptr<web::testing::ApiHarness> h;
    std::unique_ptr<web::testing::Browser> browser;
    std::int64_t anna{0};
};

TEST_P(ShopPages, CitizenRedeemsAnAffordableOfferAndGetsAVoucherWithQrCode) {
    auto pool = offer("Freibad-Eintritt", 50);
    offer("Theaterabend", 500);
    auto shop = browser->get("/portal/shop");
    ASSERT_EQ(shop.status, 200) << shop.body.substr(0, 400);
    EXPECT_TRUE(has(shop, "Freibad-Eintritt"));
    EXPECT_TRUE(has(shop, "Mit Ihren Punkten einlösbar"));
    EXPECT_TRUE(has(shop, "Dafür reichen Ihre Punkte noch nicht."));
    auto confirm = browser->get(fmt::format("/portal/shop/{}", pool));
    ASSERT_EQ(confirm.status, 200);
    std::smatch m;
    ASSERT_TRUE(std::regex_search(confirm.body, m, std::regex("name=\"nonce\" value=\"([^\"]+)\"")));
    auto nonce = m[1].str();
    auto done = browser->post_form(fmt::format("/portal/shop/{}", pool), "nonce=" + nonce);
    ASSERT_EQ(done.status, 303) << done.body.substr(0, 400);
    auto where = std::string(done.raw.header("location").value_or(""));
    EXPECT_TRUE(where.starts_with("/portal/vouchers/"));
    // The same form again (a double click): one voucher, points taken once.
    browser->get(fmt::format("/portal/shop/{}", pool));
    auto twice = browser->post_form(fmt::format("/portal/shop/{}", pool), "nonce=" + nonce);
    EXPECT_EQ(std::string(twice.raw.header("location").value_or("")), where);
    auto voucher = browser->get(where);
    ASSERT_EQ(voucher.status, 200);
    EXPECT_TRUE(has(voucher, "<svg"));
    EXPECT_TRUE(has(voucher, "Ihr Gutschein ist da."));
    auto points = h->db().transaction(db::TxMode::Read, [&](db::Connection& c) {
        return ledger::balance(c, ledger::AccountRef::citizen(anna));
    });
    EXPECT_EQ(points.value(), 30);
    auto list = browser->get("/portal/vouchers");
    EXPECT_TRUE(has(list, "Freibad-Eintritt"));
    EXPECT_EQ(browser->get(where + "/print").status, 200);
    // Somebody else's voucher (or none) is not found.
    EXPECT_EQ(browser->get("/portal/vouchers/999").status, 404);
    // Without the form's token: refused.
    EXPECT_EQ(browser->post_raw(fmt::format("/portal/shop/{}", pool), "nonce=abc").status, 403);
}

TEST_P(ShopPages, TooFewPointsIsAMessageNotAnError) {
    auto dear = offer("Theaterabend", 500);
    auto page = browser->get(fmt::format("/portal/shop/{}", dear));
    ASSERT_EQ(page.status, 200);
    EXPECT_FALSE(has(page, "name=\"nonce\""));
    auto forced = browser->post_form(fmt::format("/portal/shop/{}", dear), "nonce=x1");
    EXPECT_EQ(forced.status, 422);
    EXPECT_TRUE(has(forced, "Das Einlösen ging nicht"));
}

TEST_P(ShopPages, AdminCreatesAnOfferWithAPictureAndRefusesOtherFiles) {
    std::string boundary = "----teilhabe";
    auto multipart = [&](const std::string& csrf, const std::string& title, const std::string& file) {
        std::string b;
        auto part = [&](const std::string& name, const std::string& value) {
            b += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
        };
        part("csrf", csrf);
        part("title", title);
        part("price_points", "25");
        part("stock", "");
        part("active", "yes");
        b += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a\"\r\n"
             "Content-Type: image/png\r\n\r\n" + file + "\r\n--" + boundary + "--\r\n";
        return b;
    };
    http::Request req;
    req.method = Method::Post;
    req.path = req.target = "/admin/offers/new";
    req.headers.push_back({"authorization", "Bearer " + h->key(Role::Editor)});
    req.headers.push_back({"content-type", "multipart/form-data; boundary=" + boundary});
    req.body = multipart("", "Stadtbücherei-Jahreskarte", std::string("\x89PNG\r\n\x1a\n", 8) + "data");
    auto r = h->send(req);
    ASSERT_EQ(r.status, 303) << r.body.substr(0, 500);
    auto list = h->call(Method::Get, "/api/v1/offers", Role::Editor);
    ASSERT_EQ(list.json()["items"].size(), 1u);
    EXPECT_TRUE(list.json()["items"][0]["has_image"].get<bool>());
    auto id = list.json()["items"][0]["id"].get<std::int64_t>();
    auto img = h->call(Method::Get, fmt::format("/admin/offers/{}/image", id), Role::Editor);
    EXPECT_EQ(img.status, 200);
    EXPECT_EQ(img.content_type, "image/png");
    req.body = multipart("", "SVG", "<svg><script>alert(1)</script></svg>");
    auto bad = h->send(req);
    EXPECT_EQ(bad.status, 422);
    EXPECT_TRUE(has(bad, "PNG"));
    auto page = h->call(Method::Get, "/admin/offers", Role::Editor);
    EXPECT_EQ(page.status, 200);
    EXPECT_TRUE(has(page, "Stadtbücherei-Jahreskarte"));
}

TEST_P(ShopPages, PartnerScreenChecksAndRedeemsOnce) {
    auto pool = offer("Freibad-Eintritt", 50);
    auto r = h->call(Method::Post, fmt::format("/api/v1/offers/{}/redeem", pool), Role::Editor,
                     {{"citizen_id", anna}}, {{"idempotency-key", "k"}});
    ASSERT_EQ(r.status, 201);
    auto code = r.json()["voucher"]["code"].get<std::string>();
    auto look = h->call(Method::Get, "/partner/vouchers?code=" + code, Role::Admin);
    ASSERT_EQ(look.status, 200);
    EXPECT_TRUE(has(look, "Freibad-Eintritt"));
    EXPECT_TRUE(has(look, "Jetzt einlösen"));
    auto typo = code;
    typo[0] = typo[0] == 'A' ? 'B' : 'A';
    EXPECT_EQ(h->call(Method::Get, "/partner/vouchers?code=" + typo, Role::Admin).status, 422);
    http::Request req;
    req.method = Method::Post;
    req.path = req.target = "/partner/vouchers/redeem";
    req.headers.push_back({"authorization", "Bearer " + h->key(Role::Admin)});
    req.headers.push_back({"content-type", "application/x-www-form-urlencoded"});
    req.body = "code=" + code;
    auto first = h->send(req);
    EXPECT_EQ(first.status, 200);
    EXPECT_TRUE(has(first, "Eingelöst."));
    auto second = h->send(req);
    EXPECT_EQ(second.status, 409);
    EXPECT_TRUE(has(second, "bereits eingelöst"));
}

// After the offer's validity has ended the voucher is expired everywhere: 410 problem+json with
// a readable detail from the API, a message on the partner's screen (no redeem button), and
// "abgelaufen" in the person's "my vouchers".
TEST_P(ShopPages, AnExpiredVoucherIsRefusedEverywhereAndShownAsExpired) {
    auto until = h->clock().now_ms() + 2 * 86'400'000;
    auto r = h->call(Method::Post, "/api/v1/offers", Role::Editor,
                     {{"title", "Sommerkino"}, {"price_points", 20}, {"valid_until", until}});
    ASSERT_EQ(r.status, 201) << r.body;
    auto id = r.json()["id"].get<std::int64_t>();
    auto v = h->call(Method::Post, fmt::format("/api/v1/offers/{}/redeem", id), Role::Editor,
                     {{"citizen_id", anna}}, {{"idempotency-key", "k"}});
    ASSERT_EQ(v.status, 201) << v.body;
    auto code = v.json()["voucher"]["code"].get<std::string>();
    EXPECT_EQ(v.json()["voucher"]["status"], "issued");

    h->clock().advance(std::chrono::hours(48));
    auto api = h->call(Method::Post, fmt::format("/api/v1/vouchers/{}/redeem", code), Role::Admin);
    EXPECT_EQ(api.status, 410) << api.body;
    EXPECT_EQ(api.content_type, "application/problem+json");
    EXPECT_NE(api.json().value("detail", "").find("expired"), std::string::npos) << api.body;
    auto look = h->call(Method::Get, fmt::format("/api/v1/vouchers/{}", code), Role::Admin);
    EXPECT_EQ(look.json()["voucher"]["status"], "expired");

    auto screen = h->call(Method::Get, "/partner/vouchers?code=" + code, Role::Admin);
    ASSERT_EQ(screen.status, 200);
    EXPECT_TRUE(has(screen, "abgelaufen"));
    EXPECT_FALSE(has(screen, "Jetzt einlösen"));
    http::Request req;
    req.method = Method::Post;
    req.path = req.target = "/partner/vouchers/redeem";
    req.headers.push_back({"authorization", "Bearer " + h->key(Role::Admin)});
    req.headers.push_back({"content-type", "application/x-www-form-urlencoded"});
    req.body = "code=" + code;
    auto at_till = h->send(req);
    EXPECT_EQ(at_till.status, 410);
    EXPECT_TRUE(has(at_till, "Dieser Gutschein ist abgelaufen"));

    // Two days on, the portal session has timed out: sign in again.
    portal::testing::sign_in(*browser, "anna@musterstadt.example", "Sonnenblume 42");
    auto mine = browser->get("/portal/vouchers");
    ASSERT_EQ(mine.status, 200);
    EXPECT_TRUE(has(mine, "Sommerkino"));
    EXPECT_TRUE(has(mine, "abgelaufen"));
    EXPECT_FALSE(has(mine, "gültig<"));
}

INSTANTIATE_TEST_SUITE_P(Engines, ShopPages, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::shop
