// The event's rules without a database: input, validation, when registration is open.

#include "events/event.h"

#include <gtest/gtest.h>

namespace teilhabe::events {
namespace {

using nlohmann::json;

TEST(EventInput, CreateNeedsTitleAndTimesAndNamesTheMember) {
    auto missing = parse_event_input({{"title", "Putztag"}}, InputMode::Create);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().field, "starts_at");
    auto bad_time = parse_event_input({{"title", "x"}, {"starts_at", "tomorrow"}, {"ends_at", 5}},
                                      InputMode::Create);
    ASSERT_FALSE(bad_time);
    EXPECT_EQ(bad_time.error().field, "starts_at");
    auto unknown = parse_event_input({{"colour", "red"}}, InputMode::Patch);
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().field, "colour");
    auto capacity = parse_event_input({{"capacity", 0}}, InputMode::Patch);
    ASSERT_FALSE(capacity);
    EXPECT_EQ(capacity.error().field, "capacity");
    auto status = parse_event_input({{"status", "open"}}, InputMode::Patch);
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().field, "status");
    auto ok = parse_event_input({{"title", "Putztag"},
                                 {"starts_at", "2026-09-12T08:00:00Z"},
                                 {"ends_at", "2026-09-12T10:00:00+02:00"},
                                 {"capacity", nullptr},
                                 {"status", "published"}},
                                InputMode::Create);
    ASSERT_TRUE(ok) << ok.error().message;
    auto e = apply(Event{}, *ok);
    EXPECT_EQ(e.title, "Putztag");
    EXPECT_FALSE(e.capacity);
    EXPECT_EQ(e.status, Status::Published);
    EXPECT_EQ(e.ends_at_ms - e.starts_at_ms, 0); // 10:00+02:00 is 08:00Z
    auto v = validate(e);
    ASSERT_FALSE(v);
    EXPECT_EQ(v.error().field, "ends_at");
}

TEST(EventInput, DeadlineAfterTheStartIsRefused) {
    Event e{.title = "Kurs", .starts_at_ms = 1000, .ends_at_ms = 2000, .deadline_ms = 1500};
    auto v = validate(e);
    ASSERT_FALSE(v);
    EXPECT_EQ(v.error().field, "registration_deadline");
    e.deadline_ms = 900;
    EXPECT_TRUE(validate(e));
}

TEST(EventRules, RegistrationOpensWhenPublishedAndClosesAtDeadlineOrStart) {
    Event e{.title = "Kurs", .starts_at_ms = 10'000, .ends_at_ms = 20'000, .capacity = 2,
            .waiting_list = false, .deadline_ms = 8'000, .status = Status::Draft};
    EXPECT_EQ(registration_refusal(e, 0), Refusal::NotOpen);
    e.status = Status::Published;
    EXPECT_EQ(registration_refusal(e, 0), std::nullopt);
    EXPECT_EQ(registration_refusal(e, 8'000), Refusal::DeadlinePassed);
    EXPECT_EQ(registration_refusal(e, 10'000), Refusal::Past);
    e.registered = 2;
    EXPECT_EQ(registration_refusal(e, 0), Refusal::Full);
    e.waiting_list = true;
    EXPECT_EQ(registration_refusal(e, 0), std::nullopt); // the waiting list takes them
    EXPECT_EQ(e.free_places(), 0);
    e.status = Status::Cancelled;
    EXPECT_EQ(registration_refusal(e, 0), Refusal::Cancelled);
    EXPECT_NE(to_error(Refusal::DeadlinePassed).message.find("deadline"), std::string::npos);
}

TEST(EventJson, ShowsTimesInUtcAndFreePlaces) {
    Event e{.id = 3, .title = "Kurs", .starts_at_ms = 1'790'000'000'000,
            .ends_at_ms = 1'790'003'600'000, .capacity = 10, .registered = 4};
    auto j = to_json(e);
    EXPECT_EQ(j["starts_at"], "2026-09-21T14:13:20.000Z");
    EXPECT_EQ(j["free_places"], 6);
    EXPECT_EQ(j["status"], "draft");
    EXPECT_TRUE(j["registration_deadline"].is_null());
}

} // namespace
} // namespace teilhabe::events
