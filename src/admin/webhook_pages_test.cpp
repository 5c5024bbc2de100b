// The webhook screens through the real dispatcher: empty state, errors beside the field, the
// secret shown once, deliveries, test ping, deleting with confirmation; only administrators.

#include "admin/admin_test_fixture.h"

namespace teilhabe::admin::testing {
namespace {

using WebhookPages = AdminPagesTest;

std::string secret_in(const std::string& html) {
    std::smatch m;
    static const std::regex re(R"re(value="(whsec_[A-Za-z0-9+/=]+)")re");
    return std::regex_search(html, m, re) ? m[1].str() : std::string{};
}

TEST_P(WebhookPages, CreateShowsTheSecretOnceAndErrorsBesideTheField) {
    auto empty = get("/admin/webhooks");
    ASSERT_EQ(empty.status, 200) << empty.body;
    EXPECT_TRUE(contains(empty.body, "Noch keine Webhooks."));
    EXPECT_TRUE(contains(empty.body, "href=\"/admin/webhooks\" aria-current=\"page\""))
        << "nav entry";
    EXPECT_TRUE(contains(get("/admin/webhooks/new").body, "name=\"csrf\""));

    auto bad = post("/admin/webhooks/new",
                    "url=ftp%3A%2F%2Ffiles.example%2Fin&event_types=library.loan&active=yes");
    ASSERT_EQ(bad.status, 422) << bad.body;
    EXPECT_TRUE(contains(bad.body, "id=\"url-error\"")) << bad.body;
    EXPECT_TRUE(contains(bad.body, "mit http:// oder https:// beginnt"));
    EXPECT_TRUE(contains(bad.body, "value=\"ftp://files.example/in\"")) << "the input is kept";
    auto bad_types =
        post("/admin/webhooks/new", "url=https%3A%2F%2Fcms.example%2Fin&event_types=Library+Loan");
    ASSERT_EQ(bad_types.status, 422);
    EXPECT_TRUE(contains(bad_types.body, "id=\"event_types-error\""));
    EXPECT_EQ(count("SELECT COUNT(*) FROM webhooks"), 0);
    EXPECT_EQ(post("/admin/webhooks/new", "url=https%3A%2F%2Fcms.example%2Fin", false).status, 403);

    auto ok =
        post("/admin/webhooks/new",
             "url=https%3A%2F%2Fcms.musterstadt.example%2Fin&event_types=library.loan%0D%0Apool.*"
             "&description=Website&active=yes");
    ASSERT_EQ(ok.status, 200) << ok.body;
    auto secret = secret_in(ok.body);
    ASSERT_FALSE(secret.empty()) << ok.body;
    EXPECT_TRUE(contains(ok.body, "nicht wieder angezeigt"));
    EXPECT_EQ(
        count("SELECT COUNT(*) FROM webhooks WHERE event_types = '[\"library.loan\",\"pool.*\"]'"),
        1);

    auto list = get("/admin/webhooks");
    EXPECT_TRUE(contains(list.body, "<code>https://cms.musterstadt.example/in</code>"));
    EXPECT_TRUE(contains(list.body, "library.loan, pool.*"));
    EXPECT_FALSE(contains(list.body, secret));
    auto detail = get("/admin/webhooks/1");
    ASSERT_EQ(detail.status, 200) << detail.body;
    EXPECT_FALSE(contains(detail.body, secret));
    EXPECT_TRUE(contains(detail.body, "Noch keine Zustellungen."));
}

TEST_P(WebhookPages, TestPingAppearsInTheDeliveriesAndDeleteNeedsConfirmation) {
    ASSERT_EQ(
        post("/admin/webhooks/new", "url=http%3A%2F%2F127.0.0.1%3A9%2Fhook&active=yes").status,
        200);
    auto tested = post("/admin/webhooks/1/test", "");
    ASSERT_EQ(tested.status, 303);
    EXPECT_EQ(tested.header("location").value_or(""), "/admin/webhooks/1?tested=1");
    auto detail = get("/admin/webhooks/1?tested=1");
    EXPECT_TRUE(contains(detail.body, "webhook.ping"));
    EXPECT_TRUE(contains(detail.body, "ausstehend"));
    EXPECT_EQ(count("SELECT COUNT(*) FROM jobs WHERE kind = 'webhook.deliver'"), 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'webhook.deliveries.read'"), 1);

    auto ask = get("/admin/webhooks/1/delete");
    ASSERT_EQ(ask.status, 200);
    EXPECT_TRUE(contains(ask.body, "action=\"/admin/webhooks/1/delete\""));
    EXPECT_TRUE(contains(ask.body, "http://127.0.0.1:9/hook"));
    EXPECT_EQ(count("SELECT COUNT(*) FROM webhooks"), 1);
    EXPECT_EQ(post("/admin/webhooks/1/delete", "", false).status, 403);
    auto gone = post("/admin/webhooks/1/delete", "");
    ASSERT_EQ(gone.status, 303);
    EXPECT_EQ(count("SELECT COUNT(*) FROM webhooks"), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM webhook_deliveries"), 0);
    EXPECT_TRUE(contains(get("/admin/webhooks?deleted=1").body, "Der Webhook wurde gelöscht."));
    EXPECT_EQ(get("/admin/webhooks/1").status, 404);
    EXPECT_EQ(get("/admin/webhooks/x").status, 404);
}

TEST_P(WebhookPages, OnlyAdministratorsSeeThem) {
    ASSERT_TRUE(
        m_auth->create_user("editor@test.example", "Rathaus-Garten-2026", staff::Role::Editor)
            .has_value());
    auto session = login("editor@test.example", "Rathaus-Garten-2026");
    auto r = call(http::Method::Get, "/admin/webhooks",
                  {{"accept", "text/html"}, {"cookie", "th_session=" + session}});
    EXPECT_EQ(r.status, 403);
    auto dash = call(http::Method::Get, "/admin",
                     {{"accept", "text/html"}, {"cookie", "th_session=" + session}});
    EXPECT_FALSE(contains(dash.body, "href=\"/admin/webhooks\"")) << "no nav entry for editors";
}

INSTANTIATE_TEST_SUITE_P(Backends, WebhookPages, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::admin::testing
