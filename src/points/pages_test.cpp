// The points pages through the real dispatcher: the portal's /portal/points for a signed-in
// citizen (no JavaScript, German by default) and the admin screen with award and correction.

#include "ledger/ledger_store.h"
#include "points/points_store.h"
#include "points/routes.h"
#include "portal/test_support.h"

#include <gtest/gtest.h>

namespace teilhabe::points {
namespace {

using http::Method;
using staff::Role;

class PointsPagesTest : public ::testing::TestWithParam<db::Backend> {
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
    }
    void TearDown() override {
        if (h)
            ledger::check_or_abort(*h->db().acquire().value());
    }
    void give(std::int64_t n, const std::string& key) {
        ASSERT_TRUE(h->db().transaction(db::TxMode::Write, [&](db::Connection& c) {
            return manual_award(c, anna, n, "Putzaktion im Stadtpark", key, "staff:1", h->clock().now());
        }));
    }
    web::testing::ApiResponse staff_form(const std::string& path, const std::string& form) {
        http::Request req;
        req.method = Method::Post;
        req.path = path;
        req.target = path;
        req.headers = {{"authorization", "Bearer " + h->key(Role::Editor)},
                       {"content-type", "application/x-www-form-urlencoded"},
                       {"accept", "text/html"}};
        req.body = form;
        req.remote_addr = "192.0.2.10";
        return h->send(std::move(req));
    }
    static bool has(const web::testing::ApiResponse& r, const std::string& s) {
        return r.body.find(s) != std::string::npos;
    }
    std::unique_ptr<web::testing::ApiHarness> h;
    std::unique_ptr<web::testing::Browser> browser;
    std::int64_t anna{0};
};

TEST_P(PointsPagesTest, PortalShowsBalanceAndHistory) {
    auto empty = browser->get("/portal/points");
    ASSERT_EQ(empty.status, 200) << empty.body.substr(0, 300);
    EXPECT_TRUE(has(empty, "Meine Punkte"));
    EXPECT_TRUE(has(empty, "Noch keine Buchungen"));
    give(30, "a");
    give(12, "b");
    auto page = browser->get("/portal/points");
    EXPECT_TRUE(has(page, "<strong>42</strong>")) << page.body;
    EXPECT_TRUE(has(page, "Putzaktion im Stadtpark"));
    EXPECT_TRUE(has(page, "+30"));
    // Plain links and a table: nothing on the page needs JavaScript.
    EXPECT_FALSE(has(page, "hx-")) << "works without JavaScript";
    EXPECT_TRUE(has(page, "class=\"table-scroll\""));
    auto home = browser->get("/portal");
    EXPECT_TRUE(has(home, "id=\"points-balance\">42<")) << home.body;
    // Not for someone who is not signed in to the portal.
    web::testing::Browser stranger(*h);
    EXPECT_EQ(stranger.get("/portal/points").status, 303);
}

TEST_P(PointsPagesTest, AdminAwardsAndCorrectsWithErrorsBesideTheForm) {
    auto page = h->call(Method::Get, "/admin/points?citizen=anna%40musterstadt.example", Role::Editor);
    ASSERT_EQ(page.status, 200) << page.body.substr(0, 500);
    EXPECT_TRUE(has(page, "Newsletter bestätigt")); // the default rules
    EXPECT_TRUE(has(page, "id=\"person-points\">0<"));
    auto bad = staff_form("/admin/points/awards",
                          "citizen_id=" + std::to_string(anna) + "&points=5&reason=&key=k1");
    ASSERT_EQ(bad.status, 422);
    EXPECT_TRUE(has(bad, "id=\"award-error\"")) << bad.body;
    auto ok = staff_form("/admin/points/awards",
                         "citizen_id=" + std::to_string(anna) + "&points=5&reason=Kulanz&key=k1");
    ASSERT_EQ(ok.status, 303) << ok.body;
    // The same form sent twice awards once.
    ASSERT_EQ(staff_form("/admin/points/awards",
                         "citizen_id=" + std::to_string(anna) + "&points=5&reason=Kulanz&key=k1")
                  .status,
              303);
    EXPECT_EQ(ledger::balance(*h->db().acquire().value(), ledger::AccountRef::citizen(anna)).value(), 5);
    auto t = ledger::find_by_key(*h->db().acquire().value(), "points:manual:k1").value().value();
    auto fixed = staff_form("/admin/points/corrections",
                            "citizen_id=" + std::to_string(anna) + "&transfer_id=" +
                                std::to_string(t.id) + "&reason=Irrtum&key=c1");
    ASSERT_EQ(fixed.status, 303) << fixed.body;
    EXPECT_EQ(ledger::balance(*h->db().acquire().value(), ledger::AccountRef::citizen(anna)).value(), 0);
    auto rule = staff_form("/admin/points/rules", "name=Bibliothek&activity_type=Library+Loan&points=2");
    ASSERT_EQ(rule.status, 422);
    EXPECT_TRUE(has(rule, "id=\"activity_type-error\"")) << rule.body;
    EXPECT_TRUE(has(rule, "value=\"Library Loan\"")) << "the input is kept";
    rule = staff_form("/admin/points/rules",
                      "name=Bibliothek&activity_type=library.loan&points=2&cap_per_day=3&enabled=yes");
    ASSERT_EQ(rule.status, 303) << rule.body;
    EXPECT_EQ(staff_form("/admin/points/settings", "expiry_days=-1").status, 422);
    EXPECT_EQ(staff_form("/admin/points/settings", "expiry_days=365").status, 303);
    EXPECT_EQ(h->call(Method::Get, "/admin/points", Role::Department).status, 403);
}

INSTANTIATE_TEST_SUITE_P(Backends, PointsPagesTest, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::points
