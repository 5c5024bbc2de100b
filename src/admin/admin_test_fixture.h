#pragma once
// The admin screens in one process: a real database (SQLite or PostgreSQL), the real
// dispatcher with log-in, permissions and CSRF, a staff member who logs in through the form.
// Only for the tests of this folder.

#include "admin/routes.h"
#include "citizens/citizen_store.h"
#include "citizens/field_store.h"
#include "db/test_support.h"
#include "security/crypto.h"
#include "staff/auth_service.h"
#include "web/dispatcher.h"

#include <gtest/gtest.h>
#include <regex>

namespace teilhabe::admin::testing {

class AdminPagesTest : public ::testing::TestWithParam<db::Backend> {
protected:
    void SetUp() override {
        ASSERT_TRUE(security::init().has_value());
        auto t = db::testing::make_database(GetParam());
        ASSERT_TRUE(t.has_value()) << t.error().message;
        m_t = std::move(*t);
        auto seeded = m_t->db->transaction(db::TxMode::Write, [](db::Connection& c) -> Result<void> {
            TRY(c.query("INSERT INTO departments (key, name_de, name_en, created_at) VALUES "
                        "('vhs', 'Volkshochschule', 'Adult education', 0)"));
            for (const char* topic : {"kultur", "umwelt"})
                TRY(c.query("INSERT INTO topics (key, name_de, name_en, created_at) VALUES (?, ?, "
                            "?, 0)",
                            {topic, topic, topic}));
            return {};
        });
        ASSERT_TRUE(seeded) << seeded.error().message;
        m_auth = std::make_unique<staff::AuthService>(*m_t->db, m_clock, "secret");
        ASSERT_TRUE(m_auth->create_user("admin@test.example", "Rathaus-Garten-2026",
                                        staff::Role::Admin).has_value());
        m_ctx = std::make_unique<web::AppContext>(web::AppContext{
            *m_t->db, m_clock, web::WebSettings{}, *m_auth, m_metrics, "secret", nullptr});
        m_dispatcher = std::make_unique<web::Dispatcher>(*m_ctx, routes());
        m_session = login("admin@test.example", "Rathaus-Garten-2026");
        ASSERT_FALSE(m_session.empty());
        m_csrf = csrf_in(get("/admin").body);
        ASSERT_FALSE(m_csrf.empty());
    }

    http::Response call(http::Method m, std::string path, http::Headers headers = {},
                        std::string body = {}) {
        http::Request req;
        req.method = m;
        auto q = path.find('?');
        req.path = path.substr(0, q);
        req.query = q == std::string::npos ? "" : path.substr(q + 1);
        req.target = path;
        req.headers = std::move(headers);
        req.body = std::move(body);
        req.remote_addr = "192.0.2.10";
        return m_dispatcher->handle(req);
    }
    http::Response get(const std::string& path) {
        return call(http::Method::Get, path,
                    {{"accept", "text/html"}, {"cookie", "th_session=" + m_session}});
    }
    // A form post with the session; the CSRF token is added unless `with_csrf` is false.
    http::Response post(const std::string& path, std::string body, bool with_csrf = true) {
        if (with_csrf)
            body = "csrf=" + http::url_encode(m_csrf) + (body.empty() ? "" : "&") + body;
        return call(http::Method::Post, path,
                    {{"accept", "text/html"},
                     {"cookie", "th_session=" + m_session},
                     {"content-type", "application/x-www-form-urlencoded"}},
                    std::move(body));
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
    static bool contains(const std::string& haystack, const std::string& needle) {
        return haystack.find(needle) != std::string::npos;
    }

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

    citizens::Actor system() const { return {"system:test", ""}; }

    std::int64_t add_citizen(const nlohmann::json& body) {
        auto in = citizens::parse_citizen_input(body, citizens::InputMode::Create);
        EXPECT_TRUE(in.has_value()) << in.error().message;
        auto c = m_t->db->transaction(db::TxMode::Write, [&](db::Connection& c) {
            return citizens::store::create_citizen(c, *in, system(), m_clock);
        });
        EXPECT_TRUE(c.has_value()) << c.error().message;
        return c ? c->id : 0;
    }
    void add_field(const nlohmann::json& body) {
        auto in = citizens::parse_field_input(body, citizens::InputMode::Create);
        ASSERT_TRUE(in.has_value()) << in.error().message;
        auto f = m_t->db->transaction(db::TxMode::Write, [&](db::Connection& c) {
            return citizens::store::create_field(c, *in, {}, system(), m_clock);
        });
        ASSERT_TRUE(f.has_value()) << f.error().message;
    }
    std::int64_t count(const std::string& sql, const db::Params& params = {}) {
        auto r = m_t->db->transaction(db::TxMode::Read, [&](db::Connection& c) {
            return c.query_one(sql, params);
        });
        EXPECT_TRUE(r.has_value()) << r.error().message;
        return r ? r->get_int(0) : -1;
    }

    std::unique_ptr<db::testing::TestDatabase> m_t;
    ManualClock m_clock;
    Metrics m_metrics;
    std::unique_ptr<staff::AuthService> m_auth;
    std::unique_ptr<web::AppContext> m_ctx;
    std::unique_ptr<web::Dispatcher> m_dispatcher;
    std::string m_session, m_csrf;
};

} // namespace teilhabe::admin::testing
