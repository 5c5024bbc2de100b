// The events' API over the real dispatcher on both engines: status codes, problem+json with the
// member named, lists with next_cursor, registration and cancellation with the waiting list,
// check-in, the CSV export, and the department scope.

#include "events/routes.h"
#include "events/test_fixture.h"
#include "shop/voucher_code.h"
#include "web/api_harness.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace teilhabe::events {
namespace {

using http::Method;
using nlohmann::json;
using staff::Role;

class EventsApi : public ::testing::TestWithParam<db::Backend> {
protected:
    void SetUp() override {
        h = web::testing::ApiHarness::create(GetParam(), routes(mails.mailer()));
        ASSERT_TRUE(h);
        anna = h->add_citizen("anna@example.org", "Anna");
        ben = h->add_citizen("ben@example.org", "Ben");
    }
    json event_body(std::optional<int> capacity = std::nullopt) {
        auto start = h->clock().now_ms() + 7LL * 24 * 3600 * 1000;
        json b{{"title", "Frühjahrsputz"},
               {"place", "Stadtpark"},
               {"starts_at", iso_time(start)},
               {"ends_at", iso_time(start + 7200'000)},
               {"status", "published"}};
        if (capacity)
            b["capacity"] = *capacity;
        return b;
    }
    std::int64_t create(const json& body) {
        auto r = h->call(Method::Post, "/api/v1/events", Role::Editor, body);
        EXPECT_EQ(r.status, 201) << r.body;
        return r.json().value("id", std::int64_t{0});
    }
    web::testing::ApiResponse reg(std::int64_t event, std::int64_t citizen) {
        return h->call(Method::Post, fmt::format("/api/v1/events/{}/registrations", event),
                       Role::Editor, {{"citizen_id", citizen}});
    }
    testing::MailRecorder mails;
    std::unique_ptr<web::testing::ApiHarness> h;
    std::int64_t anna{0}, ben{0};
};

TEST_P(EventsApi, EventsCanBeCreatedListedChangedAndDeleted) {
    auto id = create(event_body(20));
    auto got = h->call(Method::Get, fmt::format("/api/v1/events/{}", id), Role::Editor);
    ASSERT_EQ(got.status, 200);
    EXPECT_EQ(got.json()["title"], "Frühjahrsputz");
    EXPECT_EQ(got.json()["free_places"], 20);
    auto patched = h->call(Method::Patch, fmt::format("/api/v1/events/{}", id), Role::Editor,
                           {{"capacity", nullptr}, {"place", "Rathausplatz"}});
    ASSERT_EQ(patched.status, 200) << patched.body;
    EXPECT_TRUE(patched.json()["capacity"].is_null());
    EXPECT_EQ(patched.json()["place"], "Rathausplatz");
    create(event_body());
    auto page = h->call(Method::Get, "/api/v1/events?limit=1", Role::Editor);
    ASSERT_EQ(page.status, 200);
    EXPECT_EQ(page.json()["items"].size(), 1u);
    ASSERT_TRUE(page.json()["next_cursor"].is_string());
    auto next = h->call(Method::Get, "/api/v1/events?limit=1&cursor=" +
                                         page.json()["next_cursor"].get<std::string>(),
                        Role::Editor);
    EXPECT_EQ(next.json()["items"].size(), 1u);
    EXPECT_TRUE(next.json()["next_cursor"].is_null());
    // Bad input: 422 naming the member, as problem+json.
    auto body = event_body();
    body["ends_at"] = body["starts_at"];
    auto bad = h->call(Method::Post, "/api/v1/events", Role::Editor, body);
    EXPECT_EQ(bad.status, 422);
    EXPECT_EQ(bad.content_type, "application/problem+json");
    EXPECT_NE(bad.body.find("ends_at"), std::string::npos);
    EXPECT_EQ(h->call(Method::Post, "/api/v1/events", Role::Editor, {{"title", "x"}}).status, 422);
    // Not for roles without ManageParticipation.
    EXPECT_EQ(h->call(Method::Get, "/api/v1/events", Role::Partner).status, 403);
    EXPECT_EQ(h->call(Method::Delete, fmt::format("/api/v1/events/{}", id), Role::Editor).status, 204);
    EXPECT_EQ(h->call(Method::Get, fmt::format("/api/v1/events/{}", id), Role::Editor).status, 404);
    EXPECT_EQ(h->call(Method::Get, "/api/v1/events/abc", Role::Editor).status, 404);
}

TEST_P(EventsApi, RegistrationWaitingListCancellationAndCheckIn) {
    auto id = create(event_body(1));
    auto a = reg(id, anna);
    ASSERT_EQ(a.status, 201) << a.body;
    EXPECT_EQ(a.json()["status"], "registered");
    auto b = reg(id, ben);
    ASSERT_EQ(b.status, 201);
    EXPECT_EQ(b.json()["status"], "waitlisted");
    auto twice = reg(id, anna);
    EXPECT_EQ(twice.status, 409);
    EXPECT_EQ(twice.content_type, "application/problem+json");
    EXPECT_EQ(reg(id, 999999).status, 422);
    EXPECT_EQ(h->call(Method::Post, fmt::format("/api/v1/events/{}/registrations", id), Role::Editor,
                      {{"citizen_id", "anna"}}).status,
              422);
    auto list = h->call(Method::Get, fmt::format("/api/v1/events/{}/registrations", id), Role::Editor);
    ASSERT_EQ(list.status, 200);
    EXPECT_EQ(list.json()["items"].size(), 2u);
    EXPECT_TRUE(list.json().contains("next_cursor"));
    // Anna cancels: Ben moves up and gets a mail.
    auto rid = a.json()["id"].get<std::int64_t>();
    auto cancel = h->call(Method::Delete, fmt::format("/api/v1/events/{}/registrations/{}", id, rid),
                          Role::Editor);
    ASSERT_EQ(cancel.status, 200) << cancel.body;
    EXPECT_EQ(cancel.json()["status"], "cancelled");
    EXPECT_EQ(h->call(Method::Post, fmt::format("/api/v1/events/{}/registrations/{}/cancel", id, rid),
                      Role::Editor).status,
              409);
    ASSERT_EQ(mails.sent.size(), 1u);
    EXPECT_EQ(mails.sent[0].to_email, "ben@example.org");
    // Check-in by code: 200, then already_checked_in; an unknown code is 404.
    auto code = b.json()["ticket_code"].get<std::string>();
    auto path = fmt::format("/api/v1/events/{}/checkins", id);
    auto first = h->call(Method::Post, path, Role::Editor, {{"ticket_code", code}});
    ASSERT_EQ(first.status, 200) << first.body;
    EXPECT_FALSE(first.json()["already_checked_in"].get<bool>());
    auto again = h->call(Method::Post, path, Role::Editor,
                         {{"registration_id", b.json()["id"]}});
    ASSERT_EQ(again.status, 200);
    EXPECT_TRUE(again.json()["already_checked_in"].get<bool>());
    EXPECT_EQ(h->call(Method::Post, path, Role::Editor, {{"ticket_code", shop::format_code(shop::new_code())}}).status, 404);
    EXPECT_EQ(h->call(Method::Post, path, Role::Editor, json::object()).status, 422);
    // The export: a header and both rows, with the check-in.
    auto csv = h->call(Method::Get, fmt::format("/api/v1/events/{}/participants.csv", id), Role::Editor);
    ASSERT_EQ(csv.status, 200);
    EXPECT_EQ(csv.content_type, "text/csv; charset=utf-8");
    EXPECT_NE(csv.body.find("registration_id,status,first_name"), std::string::npos);
    EXPECT_NE(csv.body.find("ben@example.org"), std::string::npos);
    EXPECT_NE(csv.body.find("cancelled,Anna"), std::string::npos);
    // With registrations, DELETE cancels instead of deleting.
    auto del = h->call(Method::Delete, fmt::format("/api/v1/events/{}", id), Role::Editor);
    ASSERT_EQ(del.status, 200);
    EXPECT_EQ(del.json()["status"], "cancelled");
    EXPECT_EQ(reg(id, h->add_citizen("cem@example.org")).status, 422);
}

TEST_P(EventsApi, MorePlacesByPatchMoveTheWaitingListUp) {
    auto id = create(event_body(1));
    ASSERT_EQ(reg(id, anna).status, 201);
    ASSERT_EQ(reg(id, ben).json()["status"], "waitlisted");
    auto patched = h->call(Method::Patch, fmt::format("/api/v1/events/{}", id), Role::Editor,
                           {{"capacity", 5}});
    ASSERT_EQ(patched.status, 200) << patched.body;
    EXPECT_EQ(patched.json()["registered"], 2);
    EXPECT_EQ(patched.json()["waitlisted"], 0);
    ASSERT_EQ(mails.sent.size(), 1u);
    EXPECT_EQ(mails.sent[0].to_email, "ben@example.org");
}

TEST_P(EventsApi, DepartmentStaffWithoutADepartmentCannotCreate) {
    // An API key of the Department role belongs to no department: its events would be nobody's.
    auto r = h->call(Method::Post, "/api/v1/events", Role::Department, event_body());
    EXPECT_EQ(r.status, 403) << r.body;
    auto id = create(event_body());
    EXPECT_EQ(h->call(Method::Get, fmt::format("/api/v1/events/{}", id), Role::Department).status, 404);
    auto list = h->call(Method::Get, "/api/v1/events", Role::Department);
    ASSERT_EQ(list.status, 200);
    EXPECT_EQ(list.json()["items"].size(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Engines, EventsApi, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::events
