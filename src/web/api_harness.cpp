#include "web/api_harness.h"

#include "security/crypto.h"

#include <gtest/gtest.h>
#include <regex>

namespace teilhabe::web::testing {

nlohmann::json ApiResponse::json() const {
    return nlohmann::json::parse(body, nullptr, false, true).is_discarded()
               ? nlohmann::json(nullptr)
               : nlohmann::json::parse(body);
}

std::unique_ptr<ApiHarness> ApiHarness::create(db::Backend backend, std::vector<RouteDef> routes) {
    auto h = std::unique_ptr<ApiHarness>(new ApiHarness());
    auto init = security::init();
    EXPECT_TRUE(init.has_value());
    auto t = db::testing::make_database(backend);
    EXPECT_TRUE(t.has_value()) << (t ? "" : t.error().message);
    if (!t)
        return nullptr;
    h->m_db = std::move(*t);
    h->m_auth = std::make_unique<staff::AuthService>(*h->m_db->db, h->m_clock, "test-secret");
    h->m_ctx = std::make_unique<AppContext>(AppContext{*h->m_db->db, h->m_clock, WebSettings{},
                                                       *h->m_auth, h->m_metrics, "test-secret",
                                                       nullptr});
    h->m_dispatcher = std::make_unique<Dispatcher>(*h->m_ctx, std::move(routes));
    return h;
}

const std::string& ApiHarness::key(staff::Role role) {
    auto it = m_keys.find(role);
    if (it == m_keys.end()) {
        auto k = m_auth->create_api_key(std::string("test ") + staff::to_string(role), role);
        EXPECT_TRUE(k.has_value());
        it = m_keys.emplace(role, k.value_or("")).first;
    }
    return it->second;
}

namespace {

http::Request make_request(http::Method m, const std::string& path, const nlohmann::json& body,
                           http::Headers headers) {
    http::Request req;
    req.method = m;
    auto q = path.find('?');
    req.path = path.substr(0, q);
    req.query = q == std::string::npos ? "" : path.substr(q + 1);
    req.target = path;
    req.headers = std::move(headers);
    if (!body.is_null()) {
        req.body = body.is_string() ? body.get<std::string>() : body.dump();
        bool has_type = false;
        for (const auto& [k, v] : req.headers)
            has_type = has_type || k == "content-type";
        if (!has_type)
            req.headers.emplace_back("content-type", "application/json");
    }
    req.remote_addr = "192.0.2.20";
    return req;
}

} // namespace

ApiResponse ApiHarness::call(http::Method m, const std::string& path, staff::Role as,
                             const nlohmann::json& body, http::Headers headers) {
    headers.emplace_back("authorization", "Bearer " + key(as));
    return send(make_request(m, path, body, std::move(headers)));
}

ApiResponse ApiHarness::call_anonymous(http::Method m, const std::string& path,
                                       const nlohmann::json& body) {
    return send(make_request(m, path, body, {}));
}

ApiResponse ApiHarness::send(http::Request req) {
    auto r = m_dispatcher->handle(req);
    ApiResponse out;
    out.status = r.status;
    out.content_type = std::string(r.header("content-type").value_or(""));
    out.body = r.body;
    if (r.stream) {
        // A streamed body (exports) as the client would receive it; a stream that breaks off
        // is marked so that a test cannot mistake it for a complete body.
        auto all = http::drain(*r.stream);
        out.body = all ? *all : "<stream broke off: " + all.error().message + ">";
    }
    out.raw = std::move(r);
    return out;
}

std::int64_t ApiHarness::add_citizen(const std::string& email, const std::string& first_name) {
    auto lease = db().acquire();
    EXPECT_TRUE(lease.has_value());
    auto row = (*lease)->query_one(
        "INSERT INTO citizens (email, first_name, created_at, updated_at) VALUES (?, ?, ?, ?) "
        "RETURNING id",
        {email, first_name, m_clock.now_ms(), m_clock.now_ms()});
    EXPECT_TRUE(row.has_value()) << (row ? "" : row.error().message);
    return row ? row->get_int(0) : 0;
}

ApiResponse Browser::send(http::Method m, const std::string& target, std::string body,
                          const std::string& content_type) {
    http::Request req;
    req.method = m;
    auto q = target.find('?');
    req.path = http::url_decode(target.substr(0, q), false);
    req.query = q == std::string::npos ? "" : target.substr(q + 1);
    req.target = target;
    req.remote_addr = m_ip;
    std::string cookies;
    for (const auto& [k, v] : m_jar)
        cookies += (cookies.empty() ? "" : "; ") + k + "=" + v;
    if (!cookies.empty())
        req.headers.emplace_back("cookie", cookies);
    req.headers.emplace_back("user-agent", "TestBrowser/1.0");
    req.headers.emplace_back("accept", "text/html");
    if (!body.empty() || m != http::Method::Get)
        req.headers.emplace_back("content-type", content_type);
    req.body = std::move(body);
    auto out = m_h.send(std::move(req));
    for (const auto& [k, v] : out.raw.headers) {
        if (k != "Set-Cookie" && k != "set-cookie")
            continue;
        auto eq = v.find('=');
        auto end = v.find(';');
        std::string name = v.substr(0, eq);
        std::string value = v.substr(eq + 1, end == std::string::npos ? end : end - eq - 1);
        if (value.empty() || v.find("Max-Age=0") != std::string::npos)
            m_jar.erase(name);
        else
            m_jar[name] = value;
    }
    static const std::regex token(R"re(name="csrf" value="([^"]+)")re");
    std::smatch match;
    if (std::regex_search(out.body, match, token))
        m_csrf = match[1].str();
    return out;
}

ApiResponse Browser::get(const std::string& target) {
    return send(http::Method::Get, target, {}, {});
}

ApiResponse Browser::post_form(const std::string& target, const std::string& form) {
    std::string body = "csrf=" + http::url_encode(m_csrf);
    if (!form.empty())
        body += "&" + form;
    return send(http::Method::Post, target, std::move(body), "application/x-www-form-urlencoded");
}

ApiResponse Browser::post_raw(const std::string& target, const std::string& body,
                              const std::string& content_type) {
    return send(http::Method::Post, target, body, content_type);
}

std::string Browser::cookie(const std::string& name) const {
    auto it = m_jar.find(name);
    return it == m_jar.end() ? "" : it->second;
}

} // namespace teilhabe::web::testing
