// Registrations on both engines: places, the waiting list and its promotion with the mail in
// one transaction, the refusals, exactly one winner for the last place, check-in, the
// activities of the contract, the reminder journey that leaves a person who cancelled, and
// GDPR export and erasure.

#include "activity/consumer.h"
#include "activity/consumer_testing.h"
#include "events/reminder_check.h"
#include "events/test_fixture.h"
#include "gdpr/gdpr_store.h"
#include "journeys/consumer.h"
#include "journeys/engine.h"
#include "journeys/journey_store.h"
#include "shop/voucher_code.h"

#include <atomic>
#include <latch>
#include <thread>

namespace teilhabe::events::testing {
namespace {

class Registrations : public StoreTest {};

TEST_P(Registrations, PlacesThenWaitingListThenPromotionWithMail) {
    auto e = add_event(2);
    auto anna = add_citizen("anna@example.org", "Anna");
    auto ben = add_citizen("ben@example.org", "Ben");
    auto cem = add_citizen("cem@example.org", "Cem");
    auto dora = add_citizen("dora@example.org", "Dora");
    auto a = reg(e.id, anna);
    ASSERT_TRUE(a) << a.error().message;
    EXPECT_EQ(a->status, RegStatus::Registered);
    EXPECT_TRUE(shop::check_ok(a->ticket_code));
    ASSERT_EQ(reg(e.id, ben)->status, RegStatus::Registered);
    auto c = reg(e.id, cem);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->status, RegStatus::Waitlisted);
    ASSERT_EQ(reg(e.id, dora)->status, RegStatus::Waitlisted);
    // Twice: a clear refusal, also while waiting.
    auto twice = reg(e.id, anna);
    ASSERT_FALSE(twice);
    EXPECT_EQ(twice.error().code, ErrorCode::AlreadyExists);
    auto waiting_twice = reg(e.id, cem);
    ASSERT_FALSE(waiting_twice);
    EXPECT_NE(waiting_twice.error().message.find("waiting list"), std::string::npos);
    // Anna cancels: Cem (first on the list) moves up and is told; Dora still waits.
    auto gone = cancel(a->id);
    ASSERT_TRUE(gone) << gone.error().message;
    EXPECT_EQ(gone->status, RegStatus::Cancelled);
    auto cem_now = db().transaction(db::TxMode::Read, [&](db::Connection& conn) {
        return store::find_registration(conn, c->id);
    });
    ASSERT_TRUE(cem_now && *cem_now);
    EXPECT_EQ((*cem_now)->status, RegStatus::Registered);
    EXPECT_TRUE((*cem_now)->promoted_at_ms);
    ASSERT_EQ(mails.sent.size(), 1u);
    EXPECT_EQ(mails.sent[0].to_email, "cem@example.org");
    EXPECT_EQ(mails.sent[0].registration_id, c->id);
    EXPECT_EQ(mails.sent[0].event_title, e.title);
    EXPECT_EQ(count("SELECT COUNT(*) FROM event_registrations WHERE event_id = ? AND status = "
                    "'registered'", {e.id}),
              2);
    // The contract's activities, with the object and props the reminder journey reads.
    EXPECT_EQ(count("SELECT COUNT(*) FROM activities WHERE type = 'event.registered' AND object = ?",
                    {fmt::format("event:{}", e.id)}),
              3); // Anna, Ben, and Cem on moving up
    EXPECT_EQ(count("SELECT COUNT(*) FROM activities WHERE type = 'event.waitlisted'"), 2);
    EXPECT_EQ(count("SELECT COUNT(*) FROM activities WHERE type = 'event.promoted' AND citizen_id = ?",
                    {cem}),
              1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM activities WHERE type = 'event.cancelled' AND citizen_id = ?",
                    {anna}),
              1);
    auto props = db().transaction(db::TxMode::Read, [&](db::Connection& conn) {
        return conn.query_one("SELECT props FROM activities WHERE type = 'event.registered' AND "
                              "citizen_id = ?",
                              {anna});
    });
    ASSERT_TRUE(props);
    auto p = nlohmann::json::parse(props->get_text(0));
    EXPECT_EQ(p["event_id"], e.id);
    EXPECT_EQ(p["title"], e.title);
    EXPECT_TRUE(parse_rfc3339(p["starts_at"].get<std::string>()));
    // Cancelling twice, or a waiting person cancelling: no promotion, no mail.
    auto again = cancel(a->id);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, ErrorCode::Conflict);
    auto d = db().transaction(db::TxMode::Read, [&](db::Connection& conn) {
        return store::active_registration(conn, e.id, dora);
    });
    ASSERT_TRUE(d && *d);
    ASSERT_TRUE(cancel((*d)->id));
    EXPECT_EQ(mails.sent.size(), 1u);
    // Anna may register again: she is last in line now.
    EXPECT_EQ(reg(e.id, anna)->status, RegStatus::Waitlisted);
}

