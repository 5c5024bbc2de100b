// The events' pages over the real dispatcher: a signed-in citizen registers, gets a ticket with
// a QR code and a calendar file, cancels after confirming; the admin form shows messages beside
// the fields; the organiser checks people in by code and by name.

#include "events/routes.h"
#include "events/test_fixture.h"
#include "portal/test_support.h"
#include "shop/voucher_code.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <regex>

namespace teilhabe::events {
namespace {

using http::Method;
using staff::Role;

class EventPages : public ::testing::TestWithParam<db::Backend> {
protected:
    void SetUp() override {
        auto all = portal::testing::whole_portal();
        auto mine = routes(mails.mailer());
        all.insert(all.end(), mine.begin(), mine.end());
        h = portal::testing::portal_harness(GetParam(), std::move(all));
        ASSERT_TRUE(h);
        anna = h->add_citizen("anna@musterstadt.example", "Anna");
        portal::testing::add_account(*h, anna, "anna@musterstadt.example", "Sonnenblume 42");
        browser = std::make_unique<web::testing::Browser>(*h);
        portal::testing::sign_in(*browser, "anna@musterstadt.example", "Sonnenblume 42");
    }
    std::int64_t event(const std::string& title, std::optional<int> capacity,
                       const std::string& status = "published") {
        auto start = h->clock().now_ms() + 7LL * 24 * 3600 * 1000;
        nlohmann::json b{{"title", title},
                         {"place", "Stadtpark"},
                         {"starts_at", iso_time(start)},
                         {"ends_at", iso_time(start + 7200'000)},
                         {"status", status}};
        if (capacity)
            b["capacity"] = *capacity;
        auto r = h->call(Method::Post, "/api/v1/events", Role::Editor, b);
        EXPECT_EQ(r.status, 201) << r.body;
        return r.json().value("id", std::int64_t{0});
    }
    web::testing::ApiResponse staff_form(Method m, const std::string& path, const std::string& body) {
        http::Request req;
        req.method = m;
        req.path = req.target = path;
        if (auto q = path.find('?'); q != std::string::npos) {
            req.path = path.substr(0, q);
            req.query = path.substr(q + 1);
        }
        req.headers.push_back({"authorization", "Bearer " + h->key(Role::Editor)});
        req.headers.push_back({"content-type", "application/x-www-form-urlencoded"});
        req.body = body;
        return h->send(req);
    }
    static bool has(const web::testing::ApiResponse& r, const std::string& s) {
        return r.body.find(s) != std::string::npos;
    }
    testing::MailRecorder mails;
    std::unique_ptr<web::testing::ApiHarness> h;
    std::unique_ptr<web::testing::Browser> browser;
    std::int64_t anna{0};
};

TEST_P(EventPages, CitizenRegistersGetsATicketAndCancels) {
    auto id = event("Frühjahrsputz im Stadtpark", 10);
    event("Geheimer Entwurf", 10, "draft");
    auto list = browser->get("/portal/events");
    ASSERT_EQ(list.status, 200) << list.body.substr(0, 400);
    EXPECT_TRUE(has(list, "Frühjahrsputz im Stadtpark"));
    EXPECT_TRUE(has(list, "10 Plätze frei"));
    EXPECT_FALSE(has(list, "Geheimer Entwurf"));
    auto page = browser->get(fmt::format("/portal/events/{}", id));
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(has(page, "Verbindlich anmelden"));
    auto done = browser->post_form(fmt::format("/portal/events/{}", id), "");
    ASSERT_EQ(done.status, 303) << done.body.substr(0, 400);
    auto where = std::string(done.raw.header("location").value_or(""));
    EXPECT_TRUE(where.starts_with("/portal/events/tickets/")) << where;
    auto ticket = browser->get(where);
    where = where.substr(0, where.find('?'));
    ASSERT_EQ(ticket.status, 200);
    EXPECT_TRUE(has(ticket, "<svg"));
    EXPECT_TRUE(has(ticket, "Sie sind angemeldet."));
    std::smatch m;
    ASSERT_TRUE(std::regex_search(ticket.body, m, std::regex("ticket-code\">([0-9A-Z-]+)<")));
    EXPECT_TRUE(shop::normalise_code(m[1].str()));
    // Twice: a clear message, no second registration.
    browser->get(fmt::format("/portal/events/{}", id));
    auto twice = browser->post_form(fmt::format("/portal/events/{}", id), "");
    EXPECT_EQ(twice.status, 409);
    EXPECT_TRUE(has(twice, "bereits angemeldet"));
    // Calendar files: RFC 5545 with CRLF.
    auto ics = browser->get(where + "/calendar.ics");
    ASSERT_EQ(ics.status, 200);
    EXPECT_TRUE(ics.content_type.starts_with("text/calendar"));
    EXPECT_TRUE(has(ics, "BEGIN:VEVENT\r\n"));
    EXPECT_TRUE(has(ics, "SUMMARY:Frühjahrsputz im Stadtpark\r\n"));
    EXPECT_EQ(browser->get(fmt::format("/portal/events/{}/calendar.ics", id)).status, 200);
    // My registrations, then cancelling after the confirmation.
    EXPECT_TRUE(has(browser->get("/portal/events"), "Meine Anmeldungen"));
    auto confirm = browser->get(where + "/cancel");
    ASSERT_EQ(confirm.status, 200);
    EXPECT_TRUE(has(confirm, "wirklich stornieren"));
    auto cancelled = browser->post_form(where + "/cancel", "");
    ASSERT_EQ(cancelled.status, 303);
    browser->get(where + "/cancel");
    auto again = browser->post_form(where + "/cancel", "");
    EXPECT_EQ(again.status, 422);
    EXPECT_TRUE(has(again, "bereits storniert"));
    // Somebody else's ticket, or a draft event: not found.
    EXPECT_EQ(browser->get("/portal/events/tickets/999").status, 404);
    EXPECT_EQ(browser->get(fmt::format("/portal/events/{}", id + 1)).status, 404);
    // Without the form's token: refused.
    EXPECT_EQ(browser->post_raw(fmt::format("/portal/events/{}", id), "").status, 403);
}

TEST_P(EventPages, AdminFormShowsMessagesBesideTheFields) {
    auto empty = h->call(Method::Get, "/admin/events", Role::Editor);
    ASSERT_EQ(empty.status, 200);
    EXPECT_TRUE(has(empty, "noch keine Veranstaltungen"));
    EXPECT_EQ(h->call(Method::Get, "/admin/events/new", Role::Editor).status, 200);
    auto bad = staff_form(Method::Post, "/admin/events/new",
                          "title=&starts_at=2026-10-03T10%3A00&ends_at=2026-10-03T09%3A00&capacity=x");
    ASSERT_EQ(bad.status, 422) << bad.body.substr(0, 400);
    EXPECT_TRUE(has(bad, "id=\"title-error\""));
    EXPECT_TRUE(has(bad, "id=\"ends_at-error\""));
    EXPECT_TRUE(has(bad, "id=\"capacity-error\""));
    auto ok = staff_form(Method::Post, "/admin/events/new",
                         "title=Repair-Caf%C3%A9&place=Stadtteilzentrum&starts_at=2026-10-03T10%3A00"
                         "&ends_at=2026-10-03T13%3A00&capacity=12&waiting_list=yes&points=30&status=published");
    ASSERT_EQ(ok.status, 303) << ok.body.substr(0, 600);
    auto list = h->call(Method::Get, "/api/v1/events", Role::Editor).json();
    ASSERT_EQ(list["items"].size(), 1u);
    EXPECT_EQ(list["items"][0]["title"], "Repair-Café");
    // 10:00 in Berlin in October is 08:00 UTC.
    EXPECT_EQ(list["items"][0]["starts_at"], "2026-10-03T08:00:00.000Z");
    auto id = list["items"][0]["id"].get<std::int64_t>();
    auto edit = h->call(Method::Get, fmt::format("/admin/events/{}", id), Role::Editor);
    EXPECT_TRUE(has(edit, "value=\"2026-10-03T10:00\""));
    auto confirm = h->call(Method::Get, fmt::format("/admin/events/{}/cancel", id), Role::Editor);
    EXPECT_TRUE(has(confirm, "wirklich absagen"));
    auto cancel = staff_form(Method::Post, fmt::format("/admin/events/{}/cancel", id), "");
    EXPECT_EQ(cancel.status, 303);
    EXPECT_EQ(h->call(Method::Get, fmt::format("/api/v1/events/{}", id), Role::Editor).json()["status"],
              "cancelled");
}

TEST_P(EventPages, OrganiserChecksInByCodeAndByName) {
    auto id = event("Erste-Hilfe-Kurs", 2);
    auto r = h->call(Method::Post, fmt::format("/api/v1/events/{}/registrations", id), Role::Editor,
                     {{"citizen_id", anna}});
    ASSERT_EQ(r.status, 201);
    auto code = r.json()["ticket_code"].get<std::string>();
    auto ben = h->add_citizen("ben@musterstadt.example", "Ben");
    auto rb = h->call(Method::Post, fmt::format("/api/v1/events/{}/registrations", id), Role::Editor,
                      {{"citizen_id", ben}});
    ASSERT_EQ(rb.status, 201);
    auto path = fmt::format("/admin/events/{}/checkin", id);
    auto screen = h->call(Method::Get, path, Role::Editor);
    ASSERT_EQ(screen.status, 200);
    EXPECT_TRUE(has(screen, "0 von 2 eingecheckt"));
    EXPECT_TRUE(has(screen, "autofocus"));
    auto first = staff_form(Method::Post, path, "code=" + code);
    ASSERT_EQ(first.status, 200) << first.body.substr(0, 400);
    EXPECT_TRUE(has(first, "Anna ist eingecheckt."));
    EXPECT_TRUE(has(first, "1 von 2 eingecheckt"));
    auto again = staff_form(Method::Post, path, "code=" + code);
    EXPECT_TRUE(has(again, "bereits eingecheckt"));
    auto unknown = staff_form(Method::Post, path, "code=" + shop::new_code());
    EXPECT_EQ(unknown.status, 422);
    EXPECT_TRUE(has(unknown, "Unbekannter Code"));
    auto search = h->call(Method::Get, path + "?q=be", Role::Editor);
    EXPECT_TRUE(has(search, "Ben"));
    EXPECT_FALSE(has(search, "Anna</span>"));
    auto by_name = staff_form(Method::Post, path,
                              fmt::format("registration_id={}", rb.json()["id"].get<std::int64_t>()));
    EXPECT_TRUE(has(by_name, "Ben ist eingecheckt."));
    auto participants = h->call(Method::Get, fmt::format("/admin/events/{}/participants", id), Role::Editor);
    EXPECT_EQ(participants.status, 200);
    EXPECT_TRUE(has(participants, "Warteliste"));
    auto csv = h->call(Method::Get, fmt::format("/admin/events/{}/participants.csv", id), Role::Editor);
    EXPECT_EQ(csv.status, 200);
    EXPECT_TRUE(has(csv, "ben@musterstadt.example"));
}

// The confirmation says how many people will be told; cancelling tells each of them once.
TEST_P(EventPages, CancellingAnEventSaysWhoIsToldAndTellsThem) {
    auto id = event("Lichterfest", 1);
    auto ben = h->add_citizen("ben@musterstadt.example", "Ben");
    for (auto who : {anna, ben})
        ASSERT_EQ(h->call(Method::Post, fmt::format("/api/v1/events/{}/registrations", id),
                          Role::Editor, {{"citizen_id", who}})
                      .status,
                  201);
    auto confirm = h->call(Method::Get, fmt::format("/admin/events/{}/cancel", id), Role::Editor);
    ASSERT_EQ(confirm.status, 200);
    EXPECT_TRUE(has(confirm, "Alle 2 angemeldeten oder wartenden Personen erhalten eine E-Mail"))
        << confirm.body;
    EXPECT_TRUE(has(confirm, "name=\"csrf\""));
    mails.sent.clear();
    auto cancel = staff_form(Method::Post, fmt::format("/admin/events/{}/cancel", id), "");
    EXPECT_EQ(cancel.status, 303);
    ASSERT_EQ(mails.sent.size(), 2u);
    for (const auto& m : mails.sent)
        EXPECT_EQ(m.kind, PromotionMail::Kind::EventCancelled);
    // Cancelled already: the page says so, and a second post tells nobody again.
    auto after = h->call(Method::Get, fmt::format("/admin/events/{}/cancel", id), Role::Editor);
    EXPECT_FALSE(has(after, "erhalten eine E-Mail"));
    EXPECT_EQ(staff_form(Method::Post, fmt::format("/admin/events/{}/cancel", id), "").status, 303);
    EXPECT_EQ(mails.sent.size(), 2u);
    // The API's DELETE of an event with registrations cancels it the same way (nobody twice).
    auto other = event("Sommerfest", 5);
    ASSERT_EQ(h->call(Method::Post, fmt::format("/api/v1/events/{}/registrations", other),
                      Role::Editor, {{"citizen_id", ben}})
                  .status,
              201);
    EXPECT_EQ(h->call(Method::Delete, fmt::format("/api/v1/events/{}", other), Role::Editor).status,
              200);
    ASSERT_EQ(mails.sent.size(), 3u);
    EXPECT_EQ(mails.sent[2].to_email, "ben@musterstadt.example");
    // And PATCH {"status": "cancelled"}.
    auto third = event("Herbstmarkt", 5);
    ASSERT_EQ(h->call(Method::Post, fmt::format("/api/v1/events/{}/registrations", third),
                      Role::Editor, {{"citizen_id", anna}})
                  .status,
              201);
    auto patched = h->call(Method::Patch, fmt::format("/api/v1/events/{}", third), Role::Editor,
                           {{"status", "cancelled"}});
    ASSERT_EQ(patched.status, 200) << patched.body;
    EXPECT_EQ(patched.json()["status"], "cancelled");
    ASSERT_EQ(mails.sent.size(), 4u);
    EXPECT_EQ(mails.sent[3].to_email, "anna@musterstadt.example");
}

// A person deleting their account in the portal (GDPR Art. 17) frees their place: the route
// passes the application's BeforeErasure step on, and the first waiting person moves up.
TEST_P(EventPages, DeletingTheAccountFreesThePlaceForTheWaitingList) {
    h->context().before_erasure = [this](db::Connection& c, std::int64_t citizen,
                                         const std::string& actor) -> Result<void> {
        TRY(store::release_places_of(c, citizen, actor, h->clock(), mails.mailer()));
        return {};
    };
    auto id = event("Stadtführung", 1);
    auto ben = h->add_citizen("ben@musterstadt.example", "Ben");
    for (auto who : {anna, ben})
        ASSERT_EQ(h->call(Method::Post, fmt::format("/api/v1/events/{}/registrations", id),
                          Role::Editor, {{"citizen_id", who}})
                      .status,
                  201);
    browser->get("/portal/privacy/delete");
    auto gone = browser->post_form("/portal/privacy/delete", "password=Sonnenblume+42");
    ASSERT_EQ(gone.status, 303) << gone.body.substr(0, 400);
    auto regs = h->call(Method::Get, fmt::format("/api/v1/events/{}/registrations", id),
                        Role::Editor).json()["items"];
    ASSERT_EQ(regs.size(), 2u);
    EXPECT_EQ(regs[0]["status"], "cancelled") << "Anna's place, freed";
    EXPECT_EQ(regs[1]["status"], "registered") << "Ben moved up";
    ASSERT_EQ(mails.sent.size(), 1u);
    EXPECT_EQ(mails.sent[0].kind, PromotionMail::Kind::Promoted);
    EXPECT_EQ(mails.sent[0].to_email, "ben@musterstadt.example");
}

INSTANTIATE_TEST_SUITE_P(Engines, EventPages, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::events
