// The consent store on SQLite and PostgreSQL: request, confirm, withdraw with proof and
// history; what the campaign sender asks (tracking_allowed, confirmed_topics, the audience).

#include "consent/consent_store.h"
#include "consent/service.h"
#include "consent/test_fixture.h"

namespace teilhabe::consent {
namespace {

using testing::ConsentTest;

class ConsentStoreTest : public ConsentTest {
protected:
    template <class F> auto tx(F&& f) { return m_t->db->transaction(db::TxMode::Write, f); }
    std::int64_t citizen(const std::string& email) {
        exec("INSERT INTO citizens (email, created_at, updated_at) VALUES (?, 0, 0)", {email});
        return scalar("SELECT id FROM citizens WHERE email = ?", {email});
    }
};

TEST_P(ConsentStoreTest, RequestConfirmWithdrawKeepsProofAndHistory) {
    auto anna = citizen("anna@example.org");
    Proof asked{1000, "203.0.113.5", "Firefox", "https://www.stadt.example/nl"};
    Proof clicked{2000, "203.0.113.6", "Chrome", ""};
    auto id = tx([&](db::Connection& c) -> Result<std::optional<std::int64_t>> {
        auto text = TRY(store::current_text(c, TextKind::Newsletter));
        return store::request(c, anna, topic_subject(kultur), kultur, text.id, Via::Form, asked);
    });
    ASSERT_TRUE(id && *id) << id.error().message;
    auto none = tx([&](db::Connection& c) { return store::confirmed_topics(c, anna); });
    EXPECT_TRUE(none->empty()); // pending is not consent
    auto done = tx([&](db::Connection& c) { return store::confirm(c, {**id}, Via::EmailLink, clicked); });
    ASSERT_TRUE(done);
    EXPECT_EQ(done->size(), 1u);
    auto consents = tx([&](db::Connection& c) { return store::consents_of(c, anna); });
    ASSERT_EQ(consents->size(), 1u);
    const auto& k = consents->front();
    EXPECT_EQ(k.status, Status::Confirmed);
    EXPECT_EQ(k.requested.ip, "203.0.113.5");
    EXPECT_EQ(k.requested.user_agent, "Firefox");
    EXPECT_EQ(k.requested.form_url, "https://www.stadt.example/nl");
    ASSERT_TRUE(k.confirmed);
    EXPECT_EQ(k.confirmed->at, 2000);
    EXPECT_EQ(k.confirmed->ip, "203.0.113.6");
    auto topics = tx([&](db::Connection& c) { return store::confirmed_topics(c, anna); });
    EXPECT_EQ(*topics, std::vector<std::int64_t>{kultur});
    // Asking again while confirmed changes nothing.
    auto again = tx([&](db::Connection& c) {
        return store::request(c, anna, topic_subject(kultur), kultur, k.consent_text_id, Via::Form, asked);
    });
    EXPECT_FALSE(*again);
    auto withdrawn = tx([&](db::Connection& c) {
        return store::withdraw(c, anna, topic_subject(kultur), Via::OneClick, Proof{3000, "ip", "ua", ""});
    });
    EXPECT_TRUE(*withdrawn);
    EXPECT_TRUE(tx([&](db::Connection& c) { return store::confirmed_topics(c, anna); })->empty());
    auto events = tx([&](db::Connection& c) { return store::events_of(c, anna); });
    ASSERT_EQ(events->size(), 3u);
    EXPECT_EQ((*events)[0].action, "requested");
    EXPECT_EQ((*events)[1].action, "confirmed");
    EXPECT_EQ((*events)[2].action, "withdrawn");
    EXPECT_EQ((*events)[2].via, "one_click");
}

TEST_P(ConsentStoreTest, TrackingNeedsConfirmedConsentAndNoRestriction) {
    auto anna = citizen("anna@example.org");
    EXPECT_FALSE(*tx([&](db::Connection& c) { return store::tracking_allowed(c, anna); }));
    auto granted = tx([&](db::Connection& c) -> Result<bool> {
        auto text = TRY(store::current_text(c, TextKind::Tracking));
        return store::grant(c, anna, kTrackingSubject, std::nullopt, text.id,
                            Via::PreferenceCentre, Proof{1, "ip", "ua", ""});
    });
    ASSERT_TRUE(granted && *granted);
    EXPECT_TRUE(*tx([&](db::Connection& c) { return store::tracking_allowed(c, anna); }));
    exec("UPDATE citizens SET restricted_at = 5 WHERE id = ?", {anna});
    EXPECT_FALSE(*tx([&](db::Connection& c) { return store::tracking_allowed(c, anna); }));
}

// The audience query documented in consent_store.h, for the campaign sender.
TEST_P(ConsentStoreTest, AudienceIsConfirmedSubscribersOfTheTopicsWithoutRestrictedPeople) {
    auto anna = citizen("anna@example.org");
    auto bob = citizen("bob@example.org");
    auto cleo = citizen("cleo@example.org");
    auto dora = citizen("dora@example.org");
    auto ok = tx([&](db::Connection& c) -> Result<void> {
        auto text = TRY(store::current_text(c, TextKind::Newsletter));
        Proof p{1, "ip", "ua", ""};
        TRY(store::grant(c, anna, topic_subject(kultur), kultur, text.id, Via::Staff, p));
        TRY(store::grant(c, anna, topic_subject(umwelt), umwelt, text.id, Via::Staff, p));
        TRY(store::request(c, bob, topic_subject(kultur), kultur, text.id, Via::Form, p));
        TRY(store::grant(c, cleo, topic_subject(umwelt), umwelt, text.id, Via::Staff, p));
        TRY(store::grant(c, dora, topic_subject(kultur), kultur, text.id, Via::Staff, p));
        return {};
    });
    ASSERT_TRUE(ok) << ok.error().message;
    exec("UPDATE citizens SET restricted_at = 5 WHERE id = ?", {dora});
    auto rows = tx([&](db::Connection& c) {
        return c.query("SELECT DISTINCT s.citizen_id FROM consents s JOIN citizens c ON c.id = "
                       "s.citizen_id WHERE s.topic_id IN (?, ?) AND s.status = 'confirmed' AND "
                       "c.restricted_at IS NULL ORDER BY 1",
                       {kultur, umwelt});
    });
    ASSERT_TRUE(rows);
    std::vector<std::int64_t> ids;
    for (const auto& r : rows->rows)
        ids.push_back(r.get_int(0));
    EXPECT_EQ(ids, (std::vector<std::int64_t>{anna, cleo}));
}

TEST_P(ConsentStoreTest, EditingATextMakesANewVersionAndOldConsentsKeepTheirs) {
    auto first = tx([&](db::Connection& c) { return store::current_text(c, TextKind::Newsletter); });
    ASSERT_TRUE(first);
    EXPECT_EQ(first->version, 1);
    auto second = tx([&](db::Connection& c) {
        return store::add_text_version(c, TextKind::Newsletter, "Neu", "New", "staff:1", "ip", clock);
    });
    ASSERT_TRUE(second) << second.error().message;
    EXPECT_EQ(second->version, 2);
    EXPECT_EQ(tx([&](db::Connection& c) { return store::current_text(c, TextKind::Newsletter); })->text_de, "Neu");
    EXPECT_EQ(tx([&](db::Connection& c) { return store::find_text(c, first->id); })->value().text_de,
              first->text_de);
    auto empty = tx([&](db::Connection& c) {
        return store::add_text_version(c, TextKind::Newsletter, "", "x", "staff:1", "ip", clock);
    });
    EXPECT_FALSE(empty);
}

INSTANTIATE_TEST_SUITE_P(Backends, ConsentStoreTest, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::consent