TEST_P(Registrations, AFailingMailUndoesThePromotionAndTheCancellation) {
    auto e = add_event(1);
    auto anna = add_citizen("anna@example.org");
    auto ben = add_citizen("ben@example.org");
    auto a = reg(e.id, anna).value();
    auto b = reg(e.id, ben).value();
    ASSERT_EQ(b.status, RegStatus::Waitlisted);
    auto broken = tx([&](db::Connection& c) {
        return store::cancel_registration(c, a.id, "citizen:1", clock,
                                          [](db::Connection&, const PromotionMail&) -> Result<void> {
                                              return fail(Error::unavailable("mail down"));
                                          });
    });
    ASSERT_FALSE(broken);
    EXPECT_EQ(count("SELECT COUNT(*) FROM event_registrations WHERE id = ? AND status = 'registered'",
                    {a.id}),
              1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM event_registrations WHERE id = ? AND status = 'waitlisted'",
                    {b.id}),
              1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM activities WHERE type = 'event.cancelled'"), 0);
}

TEST_P(Registrations, MorePlacesMoveTheWaitingListUp) {
    auto e = add_event(1);
    auto anna = add_citizen("anna@example.org");
    auto ben = add_citizen("ben@example.org");
    auto cem = add_citizen("cem@example.org");
    ASSERT_TRUE(reg(e.id, anna));
    ASSERT_EQ(reg(e.id, ben)->status, RegStatus::Waitlisted);
    ASSERT_EQ(reg(e.id, cem)->status, RegStatus::Waitlisted);
    auto moved = tx([&](db::Connection& c) -> Result<int> {
        auto x = TRY(store::find_event(c, e.id)).value();
        x.capacity = 2;
        TRY(store::update_event(c, x, clock.now_ms()));
        return store::fill_free_places(c, e.id, "staff:1", clock, mails.mailer());
    });
    ASSERT_TRUE(moved) << moved.error().message;
    EXPECT_EQ(*moved, 1);
    ASSERT_EQ(mails.sent.size(), 1u);
    EXPECT_EQ(mails.sent[0].to_email, "ben@example.org");
    EXPECT_EQ(count("SELECT COUNT(*) FROM event_registrations WHERE event_id = ? AND status = "
                    "'waitlisted' AND citizen_id = ?", {e.id, cem}),
              1);
}

TEST_P(Registrations, RefusalsAreClear) {
    auto anna = add_citizen("anna@example.org");
    auto ben = add_citizen("ben@example.org");
    auto full = add_event(1, false);
    ASSERT_TRUE(reg(full.id, anna));
    auto no_place = reg(full.id, ben);
    ASSERT_FALSE(no_place);
    EXPECT_EQ(no_place.error().code, ErrorCode::FailedPrecondition);
    EXPECT_NE(no_place.error().message.find("full"), std::string::npos);

    auto e = add_event(std::nullopt);
    ASSERT_TRUE(tx([&](db::Connection& c) -> Result<Event> {
        auto x = e;
        x.deadline_ms = clock.now_ms() + kDay;
        return store::update_event(c, x, clock.now_ms());
    }));
    auto early = reg(e.id, anna);
    ASSERT_TRUE(early);
    clock.advance(std::chrono::hours(25));
    auto late = reg(e.id, ben);
    ASSERT_FALSE(late);
    EXPECT_NE(late.error().message.find("deadline"), std::string::npos);
    // Cancelling after the start: refused.
    clock.advance(std::chrono::hours(24 * 7));
    auto after = cancel(early->id);
    ASSERT_FALSE(after);
    EXPECT_EQ(after.error().code, ErrorCode::FailedPrecondition);
    EXPECT_NE(after.error().message.find("started"), std::string::npos);
    auto past = reg(e.id, ben);
    ASSERT_FALSE(past);
    EXPECT_NE(past.error().message.find("started"), std::string::npos);

    auto cancelled = add_event(5);
    ASSERT_TRUE(tx([&](db::Connection& c) -> Result<Event> {
        auto x = cancelled;
        x.status = Status::Cancelled;
        return store::update_event(c, x, clock.now_ms());
    }));
    auto refused = reg(cancelled.id, anna);
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find("cancelled"), std::string::npos);
    auto nobody = reg(cancelled.id, 999999);
    ASSERT_FALSE(nobody);
    EXPECT_EQ(nobody.error().field, "citizen_id");
    auto no_event = reg(999999, anna);
    ASSERT_FALSE(no_event);
    EXPECT_EQ(no_event.error().code, ErrorCode::NotFound);
}

