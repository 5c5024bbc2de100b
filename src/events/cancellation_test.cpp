// Places given up for others, on both engines: cancelling a whole event tells everyone
// registered or waiting (once, not those who cancelled before), and the erasure of a person
// (GDPR Art. 17) frees their places in future events for the waiting list, while their past
// registrations stay anonymised for the statistics.

#include "events/test_fixture.h"
#include "gdpr/gdpr_store.h"

namespace teilhabe::events::testing {
namespace {

class Cancellations : public StoreTest {
protected:
    Result<int> cancel_event(std::int64_t event) {
        return tx([&](db::Connection& c) {
            return store::cancel_event(c, event, clock, mails.mailer());
        });
    }
    Result<void> erase(std::int64_t citizen) {
        return tx([&](db::Connection& c) {
            return gdpr::erase_person(c, citizen, {"staff:1", "192.0.2.1"}, clock,
                                      [&](db::Connection& conn, std::int64_t id,
                                          const std::string& actor) -> Result<void> {
                                          TRY(store::release_places_of(conn, id, actor, clock,
                                                                       mails.mailer()));
                                          return {};
                                      });
        });
    }
    RegStatus status_of(std::int64_t registration) {
        auto r = db().transaction(db::TxMode::Read, [&](db::Connection& c) {
            return store::find_registration(c, registration);
        });
        EXPECT_TRUE(r && *r);
        return r && *r ? (*r)->status : RegStatus::Cancelled;
    }
};

TEST_P(Cancellations, CancellingAnEventTellsEveryoneRegisteredOrWaitingOnce) {
    auto e = add_event(2);
    auto anna = add_citizen("anna@example.org", "Anna");
    auto ben = add_citizen("ben@example.org", "Ben");
    auto cem = add_citizen("cem@example.org", "Cem");
    auto dora = add_citizen("dora@example.org", "Dora");
    ASSERT_TRUE(reg(e.id, anna));
    auto b = reg(e.id, ben).value();
    ASSERT_EQ(reg(e.id, cem)->status, RegStatus::Waitlisted);
    ASSERT_EQ(reg(e.id, dora)->status, RegStatus::Waitlisted);
    // Ben cancels before: Cem moves up (one mail); Ben is not told of the event's cancellation.
    ASSERT_TRUE(cancel(b.id));
    ASSERT_EQ(mails.sent.size(), 1u);
    auto before = tx([&](db::Connection& c) -> Result<std::size_t> {
        auto ev = TRY(store::find_event(c, e.id)).value();
        return TRY(store::people_to_tell_of_cancellation(c, ev, clock)).size();
    });
    ASSERT_TRUE(before);
    EXPECT_EQ(*before, 3u);
    mails.sent.clear();
    auto told = cancel_event(e.id);
    ASSERT_TRUE(told) << told.error().message;
    EXPECT_EQ(*told, 3);
    std::set<std::string> to;
    for (const auto& m : mails.sent) {
        EXPECT_EQ(m.kind, PromotionMail::Kind::EventCancelled);
        EXPECT_EQ(m.event_title, e.title);
        to.insert(m.to_email);
    }
    EXPECT_EQ(to, (std::set<std::string>{"anna@example.org", "cem@example.org", "dora@example.org"}));
    EXPECT_EQ(count("SELECT COUNT(*) FROM events WHERE id = ? AND status = 'cancelled'", {e.id}), 1);
    // Again: nobody is told twice.
    auto again = cancel_event(e.id);
    ASSERT_TRUE(again);
    EXPECT_EQ(*again, 0);
    EXPECT_EQ(mails.sent.size(), 3u);
    // A registration cancelled now moves nobody up into the cancelled event.
    mails.sent.clear();
    auto anna_reg = db().transaction(db::TxMode::Read, [&](db::Connection& c) {
        return store::active_registration(c, e.id, anna);
    });
    ASSERT_TRUE(anna_reg && *anna_reg);
    ASSERT_TRUE(cancel((*anna_reg)->id));
    EXPECT_TRUE(mails.sent.empty());
    EXPECT_EQ(count("SELECT COUNT(*) FROM event_registrations WHERE event_id = ? AND status = "
                    "'waitlisted'",
                    {e.id}),
              1);
}

TEST_P(Cancellations, AFailingMailUndoesTheCancellationOfTheEvent) {
    auto e = add_event(5);
    ASSERT_TRUE(reg(e.id, add_citizen("anna@example.org")));
    auto r = tx([&](db::Connection& c) {
        return store::cancel_event(c, e.id, clock,
                                   [](db::Connection&, const PromotionMail&) -> Result<void> {
                                       return fail(Error::unavailable("outbox down"));
                                   });
    });
    ASSERT_FALSE(r);
    EXPECT_EQ(count("SELECT COUNT(*) FROM events WHERE id = ? AND status = 'published'", {e.id}), 1);
}

TEST_P(Cancellations, AnEndedEventIsCancelledWithoutMail) {
    auto e = add_event(5);
    ASSERT_TRUE(reg(e.id, add_citizen("anna@example.org")));
    clock.set(from_unix_ms(e.ends_at_ms + 1));
    auto told = cancel_event(e.id);
    ASSERT_TRUE(told);
    EXPECT_EQ(*told, 0);
    EXPECT_TRUE(mails.sent.empty());
}

TEST_P(Cancellations, ErasureFreesFuturePlacesAndMovesTheWaitingListUp) {
    auto future = add_event(1);
    auto anna = add_citizen("anna@example.org", "Anna");
    auto ben = add_citizen("ben@example.org", "Ben");
    auto a = reg(future.id, anna).value();
    auto b = reg(future.id, ben).value();
    ASSERT_EQ(b.status, RegStatus::Waitlisted);
    // A past event Anna attended: its registration stays (anonymised) for the statistics.
    clock.set(from_unix_ms(clock.now_ms() - 30 * kDay));
    auto past = add_event(10);
    auto p = reg(past.id, anna).value();
    clock.set(from_unix_ms(clock.now_ms() + 30 * kDay));
    ASSERT_TRUE(erase(anna)) << "erasure";
    EXPECT_EQ(status_of(a.id), RegStatus::Cancelled);
    EXPECT_EQ(status_of(b.id), RegStatus::Registered);
    EXPECT_EQ(status_of(p.id), RegStatus::Registered);
    ASSERT_EQ(mails.sent.size(), 1u);
    EXPECT_EQ(mails.sent[0].kind, PromotionMail::Kind::Promoted);
    EXPECT_EQ(mails.sent[0].to_email, "ben@example.org");
    EXPECT_EQ(count("SELECT COUNT(*) FROM event_registrations WHERE citizen_id = ?", {anna}), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM event_registrations WHERE citizen_id IS NULL"), 2);
    EXPECT_EQ(count("SELECT COUNT(*) FROM activities WHERE type = 'event.promoted' AND "
                    "citizen_id = ?",
                    {ben}),
              1);
}

TEST_P(Cancellations, AFailingMailUndoesTheErasure) {
    auto e = add_event(1);
    auto anna = add_citizen("anna@example.org", "Anna");
    ASSERT_TRUE(reg(e.id, anna));
    ASSERT_TRUE(reg(e.id, add_citizen("ben@example.org", "Ben")));
    auto r = tx([&](db::Connection& c) {
        return gdpr::erase_person(c, anna, {"staff:1", ""}, clock,
                                  [&](db::Connection& conn, std::int64_t id,
                                      const std::string& actor) -> Result<void> {
                                      TRY(store::release_places_of(
                                          conn, id, actor, clock,
                                          [](db::Connection&, const PromotionMail&) -> Result<void> {
                                              return fail(Error::unavailable("outbox down"));
                                          }));
                                      return {};
                                  });
    });
    ASSERT_FALSE(r);
    EXPECT_EQ(count("SELECT COUNT(*) FROM citizens WHERE id = ?", {anna}), 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM event_registrations WHERE citizen_id = ? AND status = "
                    "'registered'",
                    {anna}),
              1);
}

INSTANTIATE_TEST_SUITE_P(Engines, Cancellations, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::events::testing
