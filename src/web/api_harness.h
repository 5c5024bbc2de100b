#pragma once
// Tests of an area's routes in one process: a real database (SQLite or PostgreSQL, see
// db/test_support.h), the real dispatcher with its authentication, permission and CSRF checks,
// a ManualClock, and API keys per role. Only for tests (library teilhabe_web_testing).

#include "base/clock.h"
#include "base/metrics.h"
#include "db/test_support.h"
#include "staff/auth_service.h"
#include "web/dispatcher.h"

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace teilhabe::web::testing {

struct ApiResponse {
    int status{0};
    std::string content_type;
    std::string body; // a streamed body read to its end
    http::Response raw;
    // The body parsed as JSON (null when it is not JSON).
    nlohmann::json json() const;
};

class ApiHarness {
public:
    // Fails the calling test (ASSERT) when the database cannot be made.
    static std::unique_ptr<ApiHarness> create(db::Backend backend, std::vector<RouteDef> routes);

    db::Database& db() { return *m_db->db; }
    ManualClock& clock() { return m_clock; }
    staff::AuthService& auth() { return *m_auth; }
    // The services handlers see, for tests that give an area one of its own (campaign mail).
    AppContext& context() { return *m_ctx; }

    // A bearer key for the role, made once per role.
    const std::string& key(staff::Role role);
    ApiResponse call(http::Method m, const std::string& path, staff::Role as,
                     const nlohmann::json& body = nullptr, http::Headers headers = {});
    // Without credentials.
    ApiResponse call_anonymous(http::Method m, const std::string& path,
                               const nlohmann::json& body = nullptr);
    // A row straight into the database, for fixtures (returns the id of a citizen).
    std::int64_t add_citizen(const std::string& email, const std::string& first_name = "");

    ApiResponse send(http::Request req);

private:

    std::unique_ptr<db::testing::TestDatabase> m_db;
    ManualClock m_clock;
    Metrics m_metrics;
    std::unique_ptr<staff::AuthService> m_auth;
    std::unique_ptr<AppContext> m_ctx;
    std::unique_ptr<Dispatcher> m_dispatcher;
    std::map<staff::Role, std::string> m_keys;
};

// A browser on the harness's dispatcher: keeps the cookies the server sets (portal session,
// CSRF cookie), posts forms with the CSRF token of the last page it saw, sends a user agent and
// an address. For page tests of the portal and the public forms.
class Browser {
public:
    explicit Browser(ApiHarness& h, std::string ip = "198.51.100.7") : m_h(h), m_ip(std::move(ip)) {}

    ApiResponse get(const std::string& target);
    // `form` is urlencoded without the token; the token of the last page is added.
    ApiResponse post_form(const std::string& target, const std::string& form);
    // Without adding the token (to test that it is needed).
    ApiResponse post_raw(const std::string& target, const std::string& body,
                         const std::string& content_type = "application/x-www-form-urlencoded");

    std::string cookie(const std::string& name) const;
    void set_cookie(const std::string& name, const std::string& value) { m_jar[name] = value; }
    void clear_cookies() { m_jar.clear(); }
    const std::string& csrf() const { return m_csrf; }

private:
    ApiResponse send(http::Method m, const std::string& target, std::string body,
                     const std::string& content_type);

    ApiHarness& m_h;
    std::string m_ip;
    std::map<std::string, std::string> m_jar;
    std::string m_csrf;
};

} // namespace teilhabe::web::testing