TEST_P(Registrations, SixtyFourRaceForTheLastPlaceAndOneGetsIt) {
    open(8);
    auto e = add_event(3, false);
    std::vector<std::int64_t> people;
    for (int i = 0; i < 66; ++i)
        people.push_back(add_citizen(fmt::format("p{}@example.org", i)));
    ASSERT_TRUE(reg(e.id, people[0]));
    ASSERT_TRUE(reg(e.id, people[1])); // one place left
    std::latch start(64);
    std::atomic<int> won{0}, full{0}, other{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 64; ++i)
        threads.emplace_back([&, i] {
            start.arrive_and_wait();
            auto r = reg(e.id, people[2 + i]);
            if (r)
                ++won;
            else if (r.error().code == ErrorCode::FailedPrecondition)
                ++full;
            else
                ++other;
        });
    for (auto& t : threads)
        t.join();
    EXPECT_EQ(won.load(), 1);
    EXPECT_EQ(full.load(), 63);
    EXPECT_EQ(other.load(), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM event_registrations WHERE event_id = ? AND status = "
                    "'registered'", {e.id}),
              3);
}

TEST_P(Registrations, SamePersonRacingRegistersOnce) {
    open(8);
    auto e = add_event(std::nullopt);
    auto anna = add_citizen("anna@example.org");
    std::latch start(16);
    std::atomic<int> won{0}, twice{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 16; ++i)
        threads.emplace_back([&] {
            start.arrive_and_wait();
            auto r = reg(e.id, anna);
            if (r)
                ++won;
            else if (r.error().code == ErrorCode::AlreadyExists)
                ++twice;
        });
    for (auto& t : threads)
        t.join();
    EXPECT_EQ(won.load(), 1);
    EXPECT_EQ(twice.load(), 15);
}

TEST_P(Registrations, CheckInByCodeOrIdRecordsAttendanceOnce) {
    auto e = add_event(1);
    auto other = add_event(5);
    auto anna = add_citizen("anna@example.org");
    auto ben = add_citizen("ben@example.org");
    auto a = reg(e.id, anna).value();
    auto b = reg(e.id, ben).value(); // waiting
    auto elsewhere = reg(other.id, ben).value();
    auto by_code = [&](std::string code) {
        return tx([&](db::Connection& c) { return store::check_in_code(c, e.id, code, "staff:2", clock); });
    };
    // Typed in lower case with spaces: still the ticket.
    auto typed = shop::format_code(a.ticket_code);
    for (auto& ch : typed)
        ch = ch == '-' ? ' ' : static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    auto first = by_code(typed);
    ASSERT_TRUE(first) << first.error().message;
    EXPECT_FALSE(first->already);
    EXPECT_TRUE(first->registration.checked_in_at_ms);
    auto second = by_code(a.ticket_code);
    ASSERT_TRUE(second);
    EXPECT_TRUE(second->already);
    auto by_id = tx([&](db::Connection& c) { return store::check_in_id(c, e.id, a.id, "staff:2", clock); });
    ASSERT_TRUE(by_id);
    EXPECT_TRUE(by_id->already);
    EXPECT_EQ(count("SELECT COUNT(*) FROM activities WHERE type = 'event.attended' AND citizen_id = ? "
                    "AND object = ?",
                    {anna, fmt::format("event:{}", e.id)}),
              1);
    auto unknown = by_code(shop::new_code());
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().code, ErrorCode::NotFound);
    auto mistyped = by_code("ABC");
    ASSERT_FALSE(mistyped);
    EXPECT_EQ(mistyped.error().code, ErrorCode::NotFound);
    auto wrong_event = by_code(elsewhere.ticket_code);
    ASSERT_FALSE(wrong_event);
    EXPECT_NE(wrong_event.error().message.find("another event"), std::string::npos);
    auto waiting = by_code(b.ticket_code);
    ASSERT_FALSE(waiting);
    EXPECT_EQ(waiting.error().code, ErrorCode::FailedPrecondition);
}

