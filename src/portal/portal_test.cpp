// The portal core: sessions of citizens (time-outs, log-out everywhere), the dispatcher keeping
// citizens and staff apart, the log-in page, on both engines.

#include "portal/me_routes.h"
#include "portal/session_service.h"
#include "portal/test_support.h"
#include "web/cookies.h"
#include "web/respond.h"

#include <gtest/gtest.h>

namespace teilhabe::portal {
namespace {

using http::Method;
using staff::Permission;
using web::Surface;
using namespace std::chrono_literals;

// Beside the portal's routes: a staff screen, a staff API and a public page, to see that a
// citizen's session opens none of the staff's.
std::vector<web::RouteDef> test_routes() {
    auto out = routes();
    auto mine = me_routes(); // the home page
    out.insert(out.end(), mine.begin(), mine.end());
    out.push_back({Method::Get, "/admin/staff-only", Permission::AnyStaff, Surface::Page,
                   [](web::RouteContext&) { return http::Response::text(200, "staff"); }});
    out.push_back({Method::Get, "/api/v1/staff-only", Permission::AnyStaff, Surface::Api,
                   [](web::RouteContext&) { return http::Response::text(200, "staff"); }});
    out.push_back({Method::Get, "/public", Permission::Public, Surface::Page,
                   [](web::RouteContext& ctx) {
                       return http::Response::text(200, ctx.who.actor());
                   }});
    return out;
}

class PortalTest : public ::testing::TestWithParam<db::Backend> {
protected:
    void SetUp() override {
        h = testing::portal_harness(GetParam(), test_routes());
        ASSERT_TRUE(h);
        anna = h->add_citizen("anna@musterstadt.example", "Anna");
        account = testing::add_account(*h, anna, "anna@musterstadt.example", "Sonnenblume 42");
    }
    std::int64_t count(const std::string& sql, db::Params params = {}) {
        return h->db().acquire().value()->query_one(sql, params).value().get_int(0);
    }
    std::string portal_cookie() const { return web::portal_session_cookie_name({}); }

