// Campaigns through the real dispatcher, the outbox and a real SMTP server, on SQLite and
// PostgreSQL: the audience (confirmed, not restricted), each person once, pause, cancel,
// scheduling with the injected clock, finishing, preview, tracked links and the report.

#include "campaigns/campaign_source.h"
#include "campaigns/click_recorder.h"
#include "campaigns/lifecycle.h"
#include "campaigns/routes.h"
#include "campaigns/test_fixture.h"
#include "campaigns/tracking.h"
#include "consent/service.h"
#include "consent/unsubscribe.h"
#include "delivery/sender.h"
#include "delivery/smtp_client.h"
#include "delivery/smtp_test_server.h"
#include "jobs/job_store.h"

#include <gtest/gtest.h>

namespace teilhabe::campaigns {
namespace {

using http::Method;
using staff::Role;
using testing::kSecret;

class CampaignApiTest : public testing::CampaignTest {};

TEST_P(CampaignApiTest, DraftsAreCreatedChangedAndDeleted) {
    auto k = draft();
    EXPECT_EQ(k["status"], "draft");
    EXPECT_EQ(k["name"], "Hallo {{first_name}}");
    EXPECT_EQ(k["topics"], nlohmann::json({"kultur", "umwelt"}));

    auto bad_topic = create({{"subject", "x"}, {"topics", {"nirgends"}}});
    EXPECT_EQ(bad_topic.status, 422);
    EXPECT_EQ(bad_topic.json()["errors"][0]["field"], "topics") << bad_topic.body;
    EXPECT_EQ(count("SELECT COUNT(*) FROM campaigns"), 1); // nothing half-written

    auto changed = h->call(Method::Patch, path(k), Role::Editor, {{"subject", "Neu"}, {"topics", {"umwelt"}}});
    ASSERT_EQ(changed.status, 200) << changed.body;
    EXPECT_EQ(changed.json()["subject"], "Neu");
    EXPECT_EQ(changed.json()["topics"], nlohmann::json({"umwelt"}));

    EXPECT_EQ(h->call(Method::Get, "/api/v1/campaigns", Role::Analyst).json()["items"].size(), 1u);
    EXPECT_EQ(h->call(Method::Post, "/api/v1/campaigns", Role::Analyst, {{"subject", "x"}}).status, 403);
    EXPECT_EQ(h->call(Method::Delete, path(k), Role::Editor).status, 204);
    EXPECT_EQ(h->call(Method::Get, path(k), Role::Editor).status, 404);
}

TEST_P(CampaignApiTest, SendingQueuesEachConfirmedUnrestrictedSubscriberOnce) {
    auto both = h->add_citizen("both@example.org", "Anna");
    consent(both, kultur);
    consent(both, umwelt); // two topics, one message
    auto pending = h->add_citizen("pending@example.org");
    consent(pending, kultur, "pending");
    auto withdrawn = h->add_citizen("withdrawn@example.org");
    consent(withdrawn, umwelt, "withdrawn");
    auto restricted = h->add_citizen("restricted@example.org");
    consent(restricted, kultur);
    exec("UPDATE citizens SET restricted_at = 1 WHERE id = ?", {restricted});
    auto other = h->add_citizen("other@example.org");
    consent(other, umwelt);

    auto k = draft();
    auto sent = h->call(Method::Post, path(k, "/send"), Role::Editor);
    ASSERT_EQ(sent.status, 202) << sent.body;
    EXPECT_EQ(sent.json()["status"], "sending");
    EXPECT_EQ(count("SELECT COUNT(*) FROM outbox WHERE kind = 'campaign'"), 2);
    EXPECT_EQ(count("SELECT COUNT(*) FROM outbox WHERE email IN ('both@example.org', 'other@example.org')"), 2);

    auto again = h->call(Method::Post, path(k, "/send"), Role::Editor);
    EXPECT_EQ(again.status, 409);
    EXPECT_EQ(count("SELECT COUNT(*) FROM outbox"), 2);

    auto report = h->call(Method::Get, path(k, "/report"), Role::Analyst);
    ASSERT_EQ(report.status, 200) << report.body;
    EXPECT_EQ(report.json()["total"], 2);
    EXPECT_EQ(report.json()["queued"], 2);
}

// Segments (issue 6): topics ∩ members; a segment alone reaches its members who confirmed some
// topic, never one without consent. A segment in use cannot be deleted.
TEST_P(CampaignApiTest, SegmentNarrowsTheTopicsAndAloneNeedsAConfirmedTopic) {
    auto in_kultur = h->add_citizen("in-kultur@example.org");
    consent(in_kultur, kultur);
    auto in_umwelt = h->add_citizen("in-umwelt@example.org");
    consent(in_umwelt, umwelt);
    auto in_pending = h->add_citizen("in-pending@example.org");
    consent(in_pending, kultur, "pending");
    auto out_kultur = h->add_citizen("out-kultur@example.org");
    consent(out_kultur, kultur);
    exec("INSERT INTO segments (key, name, rule, status, created_at, updated_at) VALUES ('nord', 'Nord', "
         "'{\"tag\":\"nord\"}', 'live', 0, 0)");
    auto segment = count("SELECT id FROM segments WHERE key = 'nord'");
    for (auto who : {in_kultur, in_umwelt, in_pending})
        exec("INSERT INTO segment_members (segment_id, citizen_id, entered_at) VALUES (?, ?, 0)", {segment, who});

    auto both = create({{"subject", "Kultur im Norden"}, {"body_markdown", "Text"}, {"topics", {"kultur"}},
                        {"segment_id", segment}});
    ASSERT_EQ(both.status, 201) << both.body;
    EXPECT_EQ(both.json()["segment_id"], segment);
    ASSERT_EQ(h->call(Method::Post, path(both.json(), "/send"), Role::Editor).status, 202);
    EXPECT_EQ(count("SELECT COUNT(*) FROM outbox WHERE campaign_id = " + std::to_string(both.json()["id"].get<int>())), 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM outbox WHERE email = 'in-kultur@example.org'"), 1);

    auto alone = create({{"subject", "Alle im Norden"}, {"body_markdown", "Text"}, {"segment_id", segment}});
    ASSERT_EQ(alone.status, 201) << alone.body;
    ASSERT_EQ(h->call(Method::Post, path(alone.json(), "/send"), Role::Editor).status, 202);
    auto id = std::to_string(alone.json()["id"].get<int>());
    EXPECT_EQ(count("SELECT COUNT(*) FROM outbox WHERE campaign_id = " + id), 2);
    EXPECT_EQ(count("SELECT COUNT(*) FROM outbox WHERE campaign_id = " + id + " AND email = 'in-pending@example.org'"), 0);

    auto unknown = create({{"subject", "x"}, {"segment_id", segment + 100}});
    EXPECT_EQ(unknown.status, 422);
    EXPECT_EQ(unknown.json()["errors"][0]["field"], "segment_id");
}

TEST_P(CampaignApiTest, CampaignWithoutTopicsIsNotSent) {
    auto r = create({{"subject", "Ohne"}, {"body_markdown", "Text"}});
    ASSERT_EQ(r.status, 201);
    auto sent = h->call(Method::Post, path(r.json(), "/send"), Role::Editor);
    EXPECT_EQ(sent.status, 422);
    EXPECT_EQ(sent.json()["errors"][0]["field"], "topics");
    EXPECT_EQ(h->call(Method::Get, path(r.json()), Role::Editor).json()["status"], "draft");
}

TEST_P(CampaignApiTest, ScheduledCampaignStartsWhenItsTimeComes) {
    auto p = h->add_citizen("p@example.org", "Paul");
    consent(p, umwelt);
    h->clock().set(from_unix_ms(1'800'000'000'000));
    auto r = create({{"subject", "Später"},
                     {"body_markdown", "Text"},
                     {"topics", {"umwelt"}},
                     {"scheduled_at", format_iso8601(from_unix_ms(1'800'000'000'000 + 3'600'000))}});
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.json()["status"], "scheduled");
    auto id = r.json()["id"].get<std::int64_t>();
    auto start = [&] {
        auto ok = h->db().transaction(db::TxMode::Write, [&](db::Connection& c) { return run_start(c, id, h->clock()); });
        ASSERT_TRUE(ok) << ok.error().message;
    };
    start(); // too early: nothing
    EXPECT_EQ(count("SELECT COUNT(*) FROM outbox"), 0);
    h->clock().advance(std::chrono::hours(1));
    start();
    EXPECT_EQ(count("SELECT COUNT(*) FROM outbox"), 1);
    EXPECT_EQ(h->call(Method::Get, path(r.json()), Role::Editor).json()["status"], "sending");
    start(); // a repeated job changes nothing
    EXPECT_EQ(count("SELECT COUNT(*) FROM outbox"), 1);
}

TEST_P(CampaignApiTest, PauseHoldsCancelStopsAndWatchFinishes) {
    for (int i = 0; i < 3; ++i)
        consent(h->add_citizen("p" + std::to_string(i) + "@example.org"), kultur);
    auto k = draft();
    ASSERT_EQ(h->call(Method::Post, path(k, "/send"), Role::Editor).status, 202);
    ASSERT_EQ(h->call(Method::Post, path(k, "/pause"), Role::Editor).status, 200);
    auto rows = h->db().transaction(db::TxMode::Read, [&](db::Connection& c) {
        return c.query("SELECT id, campaign_id, citizen_id, email FROM outbox ORDER BY id");
    });
    ASSERT_TRUE(rows);
    delivery::OutboxRow row;
    row.id = rows->rows[0].get_int(0);
    row.kind = delivery::OutboxKind::Campaign;
    row.campaign_id = rows->rows[0].get_int(1);
    row.citizen_id = rows->rows[0].get_int(2);
    row.email = rows->rows[0].get_text(3);
    auto held = source->produce(row);
    ASSERT_TRUE(held);
    EXPECT_EQ(held->action, delivery::Produced::Action::Hold);
    EXPECT_EQ(h->call(Method::Post, path(k, "/pause"), Role::Editor).status, 409);
    ASSERT_EQ(h->call(Method::Post, path(k, "/resume"), Role::Editor).status, 200);
    EXPECT_EQ(source->produce(row)->action, delivery::Produced::Action::Send);

    auto cancelled = h->call(Method::Post, path(k, "/cancel"), Role::Editor);
    ASSERT_EQ(cancelled.status, 200) << cancelled.body;
    EXPECT_EQ(count("SELECT COUNT(*) FROM outbox WHERE state = 'cancelled'"), 3);
    auto skipped = source->produce(row);
    EXPECT_EQ(skipped->action, delivery::Produced::Action::Skip);
    EXPECT_EQ(h->call(Method::Post, path(k, "/resume"), Role::Editor).status, 409);
}

TEST_P(CampaignApiTest, WatchFinishesWhenEveryRecipientIsDone) {
    consent(h->add_citizen("a@example.org"), kultur);
    auto k = draft();
    ASSERT_EQ(h->call(Method::Post, path(k, "/send"), Role::Editor).status, 202);
    auto id = k["id"].get<std::int64_t>();
    auto watch = [&] {
        auto ok = h->db().transaction(db::TxMode::Write, [&](db::Connection& c) { return run_watch(c, id, h->clock()); });
        ASSERT_TRUE(ok) << ok.error().message;
    };
    watch();
    EXPECT_EQ(h->call(Method::Get, path(k), Role::Editor).json()["status"], "sending");
    exec("UPDATE outbox SET state = 'sent'");
    watch();
    auto done = h->call(Method::Get, path(k), Role::Editor).json();
    EXPECT_EQ(done["status"], "finished");
    EXPECT_FALSE(done["finished_at"].is_null());
}

TEST_P(CampaignApiTest, MessagesArePersonalisedWithUnsubscribeAndTrackOnlyWithConsent) {
    auto tracked = h->add_citizen("tracked@example.org", "Tina");
    consent(tracked, umwelt);
    tracking(tracked);
    auto plain = h->add_citizen("plain@example.org", "Paul");
    consent(plain, umwelt);
    auto k = draft();
    auto id = k["id"].get<std::int64_t>();

    auto as_tina = h->call(Method::Get, path(k, "/preview?citizen_id=" + std::to_string(tracked)), Role::Editor);
    ASSERT_EQ(as_tina.status, 200) << as_tina.body;
    EXPECT_EQ(as_tina.json()["subject"], "Hallo Tina");
    auto html = as_tina.json()["html"].get<std::string>();
    EXPECT_NE(html.find("https://stadt.example/r/"), std::string::npos);
    EXPECT_EQ(html.find("https://musterstadt.example/putz"), std::string::npos);

    auto as_paul = h->call(Method::Get, path(k, "/preview?citizen_id=" + std::to_string(plain)), Role::Editor);
    ASSERT_EQ(as_paul.status, 200);
    EXPECT_EQ(as_paul.json()["subject"], "Hallo Paul");
    EXPECT_NE(as_paul.json()["html"].get<std::string>().find("https://musterstadt.example/putz"), std::string::npos);
    EXPECT_EQ(as_paul.json()["html"].get<std::string>().find("/r/"), std::string::npos);
    EXPECT_NE(as_paul.json()["text"].get<std::string>().find("https://stadt.example/unsubscribe/"), std::string::npos);

    // The redirect of Tina's link records the click for the report, once per click.
    auto token = read_click_token(kSecret, html.substr(html.find("/r/") + 3, html.find('"', html.find("/r/")) - html.find("/r/") - 3));
    ASSERT_TRUE(token);
    EXPECT_EQ(token->campaign_id, id);
    EXPECT_EQ(token->topic, "umwelt");
    auto click = h->call_anonymous(Method::Get, "/r/" + make_click_token(kSecret, *token));
    EXPECT_EQ(click.status, 302);
    EXPECT_EQ(click.raw.header("location").value_or(""), "https://musterstadt.example/putz");
    EXPECT_EQ(count("SELECT COUNT(*) FROM activities WHERE type = 'email.clicked' AND object = 'topic:umwelt'"), 1);
    // Withdrawn tracking consent: still redirected, no longer recorded.
    exec("UPDATE consents SET status = 'withdrawn' WHERE subject = 'tracking'");
    EXPECT_EQ(h->call_anonymous(Method::Get, "/r/" + make_click_token(kSecret, *token)).status, 302);
    EXPECT_EQ(count("SELECT COUNT(*) FROM activities WHERE type = 'email.clicked'"), 1);
    EXPECT_EQ(h->call_anonymous(Method::Get, "/r/forged.token").status, 404);

    auto report = h->call(Method::Get, path(k, "/report"), Role::Editor).json();
    EXPECT_EQ(report["people_clicked"], 1);
    EXPECT_EQ(report["clicks_per_topic"]["umwelt"], 1);
}

TEST_P(CampaignApiTest, CampaignReachesARealSmtpServerWithOneClickUnsubscribe) {
    delivery::testing::SmtpTestServer smtp;
    ASSERT_TRUE(smtp.ok());
    auto anna = h->add_citizen("anna@example.org", "Anna");
    consent(anna, kultur);
    auto gone = h->add_citizen("gone@example.org", "Gone");
    consent(gone, kultur);
    auto k = draft();
    ASSERT_EQ(h->call(Method::Post, path(k, "/send"), Role::Editor).status, 202);
    // Withdrawn after queueing: takes effect with the next message.
    exec("UPDATE consents SET status = 'withdrawn' WHERE citizen_id = ?", {gone});

    delivery::Sender sender(
        h->db(), h->clock(),
        [s = *delivery::parse_smtp_url(smtp.url())] { return std::make_unique<delivery::SmtpClient>(s); },
        {.worker_id = "test", .connections = 1, .fallback_from = "bounce@musterstadt.example"});
    sender.register_source(delivery::OutboxKind::Campaign, *source);
    ASSERT_TRUE(sender.run_until_idle());
    auto got = smtp.received();
    ASSERT_EQ(got.size(), 1u);
    auto data = got[0]["data"].get<std::string>();
    // Header fields may be folded (RFC 5322 2.2.3): unfold before looking.
    for (auto pos = data.find("\r\n "); pos != std::string::npos; pos = data.find("\r\n ", pos))
        data.erase(pos, 2);
    for (auto pos = data.find("\n "); pos != std::string::npos; pos = data.find("\n ", pos))
        data.erase(pos, 1);
    EXPECT_NE(data.find("List-Unsubscribe-Post: List-Unsubscribe=One-Click"), std::string::npos);
    EXPECT_NE(data.find("List-Unsubscribe: <https://stadt.example/unsubscribe/"), std::string::npos);
    EXPECT_EQ(count("SELECT COUNT(*) FROM outbox WHERE state = 'sent'"), 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM outbox WHERE state = 'cancelled'"), 1);
}

TEST_P(CampaignApiTest, ClickRecorderWritesClicksInOneBatchAndOnlyWithConsent) {
    auto tracked = h->add_citizen("t@example.org");
    consent(tracked, umwelt);
    tracking(tracked);
    auto untracked = h->add_citizen("u@example.org");
    consent(untracked, umwelt);
    auto id = draft()["id"].get<std::int64_t>();
    ClickRecorder recorder(h->db(), h->clock());
    h->context().clicks = &recorder;
    for (int i = 0; i < 3; ++i) {
        auto r = h->call_anonymous(Method::Get,
                                   "/r/" + make_click_token(kSecret, {id, tracked, "https://a.example/", "umwelt"}));
        EXPECT_EQ(r.status, 302);
        // The lean path (web/route.h): no anonymous CSRF cookie, no referrer passed on.
        EXPECT_FALSE(r.raw.header("Set-Cookie"));
        EXPECT_EQ(r.raw.header("Referrer-Policy").value_or(""), "no-referrer");
        EXPECT_EQ(r.raw.header("Location").value_or(""), "https://a.example/");
    }
    h->call_anonymous(Method::Get, "/r/" + make_click_token(kSecret, {id, untracked, "https://a.example/", ""}));
    // A token that is not ours goes the full way: the 404 page, nothing queued.
    auto forged = h->call_anonymous(Method::Get, "/r/" + make_click_token("another secret", {id, tracked, "https://evil.example/", ""}));
    EXPECT_EQ(forged.status, 404);
    EXPECT_FALSE(forged.raw.header("Location"));
    EXPECT_EQ(count("SELECT COUNT(*) FROM activities WHERE type = 'email.clicked'"), 0); // not yet: the redirect wrote nothing
    auto written = recorder.flush();
    ASSERT_TRUE(written) << written.error().message;
    EXPECT_EQ(*written, 3u);
    EXPECT_EQ(count("SELECT COUNT(*) FROM activities WHERE type = 'email.clicked'"), 3);
    EXPECT_EQ(count("SELECT COUNT(*) FROM activities WHERE type = 'email.clicked' AND object = 'topic:umwelt' AND "
                    "citizen_id = " + std::to_string(tracked)),
              3);
    EXPECT_EQ(*recorder.flush(), 0u);
    // Consent is looked up once per batch, not remembered beyond it: withdrawn, no longer written.
    exec("UPDATE consents SET status = 'withdrawn' WHERE subject = 'tracking'");
    h->call_anonymous(Method::Get, "/r/" + make_click_token(kSecret, {id, tracked, "https://a.example/", "umwelt"}));
    EXPECT_EQ(*recorder.flush(), 0u);
    EXPECT_EQ(count("SELECT COUNT(*) FROM activities WHERE type = 'email.clicked'"), 3);
    h->context().clicks = nullptr;
}

// The recorder writes a batch with multi-row statements of 32 rows: 75 clicks of three
// people (one without tracking consent) cross two statement boundaries; every counted click is
// one row and one activity, in order, with its own link.
TEST_P(CampaignApiTest, ClickRecorderWritesLargeBatchesRowForRow) {
    auto a = h->add_citizen("a@example.org");
    auto b = h->add_citizen("b@example.org");
    auto quiet = h->add_citizen("q@example.org");
    for (auto p : {a, b, quiet})
        consent(p, umwelt);
    tracking(a);
    tracking(b);
    auto id = draft()["id"].get<std::int64_t>();
    ClickRecorder recorder(h->db(), h->clock());
    for (int i = 0; i < 75; ++i) { // a, b, quiet, a, b, quiet, …; topic on odd links
        auto who = i % 3 == 0 ? a : i % 3 == 1 ? b : quiet;
        recorder.add({id, who, "https://a.example/" + std::to_string(i), i % 2 ? "umwelt" : ""});
    }
    auto written = recorder.flush();
    ASSERT_TRUE(written) << written.error().message;
    EXPECT_EQ(*written, 50u);
    EXPECT_EQ(count("SELECT COUNT(*) FROM activities WHERE type = 'email.clicked'"), 50);
    EXPECT_EQ(count("SELECT COUNT(*) FROM activities WHERE type = 'email.clicked' AND citizen_id = " +
                    std::to_string(quiet)),
              0);
    // Row for row: the click of link 73 (person b, topic umwelt) is its activity.
    EXPECT_EQ(count("SELECT COUNT(*) FROM activities WHERE object = 'topic:umwelt' AND props LIKE "
                    "'%https://a.example/73\"%' AND citizen_id = " + std::to_string(b)),
              1);
    // The props are the JSON a document would give, escapes included.
    recorder.add({id, a, "https://a.example/?q=\"x\"\\", "umwelt"});
    ASSERT_EQ(*recorder.flush(), 1u);
    auto props = h->db().transaction(db::TxMode::Read, [](db::Connection& c) {
        return c.query_one("SELECT props FROM activities ORDER BY id DESC LIMIT 1");
    });
    ASSERT_TRUE(props) << props.error().message;
    EXPECT_EQ(props->get_text(0),
              nlohmann::json({{"campaign_id", id}, {"topic", "umwelt"}, {"url", "https://a.example/?q=\"x\"\\"}}).dump());
    // Plain addresses are copied, others escaped: byte for byte the same either way.
    for (std::string url : {"https://a.example/plain?a=1&b=2", "https://a.example/stra\u00dfe", "https://a.example/\ttab",
                            "https://a.example/~x%20y"}) {
        for (std::string topic : {"", "umwelt"}) {
            recorder.add({id, a, url, topic});
            ASSERT_EQ(*recorder.flush(), 1u);
            auto got = h->db().transaction(db::TxMode::Read, [](db::Connection& c) {
                return c.query_one("SELECT props FROM activities ORDER BY id DESC LIMIT 1");
            });
            ASSERT_TRUE(got) << got.error().message;
            auto want = topic.empty() ? nlohmann::json({{"campaign_id", id}, {"url", url}})
                                      : nlohmann::json({{"campaign_id", id}, {"topic", topic}, {"url", url}});
            EXPECT_EQ(got->get_text(0), want.dump()) << url;
        }
    }
    EXPECT_EQ(count("SELECT COUNT(*) FROM activities WHERE object = 'campaign:" + std::to_string(id) +
                    "' AND props LIKE '%https://a.example/72\"%' AND citizen_id = " + std::to_string(a)),
              1);
}

TEST_P(CampaignApiTest, UnsubscribesThroughTheCampaignCountInItsReport) {
    auto p = h->add_citizen("leaving@example.org");
    consent(p, umwelt);
    auto k = draft();
    auto id = k["id"].get<std::int64_t>();
    ASSERT_EQ(h->call(Method::Post, path(k, "/send"), Role::Editor).status, 202);
    // As the one-click POST and the unsubscribe page do it with the token of the campaign's mail.
    auto claim = consent::verify_unsubscribe_token(kSecret, consent::unsubscribe_token(kSecret, p, id, {umwelt}));
    ASSERT_TRUE(claim);
    auto done = h->db().transaction(db::TxMode::Write, [&](db::Connection& c) {
        return consent::unsubscribe(c, *claim, consent::Scope::MailTopics, consent::Via::OneClick, {}, h->clock());
    });
    ASSERT_TRUE(done) << done.error().message;
    EXPECT_EQ(*done, 1);
    EXPECT_EQ(h->call(Method::Get, path(k, "/report"), Role::Editor).json()["unsubscribes"], 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, CampaignApiTest, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::campaigns