TEST_P(Registrations, ReminderJourneyLeavesThoseWhoCancelled) {
    auto e = add_event(5);
    auto anna = add_citizen("anna@example.org");
    auto ben = add_citizen("ben@example.org");
    journeys::EngineSettings settings;
    settings.quiet_hours = {};
    ASSERT_TRUE(tx([&](db::Connection& c) -> Result<bool> {
        TRY(journeys::store::seed_ready_made(c, clock));
        auto id = TRY(c.query_one("SELECT id FROM journeys WHERE key = 'event_reminder'")).get_int(0);
        TRY(journeys::store::set_active(c, id, true, {"staff:1", ""}, clock));
        return true;
    }));
    auto a = reg(e.id, anna).value();
    auto b = reg(e.id, ben).value();
    ASSERT_TRUE(cancel(b.id));
    journeys::EnrolmentConsumer consumer(clock, settings);
    ASSERT_TRUE(activity::testing::consume_all(db(), consumer, clock).value_or(false));
    EXPECT_EQ(count("SELECT COUNT(*) FROM journey_enrolments"), 2);
    RegistrationCheck check;
    journeys::Engine engine(db(), clock, settings, nullptr, nullptr, &check);
    ASSERT_TRUE(engine.run_until_idle());
    EXPECT_EQ(count("SELECT COUNT(*) FROM journey_enrolments WHERE state = 'active'"), 2); // waiting
    // Two days before the start the mail step runs: Ben (cancelled) leaves for that reason; Anna
    // reaches the mail (and leaves only because she has no newsletter consent in this test).
    clock.set(from_unix_ms(e.starts_at_ms - 2 * kDay + 60'000));
    ASSERT_TRUE(engine.run_until_idle());
    auto reason = [&](std::int64_t who) {
        auto r = db().transaction(db::TxMode::Read, [&](db::Connection& c) {
            return c.query_one("SELECT COALESCE(last_error, '') FROM journey_enrolments WHERE "
                               "citizen_id = ?",
                               {who});
        });
        return r ? r->get_text(0) : std::string("?");
    };
    EXPECT_EQ(reason(ben), "the registration was cancelled");
    EXPECT_EQ(reason(anna), "no confirmed subscription");
    (void)a;
}

TEST_P(Registrations, GdprExportShowsAndErasureAnonymisesRegistrations) {
    auto e = add_event(5);
    auto anna = add_citizen("anna@example.org");
    auto ben = add_citizen("ben@example.org");
    auto a = reg(e.id, anna).value();
    ASSERT_TRUE(reg(e.id, ben));
    auto exported = tx([&](db::Connection& c) {
        return gdpr::export_person(c, anna, {"staff:1", "192.0.2.1"}, clock);
    });
    ASSERT_TRUE(exported) << exported.error().message;
    auto& rows = (*exported)["tables"]["event_registrations"];
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0]["ticket_code"], a.ticket_code);
    auto erased = tx([&](db::Connection& c) {
        return gdpr::erase_person(c, anna, {"staff:1", "192.0.2.1"}, clock);
    });
    ASSERT_TRUE(erased) << erased.error().message;
    EXPECT_EQ(count("SELECT COUNT(*) FROM event_registrations WHERE citizen_id = ?", {anna}), 0);
    // The count stays for the organisers; Ben's registration is untouched.
    EXPECT_EQ(count("SELECT COUNT(*) FROM event_registrations WHERE event_id = ? AND citizen_id IS "
                    "NULL", {e.id}),
              1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM event_registrations WHERE citizen_id = ?", {ben}), 1);
}

INSTANTIATE_TEST_SUITE_P(Engines, Registrations, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::events::testing
