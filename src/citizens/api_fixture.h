#pragma once
// The data hub's routes in one process: a real database (SQLite or PostgreSQL), the real
// dispatcher with its authentication, permission and CSRF checks, an API key per role and a
// department staff member with a session. Only for the tests of this folder.

#include "citizens/routes.h"
#include "db/test_support.h"
#include "security/crypto.h"
#include "staff/auth_service.h"
#include "web/dispatcher.h"

#include <gtest/gtest.h>
#include <map>
#include <nlohmann/json.hpp>

namespace teilhabe::citizens::testing {

struct Answer {
    int status{0};
    std::string content_type;
    std::string location;
    nlohmann::json body; // null when not JSON
};

class ApiTest : public ::testing::TestWithParam<db::Backend> {
protected:
    void SetUp() override {
        ASSERT_TRUE(security::init());
        auto t = db::testing::make_database(GetParam());
        ASSERT_TRUE(t.has_value()) << t.error().message;
        m_t = std::move(*t);
        auto seeded =
            m_t->db->transaction(db::TxMode::Write, [](db::Connection& c) -> Result<void> {
                for (const char* d : {"vhs", "umwelt"})
                    TRY(c.query(
                        "INSERT INTO departments (key, name_de, name_en, created_at) VALUES "
                        "(?, ?, ?, 0)",
                        {d, d, d}));
                for (const char* topic : {"kultur", "umwelt"})
                    TRY(c.query(
                        "INSERT INTO topics (key, name_de, name_en, created_at) VALUES (?, ?, "
                        "?, 0)",
                        {topic, topic, topic}));
                return {};
            });
        ASSERT_TRUE(seeded) << seeded.error().message;
        m_auth = std::make_unique<staff::AuthService>(*m_t->db, m_clock, "secret");
        m_ctx = std::make_unique<web::AppContext>(web::AppContext{
            *m_t->db, m_clock, web::WebSettings{}, *m_auth, m_metrics, "secret", nullptr});
        m_dispatcher = std::make_unique<web::Dispatcher>(*m_ctx, routes());
    }

    const std::string& key(staff::Role role) {
        auto& k = m_keys[role];
        if (k.empty())
            k = m_auth->create_api_key(std::string("test ") + staff::to_string(role), role).value();
        return k;
    }

    Answer send(http::Method m, const std::string& target, http::Headers headers,
                const nlohmann::json& body) {
        http::Request req;
        req.method = m;
        auto q = target.find('?');
        req.path = target.substr(0, q);
        req.query = q == std::string::npos ? "" : target.substr(q + 1);
        req.target = target;
        req.headers = std::move(headers);
        req.remote_addr = "192.0.2.10";
        if (!body.is_null()) {
            req.body = body.is_string() ? body.get<std::string>() : body.dump();
            bool typed = false;
            for (const auto& [k, v] : req.headers)
                typed = typed || k == "content-type";
            if (!typed)
                req.headers.emplace_back("content-type", "application/json");
        }
        auto r = m_dispatcher->handle(req);
        Answer a{r.status, std::string(r.header("content-type").value_or("")),
                 std::string(r.header("location").value_or("")), nullptr};
        a.body = nlohmann::json::parse(r.body, nullptr, false);
        if (a.body.is_discarded())
            a.body = nullptr;
        return a;
    }

    Answer call(http::Method m, const std::string& target, staff::Role as,
                const nlohmann::json& body = nullptr, http::Headers headers = {}) {
        headers.emplace_back("authorization", "Bearer " + key(as));
        return send(m, target, std::move(headers), body);
    }

    // A department staff member of `department`, signed in: the session cookie and CSRF token.
    std::pair<std::string, std::string> department_session(const std::string& department) {
        auto id = m_t->db->transaction(db::TxMode::Read, [&](db::Connection& c) {
            return c.query_one("SELECT id FROM departments WHERE key = ?", {department});
        });
        EXPECT_TRUE(id);
        std::string email = department + "@staff.example";
        EXPECT_TRUE(m_auth->create_user(email, "Rathaus-Garten-2026", staff::Role::Department,
                                        id->get_int(0)));
        auto login = m_auth->login({email, "Rathaus-Garten-2026", "192.0.2.10", "test", ""});
        EXPECT_TRUE(login) << login.error().message;
        return {"th_session=" + login->session.token, login->session.csrf_token};
    }

    std::int64_t scalar(const std::string& sql, db::Params params = {}) {
        auto r = m_t->db->transaction(db::TxMode::Read,
                                      [&](db::Connection& c) { return c.query_one(sql, params); });
        EXPECT_TRUE(r) << r.error().message;
        return r ? r->get_int(0) : -1;
    }

    std::unique_ptr<db::testing::TestDatabase> m_t;
    ManualClock m_clock;
    Metrics m_metrics;
    std::unique_ptr<staff::AuthService> m_auth;
    std::unique_ptr<web::AppContext> m_ctx;
    std::unique_ptr<web::Dispatcher> m_dispatcher;
    std::map<staff::Role, std::string> m_keys;
};

} // namespace teilhabe::citizens::testing
