#pragma once
// The consent routes in one process over a real database (SQLite or PostgreSQL): the real
// dispatcher with its permission and CSRF checks, a ManualClock, a recorder in place of the
// confirmation mailer, anonymous browser-like requests with cookies. Only for this folder's tests.

#include "consent/form_guard.h"
#include "consent/mailer.h"
#include "consent/routes.h"
#include "db/test_support.h"
#include "security/crypto.h"
#include "staff/auth_service.h"
#include "web/dispatcher.h"

#include <gtest/gtest.h>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>

namespace teilhabe::consent::testing {

inline constexpr const char* kSecret = "consent-test-secret";

struct Reply {
    int status{0};
    std::string content_type;
    std::string location;
    std::string body;
    std::vector<std::string> set_cookies;
    nlohmann::json json() const { return nlohmann::json::parse(body, nullptr, false); }
};

class ConsentTest : public ::testing::TestWithParam<db::Backend> {
protected:
    void SetUp() override {
        ASSERT_TRUE(security::init());
        auto t = db::testing::make_database(GetParam());
        ASSERT_TRUE(t.has_value()) << t.error().message;
        m_t = std::move(*t);
        exec("INSERT INTO departments (key, name_de, name_en, created_at) VALUES ('vhs', 'VHS', 'VHS', 0)");
        exec("INSERT INTO departments (key, name_de, name_en, created_at) VALUES ('umwelt', 'Umwelt', 'Environment', 0)");
        kultur = add_topic("kultur", "Kultur", "Culture", 1, true);
        umwelt = add_topic("umwelt", "Umwelt", "Environment", 2, true);
        intern = add_topic("intern", "Intern", "Internal", 1, false);
        m_auth = std::make_unique<staff::AuthService>(*m_t->db, clock, kSecret);
        web::WebSettings settings;
        settings.base_url = "https://teilhabe.stadt.example";
        m_ctx = std::make_unique<web::AppContext>(
            web::AppContext{*m_t->db, clock, settings, *m_auth, m_metrics, kSecret, nullptr});
        ConfirmationMailer mailer = [this](db::Connection&, const ConfirmationMail& m) -> Result<void> {
            if (fail_mail)
                return fail(Error::unavailable("mail refused by the test"));
            mails.push_back(m);
            return {};
        };
        m_dispatcher = std::make_unique<web::Dispatcher>(*m_ctx, routes(mailer));
    }

    std::int64_t add_topic(const std::string& key, const std::string& de, const std::string& en,
                           std::int64_t dept, bool is_public) {
        auto r = m_t->db->transaction(db::TxMode::Write, [&](db::Connection& c) {
            return c.query_one("INSERT INTO topics (key, name_de, name_en, department_id, "
                               "is_public, created_at) VALUES (?, ?, ?, ?, ?, 0) RETURNING id",
                               {key, de, en, dept, std::int64_t{is_public ? 1 : 0}});
        });
        EXPECT_TRUE(r) << r.error().message;
        return r ? r->get_int(0) : 0;
    }

    void exec(const std::string& sql, db::Params p = {}) {
        auto r = m_t->db->transaction(db::TxMode::Write,
                                      [&](db::Connection& c) { return c.query(sql, p); });
        ASSERT_TRUE(r) << sql << ": " << r.error().message;
    }
    std::int64_t scalar(const std::string& sql, db::Params p = {}) {
        auto r = m_t->db->transaction(db::TxMode::Read,
                                      [&](db::Connection& c) { return c.query_one(sql, p); });
        EXPECT_TRUE(r) << sql << ": " << (r ? "" : r.error().message);
        return r ? r->get_int(0) : -1;
    }
    std::string text(const std::string& sql, db::Params p = {}) {
        auto r = m_t->db->transaction(db::TxMode::Read,
                                      [&](db::Connection& c) { return c.query_one(sql, p); });
        EXPECT_TRUE(r) << sql;
        return r ? r->get_text(0) : "";
    }

    Reply send(http::Method m, const std::string& target, std::string body = {},
               http::Headers headers = {}, const std::string& ip = "198.51.100.7") {
        http::Request req;
        req.method = m;
        auto q = target.find('?');
        req.path = http::url_decode(target.substr(0, q), false);
        req.query = q == std::string::npos ? "" : target.substr(q + 1);
        req.target = target;
        req.headers = std::move(headers);
        req.remote_addr = ip;
        if (!cookie.empty())
            req.headers.emplace_back("cookie", cookie);
        req.headers.emplace_back("user-agent", "TestBrowser/1.0");
        if (!body.empty()) {
            bool typed = false;
            for (const auto& [k, v] : req.headers)
                typed = typed || k == "content-type";
            if (!typed)
                req.headers.emplace_back("content-type", "application/x-www-form-urlencoded");
        }
        req.body = std::move(body);
        auto r = m_dispatcher->handle(req);
        Reply out{r.status, std::string(r.header("content-type").value_or("")),
                  std::string(r.header("location").value_or("")), r.body, {}};
        for (const auto& [k, v] : r.headers)
            if (k == "Set-Cookie" || k == "set-cookie") {
                out.set_cookies.push_back(v);
                cookie = v.substr(0, v.find(';')); // keep the anonymous CSRF cookie
            }
        return out;
    }

    // The CSRF token of the last page (hidden field "csrf").
    static std::string csrf_of(const std::string& html) {
        std::smatch m;
        static const std::regex re(R"re(name="csrf" value="([^"]+)")re");
        return std::regex_search(html, m, re) ? m[1].str() : "";
    }
    static std::string stamp_of(const std::string& html) {
        std::smatch m;
        static const std::regex re(R"re(name="stamp" value="([^"]+)")re");
        return std::regex_search(html, m, re) ? m[1].str() : "";
    }
    static std::string nonce_for(const std::string& stamp) {
        for (int n = 0;; ++n)
            if (guard::proof_of_work_ok(stamp, std::to_string(n)))
                return std::to_string(n);
    }

    // A complete sign-up as a browser with JavaScript does it: the page, a pause, the POST.
    Reply sign_up(const std::string& email, const std::string& topics_form,
                  const std::string& extra = "", const std::string& ip = "198.51.100.7") {
        auto page = send(http::Method::Get, "/subscribe", {}, {}, ip);
        EXPECT_EQ(page.status, 200);
        auto stamp = stamp_of(page.body);
        clock.advance(std::chrono::seconds(3));
        return send(http::Method::Post, "/subscribe",
                    "email=" + http::url_encode(email) + "&" + topics_form + "&stamp=" +
                        http::url_encode(stamp) + "&pow=" + nonce_for(stamp) + "&website_url=" +
                        extra,
                    {{"referer", "https://www.stadt.example/newsletter"}}, ip);
    }

    static std::string token_of(const ConfirmationMail& m) {
        return m.confirm_url.substr(m.confirm_url.rfind('/') + 1);
    }

    std::unique_ptr<db::testing::TestDatabase> m_t;
    ManualClock clock;
    Metrics m_metrics;
    std::unique_ptr<staff::AuthService> m_auth;
    std::unique_ptr<web::AppContext> m_ctx;
    std::unique_ptr<web::Dispatcher> m_dispatcher;
    std::vector<ConfirmationMail> mails;
    bool fail_mail{false};
    std::string cookie;
    std::int64_t kultur{0}, umwelt{0}, intern{0};
};

} // namespace teilhabe::consent::testing