    std::unique_ptr<web::testing::ApiHarness> h;
    std::int64_t anna{0}, account{0};
};

TEST_P(PortalTest, SessionsEndWhenIdleOrTooOldAndOnLogOutEverywhere) {
    SessionService sessions(h->db(), h->clock());
    auto s = sessions.login("Anna@Musterstadt.example", "Sonnenblume 42", {"192.0.2.1", "UA"});
    ASSERT_TRUE(s.has_value()) << s.error().message;
    EXPECT_EQ(s->citizen_id, anna);
    // Only the hash of the token is stored.
    EXPECT_EQ(count("SELECT COUNT(*) FROM citizen_sessions WHERE token_hash = ?", {s->token}), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM citizen_sessions WHERE token_hash = ?",
                    {security::sha256_hex(s->token)}),
              1);
    // In use every 20 minutes: alive, until the absolute time-out.
    for (int i = 0; i < 35; ++i) {
        h->clock().advance(20min);
        auto r = sessions.resolve(s->token);
        ASSERT_TRUE(r.has_value());
        if (h->clock().now_ms() < s->expires_at)
            EXPECT_TRUE(r->has_value()) << "after " << (i + 1) * 20 << " minutes";
        else
            EXPECT_FALSE(r->has_value()) << "after " << (i + 1) * 20 << " minutes";
    }
    // Idle for 31 minutes: gone.
    auto idle = sessions.login("anna@musterstadt.example", "Sonnenblume 42", {});
    ASSERT_TRUE(idle.has_value());
    h->clock().advance(31min);
    EXPECT_FALSE(sessions.resolve(idle->token)->has_value());
    // Two browsers, log-out everywhere ends both.
    auto a = sessions.login("anna@musterstadt.example", "Sonnenblume 42", {}).value();
    auto b = sessions.login("anna@musterstadt.example", "Sonnenblume 42", {}).value();
    EXPECT_NE(a.token, b.token);
    EXPECT_GE(sessions.logout_everywhere(account).value(), 2);
    EXPECT_FALSE(sessions.resolve(a.token)->has_value());
    EXPECT_FALSE(sessions.resolve(b.token)->has_value());
    // Housekeeping removes what has run out and keeps a fresh session.
    auto stale = sessions.login("anna@musterstadt.example", "Sonnenblume 42", {}).value();
    h->clock().advance(31min);
    EXPECT_EQ(count("SELECT COUNT(*) FROM citizen_sessions"), 1);
    auto fresh = sessions.login("anna@musterstadt.example", "Sonnenblume 42", {}).value();
    ASSERT_TRUE(h->db().transaction(db::TxMode::Write, [&](db::Connection& c) {
        auto now = h->clock().now_ms();
        return store::delete_expired_sessions(c, now - sessions.policy().idle_timeout.count(), now);
    }));
    EXPECT_EQ(count("SELECT COUNT(*) FROM citizen_sessions"), 1);
    EXPECT_TRUE(sessions.resolve(fresh.token)->has_value());
}

TEST_P(PortalTest, WrongPasswordUnknownAddressAndUnverifiedAccountGetTheSameAnswer) {
    SessionService sessions(h->db(), h->clock());
    auto bob = h->add_citizen("bob@musterstadt.example", "Bob");
    testing::add_account(*h, bob, "bob@musterstadt.example", "Pusteblume 17");
    ASSERT_TRUE(h->db().acquire().value()->query(
        "UPDATE citizen_accounts SET verified_at = NULL WHERE citizen_id = ?", {bob}));
    for (auto [email, password] : {std::pair{"anna@musterstadt.example", "falsch"},
                                   std::pair{"nobody@musterstadt.example", "Sonnenblume 42"},
                                   std::pair{"bob@musterstadt.example", "Pusteblume 17"}}) {
        auto r = sessions.login(email, password, {});
        ASSERT_FALSE(r.has_value()) << email;
        EXPECT_EQ(r.error().code, ErrorCode::Unauthenticated) << email;
        EXPECT_EQ(r.error().message, "The e-mail address or the password is wrong.") << email;
    }
    EXPECT_EQ(count("SELECT COUNT(*) FROM citizen_sessions"), 0);
}

TEST_P(PortalTest, PortalPagesNeedACitizenAndTheLogInLeadsBackToThem) {
    web::testing::Browser browser(*h);
    auto away = browser.get("/portal");
    EXPECT_EQ(away.status, 303);
    EXPECT_EQ(away.raw.header("location").value_or(""), "/portal/login?next=%2Fportal");

    auto form = browser.get("/portal/login?next=/portal");
    EXPECT_EQ(form.status, 200);
    EXPECT_NE(form.body.find("Anmeldung im Bürgerportal"), std::string::npos);
    auto wrong = browser.post_form("/portal/login",
                                   "email=anna%40musterstadt.example&password=falsch&next=%2Fportal");
    EXPECT_EQ(wrong.status, 401);
    EXPECT_NE(wrong.body.find("E-Mail-Adresse oder Passwort ist falsch."), std::string::npos);
    EXPECT_NE(wrong.body.find(R"(value="anna@musterstadt.example")"), std::string::npos);

    // Without the form's token the log-in is refused.
    web::testing::Browser forger(*h);
    EXPECT_EQ(forger.post_raw("/portal/login",
                              "email=anna%40musterstadt.example&password=Sonnenblume+42")
                  .status,
              403);

    auto in = browser.post_form(
        "/portal/login", "email=anna%40musterstadt.example&password=Sonnenblume+42&next=%2Fportal");
    ASSERT_EQ(in.status, 303) << in.body.substr(0, 400);
    EXPECT_EQ(in.raw.header("location").value_or(""), "/portal");
    EXPECT_FALSE(browser.cookie(portal_cookie()).empty());

    auto home = browser.get("/portal");
    ASSERT_EQ(home.status, 200) << home.body.substr(0, 400);
    EXPECT_NE(home.body.find("Willkommen im Bürgerportal"), std::string::npos);
    EXPECT_NE(home.body.find("anna@musterstadt.example"), std::string::npos);
    EXPECT_NE(home.body.find(R"(href="/portal/profile")"), std::string::npos);
    EXPECT_NE(home.body.find(R"(action="/portal/logout")"), std::string::npos);
    // No admin navigation for a citizen.
    EXPECT_EQ(home.body.find(R"(href="/admin/citizens")"), std::string::npos);
    // A public page knows who it is (for "signed in as"), as a citizen and not as staff.
    EXPECT_EQ(browser.get("/public").body, "citizen:" + std::to_string(anna));
}

TEST_P(PortalTest, ACitizensSessionOpensNoStaffScreenAndNoApi) {
    web::testing::Browser browser(*h);
    testing::sign_in(browser, "anna@musterstadt.example", "Sonnenblume 42");
    auto screen = browser.get("/admin/staff-only");
    EXPECT_EQ(screen.status, 303);
    EXPECT_EQ(screen.raw.header("location").value_or("").rfind("/admin/login", 0), 0u);
    EXPECT_EQ(browser.get("/api/v1/staff-only").status, 401);
    // And a staff key opens no portal page.
    auto staff = h->call(Method::Get, "/portal", staff::Role::Admin);
    EXPECT_EQ(staff.status, 303);
}

TEST_P(PortalTest, LogOutNeedsTheTokenAndEndsTheSession) {
    web::testing::Browser browser(*h);
    testing::sign_in(browser, "anna@musterstadt.example", "Sonnenblume 42");
    ASSERT_EQ(browser.get("/portal").status, 200);
    EXPECT_EQ(browser.post_raw("/portal/logout", "").status, 403);
    EXPECT_EQ(count("SELECT COUNT(*) FROM citizen_sessions"), 1);
    auto out = browser.post_form("/portal/logout", "");
    EXPECT_EQ(out.status, 303);
    EXPECT_EQ(out.raw.header("location").value_or(""), "/portal/login");
    EXPECT_EQ(count("SELECT COUNT(*) FROM citizen_sessions"), 0);
    EXPECT_TRUE(browser.cookie(portal_cookie()).empty());
    EXPECT_EQ(browser.get("/portal").status, 303);
}

TEST_P(PortalTest, TheLogInFollowsOnlyPortalPathsOfThisSite) {
    for (std::string next : {"%2F%2Fevil.example%2Fportal", "https%3A%2F%2Fevil.example",
                             "%2Fadmin%2Fstaff", "%2Fportal%2Flogin"}) {
        web::testing::Browser browser(*h);
        browser.get("/portal/login");
        auto in = browser.post_form(
            "/portal/login",
            "email=anna%40musterstadt.example&password=Sonnenblume+42&next=" + next);
        ASSERT_EQ(in.status, 303);
        EXPECT_EQ(in.raw.header("location").value_or(""), "/portal") << next;
    }
}

INSTANTIATE_TEST_SUITE_P(Backends, PortalTest, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::portal
