// The staff log-in's second factor through the real pages, on both engines: the
// administrators require it, a staff member sets it up at the next log-in (key, QR code, code),
// is asked for a code afterwards, and an administrator resets a lost one.

#include "admin/routes.h"
#include "security/totp.h"
#include "web/api_harness.h"

#include <gtest/gtest.h>
#include <regex>

namespace teilhabe::admin {
namespace {

using namespace std::chrono_literals;

std::string field(const std::string& body, const std::string& name) {
    std::smatch m;
    std::regex re("name=\"" + name + "\" value=\"([^\"]*)\"");
    return std::regex_search(body, m, re) ? m[1].str() : std::string();
}

class StaffSecondFactorPages : public ::testing::TestWithParam<db::Backend> {
protected:
    void SetUp() override {
        h = web::testing::ApiHarness::create(GetParam(), routes());
        ASSERT_TRUE(h);
        ASSERT_TRUE(
            h->auth().create_user("admin@test.example", "Rathaus-Garten-2026", staff::Role::Admin));
        auto berta = h->auth().create_user("berta@test.example", "Sonnenblume-am-Rathaus",
                                           staff::Role::Editor);
        ASSERT_TRUE(berta);
        berta_id = berta->id;
    }
    web::testing::ApiResponse login(web::testing::Browser& b, const std::string& email,
                                    const std::string& password) {
        b.get("/admin/login");
        return b.post_form("/admin/login", "email=" + http::url_encode(email) +
                                               "&password=" + http::url_encode(password));
    }
    std::unique_ptr<web::testing::ApiHarness> h;
    std::int64_t berta_id{0};
};

TEST_P(StaffSecondFactorPages, RequiredSetUpAskedForAndReset) {
    web::testing::Browser admin(*h, "192.0.2.1");
    ASSERT_EQ(login(admin, "admin@test.example", "Rathaus-Garten-2026").status, 303);
    auto list = admin.get("/admin/staff");
    ASSERT_EQ(list.status, 200);
    EXPECT_NE(list.body.find("nicht eingerichtet"), std::string::npos);
    ASSERT_EQ(admin.post_form("/admin/staff/second-factor", "required=1").status, 303);
    EXPECT_TRUE(h->auth().second_factor_required().value_or(false));

    web::testing::Browser berta(*h, "192.0.2.2");
    auto enrol = login(berta, "berta@test.example", "Sonnenblume-am-Rathaus");
    ASSERT_EQ(enrol.status, 200) << enrol.body.substr(0, 300);
    EXPECT_NE(enrol.body.find("Zweiten Faktor einrichten"), std::string::npos);
    EXPECT_NE(enrol.body.find("<svg"), std::string::npos);
    EXPECT_EQ(berta.get("/admin").status, 303); // no session before the code
    auto secret = field(enrol.body, "secret");
    auto ticket = field(enrol.body, "ticket");
    ASSERT_FALSE(secret.empty());
    std::string form = "ticket=" + http::url_encode(ticket) + "&secret=" + secret +
                       "&account=berta%40test.example&next=%2Fadmin";
    EXPECT_EQ(berta.post_form("/admin/login/enrol", form + "&code=000000").status, 422);
    auto in = berta.post_form("/admin/login/enrol",
                              form + "&code=" + security::totp_at(secret, h->clock().now_ms()));
    ASSERT_EQ(in.status, 303) << in.body.substr(0, 300);
    EXPECT_EQ(berta.get("/admin").status, 200);

    // Next time the code is asked for.
    h->clock().advance(60s);
    web::testing::Browser laptop(*h, "192.0.2.3");
    auto step = login(laptop, "berta@test.example", "Sonnenblume-am-Rathaus");
    ASSERT_EQ(step.status, 200);
    EXPECT_NE(step.body.find("Code eingeben"), std::string::npos);
    auto code_form = "ticket=" + http::url_encode(field(step.body, "ticket")) + "&next=%2Fadmin";
    EXPECT_EQ(laptop.post_form("/admin/login/code", code_form + "&code=123456").status, 401);
    ASSERT_EQ(laptop
                  .post_form("/admin/login/code",
                             code_form + "&code=" + security::totp_at(secret, h->clock().now_ms()))
                  .status,
              303);

    // A lost phone: the administrator resets it; Berta is signed out and sets up a new one.
    EXPECT_NE(admin.get("/admin/staff").body.find(">eingerichtet<"), std::string::npos);
    auto reset =
        admin.post_form("/admin/staff/" + std::to_string(berta_id) + "/second-factor/reset", "");
    ASSERT_EQ(reset.status, 303);
    EXPECT_EQ(berta.get("/admin").status, 303);
    EXPECT_EQ(laptop.get("/admin").status, 303);
    web::testing::Browser again(*h, "192.0.2.4");
    EXPECT_NE(login(again, "berta@test.example", "Sonnenblume-am-Rathaus")
                  .body.find("Zweiten Faktor einrichten"),
              std::string::npos);
    // Only administrators change the rule.
    EXPECT_EQ(h->call(http::Method::Post, "/admin/staff/second-factor", staff::Role::Editor).status,
              403);
}

INSTANTIATE_TEST_SUITE_P(Backends, StaffSecondFactorPages,
                         ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::admin
