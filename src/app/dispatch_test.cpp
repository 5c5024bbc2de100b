// The whole request path in one process: routes of every area, the dispatcher's
// authentication, permission and CSRF checks, against a real SQLite file and PostgreSQL.

#include "admin/routes.h"
#include "app/system_routes.h"
#include "db/test_support.h"
#include "security/crypto.h"
#include "web/dispatcher.h"
#include "web/respond.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <regex>

namespace teilhabe::app {
namespace {

class DispatchTest : public ::testing::TestWithParam<db::Backend> {
protected:
    void SetUp() override {
        ASSERT_TRUE(security::init().has_value());
        auto t = db::testing::make_database(GetParam());
        ASSERT_TRUE(t.has_value()) << t.error().message;
        m_t = std::move(*t);
        m_auth = std::make_unique<staff::AuthService>(*m_t->db, m_clock, "secret");
        ASSERT_TRUE(m_auth->create_user("admin@test.example", "Rathaus-Garten-2026",
                                        staff::Role::Admin).has_value());
        ASSERT_TRUE(m_auth->create_user("editor@test.example", "Rathaus-Garten-2027",
                                        staff::Role::Editor).has_value());
        m_ctx = std::make_unique<web::AppContext>(web::AppContext{
            *m_t->db, m_clock, web::WebSettings{}, *m_auth, m_metrics, "secret", nullptr});
        m_dispatcher = std::make_unique<web::Dispatcher>(*m_ctx, all_routes());
    }

    http::Response call(http::Method m, std::string path, http::Headers headers = {},
                        std::string body = {}, std::string remote = "192.0.2.10") {
        http::Request req;
        req.method = m;
        auto q = path.find('?');
        req.path = path.substr(0, q);
        req.query = q == std::string::npos ? "" : path.substr(q + 1);
        req.target = path;
        req.headers = std::move(headers);
        req.body = std::move(body);
        req.remote_addr = remote;
        return m_dispatcher->handle(req);
    }

