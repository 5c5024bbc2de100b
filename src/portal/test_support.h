#pragma once
// For portal tests: the harness with the portal's session resolver, and a verified account for
// a profile. Only for tests.

#include "portal/account_store.h"
#include "portal/me_routes.h"
#include "portal/routes.h"
#include "security/crypto.h"
#include "web/api_harness.h"

#include <gtest/gtest.h>

namespace teilhabe::portal::testing {

// The harness with `routes` and the portal's sessions resolved as `serve` does.
inline std::unique_ptr<web::testing::ApiHarness> portal_harness(db::Backend backend,
                                                                std::vector<web::RouteDef> routes) {
    auto h = web::testing::ApiHarness::create(backend, std::move(routes));
    if (h)
        h->context().citizen_sessions = session_resolver(h->db(), h->clock());
    return h;
}

// The whole portal, as `serve` has it: the accounts' routes with `mailer` and a signed-in
// citizen's pages (the home page among them).
inline std::vector<web::RouteDef> whole_portal(PortalMailer mailer = {}) {
    auto out = routes(std::move(mailer));
    auto mine = me_routes();
    out.insert(out.end(), mine.begin(), mine.end());
    return out;
}

// A verified portal account for the citizen, with this password; returns the account's id.
inline std::int64_t add_account(web::testing::ApiHarness& h, std::int64_t citizen_id,
                                const std::string& email, const std::string& password) {
    // The cheapest argon2id the library allows: tests sign in many times.
    auto hash = security::hash_password(password, {.ops = 1, .mem_bytes = 8 * 1024});
    EXPECT_TRUE(hash.has_value());
    auto id = h.db().transaction(db::TxMode::Write, [&](db::Connection& c) {
        return store::insert_account(c,
                                     {.citizen_id = citizen_id,
                                      .email = email,
                                      .password_hash = hash.value_or(""),
                                      .verified_at = h.clock().now_ms()},
                                     h.clock().now_ms());
    });
    EXPECT_TRUE(id.has_value()) << (id ? "" : id.error().message);
    return id.value_or(0);
}

// Signs the browser in through the log-in page; fails the test if that does not work.
inline void sign_in(web::testing::Browser& b, const std::string& email,
                    const std::string& password) {
    b.get("/portal/login");
    auto r = b.post_form("/portal/login",
                         "email=" + http::url_encode(email) + "&password=" + http::url_encode(password));
    ASSERT_EQ(r.status, 303) << r.body.substr(0, 500);
}

} // namespace teilhabe::portal::testing