    static std::string cookie_value(const http::Response& r, const std::string& name) {
        for (const auto& [k, v] : r.headers)
            if (k == "Set-Cookie" && v.starts_with(name + "="))
                return v.substr(name.size() + 1, v.find(';') - name.size() - 1);
        return {};
    }
    static std::string csrf_in(const std::string& html) {
        std::smatch m;
        static const std::regex re(R"re(name="csrf" value="([^"]+)")re");
        return std::regex_search(html, m, re) ? m[1].str() : std::string{};
    }

    // Logs in through the form and returns the session cookie.
    std::string login(const std::string& email, const std::string& password) {
        auto form = call(http::Method::Get, "/admin/login", {{"accept", "text/html"}});
        auto anon = cookie_value(form, "th_csrf");
        auto r = call(http::Method::Post, "/admin/login",
                      {{"content-type", "application/x-www-form-urlencoded"},
                       {"cookie", "th_csrf=" + anon}},
                      "csrf=" + csrf_in(form.body) + "&email=" + http::url_encode(email) +
                          "&password=" + http::url_encode(password));
        EXPECT_EQ(r.status, 303) << r.body;
        return cookie_value(r, "th_session");
    }

    std::unique_ptr<db::testing::TestDatabase> m_t;
    ManualClock m_clock;
    Metrics m_metrics;
    std::unique_ptr<staff::AuthService> m_auth;
    std::unique_ptr<web::AppContext> m_ctx;
    std::unique_ptr<web::Dispatcher> m_dispatcher;
};

TEST_P(DispatchTest, HealthzReportsTheDatabase) {
    auto r = call(http::Method::Get, "/healthz");
    EXPECT_EQ(r.status, 200);
    auto j = nlohmann::json::parse(r.body);
    EXPECT_EQ(j["status"], "ok");
    EXPECT_EQ(j["database"], "ok");
}

TEST_P(DispatchTest, UnknownPathsAndMethodsAreProblems) {
    auto api = call(http::Method::Get, "/api/v1/nope");
    EXPECT_EQ(api.status, 404);
    EXPECT_EQ(api.header("content-type").value_or(""), "application/problem+json");
    EXPECT_EQ(nlohmann::json::parse(api.body)["status"], 404);
    auto page = call(http::Method::Get, "/nope", {{"accept", "text/html"}});
    EXPECT_EQ(page.status, 404);
    EXPECT_TRUE(page.header("content-type").value_or("").starts_with("text/html"));
    auto wrong = call(http::Method::Post, "/healthz");
    EXPECT_EQ(wrong.status, 405);
    EXPECT_EQ(wrong.header("allow").value_or(""), "GET");
}

TEST_P(DispatchTest, ApiNeedsAValidKey) {
    auto none = call(http::Method::Get, "/api/v1/me");
    EXPECT_EQ(none.status, 401);
    EXPECT_EQ(none.header("www-authenticate").value_or(""), "Bearer");
    EXPECT_EQ(none.header("content-type").value_or(""), "application/problem+json");
    auto bad = call(http::Method::Get, "/api/v1/me", {{"authorization", "Bearer thk_x_y"}});
    EXPECT_EQ(bad.status, 401);
    auto key = m_auth->create_api_key("CMS", staff::Role::Editor).value();
    auto ok = call(http::Method::Get, "/api/v1/me", {{"authorization", "Bearer " + key}});
    ASSERT_EQ(ok.status, 200) << ok.body;
    EXPECT_EQ(nlohmann::json::parse(ok.body)["role"], "editor");
}

TEST_P(DispatchTest, AdminPagesRedirectToLogIn) {
    auto r = call(http::Method::Get, "/admin", {{"accept", "text/html"}});
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.header("location").value_or(""), "/admin/login?next=%2Fadmin");
}

TEST_P(DispatchTest, LogInNeedsTheCsrfTokenAndGivesASecureSessionCookie) {
    auto form = call(http::Method::Get, "/admin/login", {{"accept", "text/html"}});
    ASSERT_EQ(form.status, 200);
    EXPECT_NE(form.body.find("<label for=\"email\""), std::string::npos);
    auto anon = cookie_value(form, "th_csrf");
    ASSERT_FALSE(anon.empty());
    std::string creds = "&email=admin%40test.example&password=Rathaus-Garten-2026";
    auto no_token = call(http::Method::Post, "/admin/login",
                         {{"content-type", "application/x-www-form-urlencoded"},
                          {"cookie", "th_csrf=" + anon}},
                         "csrf=" + creds);
    EXPECT_EQ(no_token.status, 403);
    auto other_cookie = call(http::Method::Post, "/admin/login",
                             {{"content-type", "application/x-www-form-urlencoded"},
                              {"cookie", "th_csrf=" + security::random_token(32)}},
                             "csrf=" + csrf_in(form.body) + creds);
    EXPECT_EQ(other_cookie.status, 403);
    auto ok = call(http::Method::Post, "/admin/login",
                   {{"content-type", "application/x-www-form-urlencoded"},
                    {"cookie", "th_csrf=" + anon + "; th_session=fixed-by-attacker"}},
                   "csrf=" + csrf_in(form.body) + creds);
    ASSERT_EQ(ok.status, 303) << ok.body;
    EXPECT_EQ(ok.header("location").value_or(""), "/admin");
    std::string set_cookie;
    for (const auto& [k, v] : ok.headers)
        if (k == "Set-Cookie" && v.starts_with("th_session="))
            set_cookie = v;
    EXPECT_NE(set_cookie.find("HttpOnly"), std::string::npos);
    EXPECT_NE(set_cookie.find("SameSite=Lax"), std::string::npos);
    EXPECT_NE(cookie_value(ok, "th_session"), "fixed-by-attacker");
}

TEST_P(DispatchTest, WrongPasswordShowsTheFormAgain) {
    auto form = call(http::Method::Get, "/admin/login", {{"accept", "text/html"}});
    auto r = call(http::Method::Post, "/admin/login",
                  {{"content-type", "application/x-www-form-urlencoded"},
                   {"cookie", "th_csrf=" + cookie_value(form, "th_csrf")}},
                  "csrf=" + csrf_in(form.body) + "&email=admin%40test.example&password=nope-nope");
    EXPECT_EQ(r.status, 401);
    EXPECT_NE(r.body.find("role=\"alert\""), std::string::npos);
    EXPECT_NE(r.body.find("admin@test.example"), std::string::npos); // the address is kept
    EXPECT_TRUE(cookie_value(r, "th_session").empty());
}

TEST_P(DispatchTest, DashboardInGermanAndEnglish) {
    auto session = login("admin@test.example", "Rathaus-Garten-2026");
    ASSERT_FALSE(session.empty());
    auto de = call(http::Method::Get, "/admin", {{"cookie", "th_session=" + session}});
    ASSERT_EQ(de.status, 200);
    EXPECT_NE(de.body.find("<h1>Übersicht</h1>"), std::string::npos);
    EXPECT_NE(de.body.find("lang=\"de\""), std::string::npos);
    auto en = call(http::Method::Get, "/admin",
                   {{"cookie", "th_session=" + session}, {"accept-language", "en-GB,en;q=0.9"}});
    EXPECT_NE(en.body.find("<h1>Overview</h1>"), std::string::npos);
    EXPECT_TRUE(de.header("content-security-policy").has_value());
    EXPECT_EQ(de.header("cache-control").value_or(""), "no-store");
}

TEST_P(DispatchTest, LogoutNeedsCsrfAndEndsTheSession) {
    auto session = login("admin@test.example", "Rathaus-Garten-2026");
    auto page = call(http::Method::Get, "/admin", {{"cookie", "th_session=" + session}});
    auto forged = call(http::Method::Post, "/admin/logout",
                       {{"cookie", "th_session=" + session},
                        {"content-type", "application/x-www-form-urlencoded"}},
                       "csrf=wrong");
    EXPECT_EQ(forged.status, 403);
    auto out = call(http::Method::Post, "/admin/logout",
                    {{"cookie", "th_session=" + session},
                     {"content-type", "application/x-www-form-urlencoded"}},
                    "csrf=" + csrf_in(page.body));
    EXPECT_EQ(out.status, 303);
    EXPECT_EQ(call(http::Method::Get, "/admin", {{"cookie", "th_session=" + session}}).status, 303);
}

TEST_P(DispatchTest, RolesSeeOnlyTheirPages) {
    auto editor = login("editor@test.example", "Rathaus-Garten-2027");
    EXPECT_EQ(call(http::Method::Get, "/admin/staff", {{"cookie", "th_session=" + editor}}).status, 403);
    EXPECT_EQ(call(http::Method::Get, "/admin/audit", {{"cookie", "th_session=" + editor}}).status, 403);
    auto dash = call(http::Method::Get, "/admin", {{"cookie", "th_session=" + editor}});
    EXPECT_EQ(dash.body.find("href=\"/admin/staff\""), std::string::npos);
    auto admin = login("admin@test.example", "Rathaus-Garten-2026");
    auto staff = call(http::Method::Get, "/admin/staff", {{"cookie", "th_session=" + admin}});
    EXPECT_EQ(staff.status, 200);
    EXPECT_NE(staff.body.find("editor@test.example"), std::string::npos);
    auto audit = call(http::Method::Get, "/admin/audit", {{"cookie", "th_session=" + admin}});
    EXPECT_EQ(audit.status, 200);
    EXPECT_NE(audit.body.find("staff.login"), std::string::npos);
}

TEST_P(DispatchTest, MetricsOnlyFromLoopbackOrForAdmins) {
    EXPECT_EQ(call(http::Method::Get, "/metrics", {}, {}, "127.0.0.1").status, 200);
    EXPECT_EQ(call(http::Method::Get, "/metrics", {}, {}, "203.0.113.5").status, 401);
    auto text = call(http::Method::Get, "/metrics", {}, {}, "127.0.0.1").body;
    EXPECT_NE(text.find("teilhabe_http_requests_total"), std::string::npos);
    EXPECT_NE(text.find("teilhabe_up 1"), std::string::npos);
}

TEST_P(DispatchTest, LanguageSwitchOnlyFollowsLocalPaths) {
    auto form = call(http::Method::Get, "/admin/login", {{"accept", "text/html"}});
    auto anon = cookie_value(form, "th_csrf");
    auto r = call(http::Method::Post, "/language",
                  {{"content-type", "application/x-www-form-urlencoded"}, {"cookie", "th_csrf=" + anon}},
                  "csrf=" + csrf_in(form.body) + "&lang=en&next=https%3A%2F%2Fevil.example");
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.header("location").value_or(""), "/");
    EXPECT_EQ(cookie_value(r, "lang"), "en");
}

TEST(ReadJson, ClearErrorsForBadBodies) {
    http::Request r;
    r.body = "{\"a\":";
    auto no_type = web::read_json_object(r);
    ASSERT_FALSE(no_type.has_value());
    EXPECT_EQ(no_type.error().code, ErrorCode::UnsupportedMedia);
    r.headers = {{"content-type", "application/json"}};
    auto broken = web::read_json_object(r);
    ASSERT_FALSE(broken.has_value());
    EXPECT_EQ(broken.error().code, ErrorCode::InvalidArgument);
    EXPECT_NE(broken.error().message.find("Malformed JSON"), std::string::npos);
    r.body = "[1,2]";
    EXPECT_FALSE(web::read_json_object(r).has_value());
    r.body = "{\"a\":1}";
    EXPECT_TRUE(web::read_json_object(r).has_value());
}

TEST_P(DispatchTest, OpenApiDescribesExportsAndImportRuns) {
    auto r = call(http::Method::Get, "/api/v1/openapi.json");
    ASSERT_EQ(r.status, 200);
    auto doc = nlohmann::json::parse(r.body);
    const auto& paths = doc["paths"];
    ASSERT_TRUE(paths.contains("/api/v1/exports/citizens"));
    EXPECT_TRUE(paths["/api/v1/exports/citizens"]["get"]["responses"].contains("200"));
    EXPECT_TRUE(paths.contains("/api/v1/imports"));
    EXPECT_TRUE(paths.contains("/api/v1/imports/{id}"));
    // Every API route of the export and import tables is in the document.
    for (const auto& route : all_routes()) {
        if (route.pattern.starts_with("/api/v1/exports") ||
            route.pattern.starts_with("/api/v1/imports")) {
            EXPECT_TRUE(paths.contains(route.pattern)) << route.pattern;
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Backends, DispatchTest, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::app
