// The domain: definitions with errors that point at the wrong part, Europe/Berlin time, quiet
// hours and the welcome journey's "next suitable morning".

#include "journeys/calendar.h"
#include "journeys/journey.h"
#include "journeys/ready_made.h"

#include <gtest/gtest.h>

namespace teilhabe::journeys {
namespace {

using nlohmann::json;

std::string error_field(const json& j) {
    auto d = parse_definition(j);
    return d ? std::string("<valid>") : d.error().field;
}

json minimal() {
    return {{"trigger", {{"type", "activity"}, {"activity", "newsletter.confirmed"}}},
            {"steps", json::array({{{"type", "wait"}, {"duration", "3d"}}, {{"type", "exit"}}})}};
}

TEST(JourneyDefinition, ErrorsPointAtTheWrongPart) {
    EXPECT_EQ(error_field(minimal()), "<valid>");
    auto j = minimal();
    j["steps"][0]["duration"] = "three days";
    EXPECT_EQ(error_field(j), "steps[0].duration");
    j = minimal();
    j["steps"][1]["type"] = "teleport";
    EXPECT_EQ(error_field(j), "steps[1].type");
    j = minimal();
    j["trigger"]["activity"] = "Newsletter Confirmed";
    EXPECT_EQ(error_field(j), "trigger.activity");
    j = minimal();
    j["steps"][1]["next"] = "s1";
    EXPECT_EQ(error_field(j), "steps[1].next"); // backwards: could loop
    j = minimal();
    j["reentry"] = {{"after_days", 0}};
    EXPECT_EQ(error_field(j), "reentry.after_days");
    j = minimal();
    j["quiet_hours"] = {{"from", "25:00"}};
    EXPECT_EQ(error_field(j), "quiet_hours.from");
    j = minimal();
    j["steps"][0] = {{"type", "send_email"}, {"subject", "Hallo"}};
    EXPECT_EQ(error_field(j), "steps[0].body");
    j["steps"][0]["body"] = "Hallo {{first_name";
    EXPECT_EQ(error_field(j), "steps[0].body");
}

TEST(JourneyDefinition, DefaultsAndJumps) {
    json j{{"trigger", {{"type", "segment"}, {"segment_id", 4}}},
           {"steps", json::array({{{"type", "branch"}, {"rule", {{"tag", "x"}}}, {"else", "exit"}},
                                  {{"id", "mail"}, {"type", "add_tag"}, {"tag", "y"}}})}};
    auto d = parse_definition(j);
    ASSERT_TRUE(d) << d.error().message;
    EXPECT_EQ(d->trigger.activity_type, "segment.entered");
    EXPECT_EQ(*d->trigger.object, "segment:4");
    EXPECT_EQ(d->steps[0].then_step, "mail");
    EXPECT_EQ(d->steps[0].else_step, "exit");
    EXPECT_EQ(d->steps[1].next, "");
    EXPECT_TRUE(trigger_matches(d->trigger, "segment.entered", "segment:4", json::object()));
    EXPECT_FALSE(trigger_matches(d->trigger, "segment.entered", "segment:5", json::object()));
}

TEST(JourneyDefinition, ReadyMadeJourneysParse) {
    for (const auto& r : ready_made())
        EXPECT_TRUE(parse_definition(r.definition)) << r.key;
}

TEST(JourneyCalendar, BerlinOffsetFollowsTheEuRule) {
    // 2026: summer time from 29 March 01:00 UTC to 25 October 01:00 UTC.
    EXPECT_EQ(berlin_offset_minutes(*parse_rfc3339("2026-03-29T00:59:00Z")), 60);
    EXPECT_EQ(berlin_offset_minutes(*parse_rfc3339("2026-03-29T01:00:00Z")), 120);
    EXPECT_EQ(berlin_offset_minutes(*parse_rfc3339("2026-10-25T00:59:00Z")), 120);
    EXPECT_EQ(berlin_offset_minutes(*parse_rfc3339("2026-10-25T01:00:00Z")), 60);
    auto l = to_berlin(*parse_rfc3339("2026-11-26T16:30:00Z"));
    EXPECT_EQ(l.hour, 17);
    EXPECT_EQ(l.weekday, 4); // Thursday
    EXPECT_EQ(from_berlin(2026, 7, 1, 9, 0), *parse_rfc3339("2026-07-01T07:00:00Z"));
}

TEST(JourneyCalendar, QuietHoursMoveMailToTheNextAllowedMorning) {
    QuietHours q; // 20:00-08:00 and Sundays
    // Saturday 22:00 Berlin -> Monday 08:00.
    EXPECT_EQ(next_allowed(q, *parse_rfc3339("2026-11-28T21:00:00Z")), *parse_rfc3339("2026-11-30T07:00:00Z"));
    // Tuesday 03:00 -> Tuesday 08:00; Tuesday 12:00 stays.
    EXPECT_EQ(next_allowed(q, *parse_rfc3339("2026-12-01T02:00:00Z")), *parse_rfc3339("2026-12-01T07:00:00Z"));
    EXPECT_EQ(next_allowed(q, *parse_rfc3339("2026-12-01T11:00:00Z")), *parse_rfc3339("2026-12-01T11:00:00Z"));
}

TEST(JourneyCalendar, TheTownSettingReadsAndDescribesQuietHours) {
    auto d = parse_quiet_hours_setting("20:00-08:00 sundays");
    ASSERT_TRUE(d);
    EXPECT_EQ(d->start, 20 * 60);
    EXPECT_EQ(d->end, 8 * 60);
    EXPECT_TRUE(d->sundays);
    EXPECT_EQ(describe_quiet_hours(*d, false), "20:00–08:00 Uhr und sonntags");
    EXPECT_EQ(describe_quiet_hours(*d, true), "20:00–08:00 and on Sundays");
    auto nights = parse_quiet_hours_setting("22:00-07:00");
    ASSERT_TRUE(nights);
    EXPECT_FALSE(nights->sundays);
    EXPECT_EQ(describe_quiet_hours(*nights, false), "22:00–07:00 Uhr");
    auto sundays = parse_quiet_hours_setting("sundays");
    ASSERT_TRUE(sundays);
    EXPECT_EQ(describe_quiet_hours(*sundays, false), "sonntags");
    auto off = parse_quiet_hours_setting("off");
    ASSERT_TRUE(off);
    EXPECT_FALSE(in_quiet_hours(*off, *parse_rfc3339("2026-11-29T02:00:00Z"))); // Sunday 03:00
    EXPECT_EQ(describe_quiet_hours(*off, true), "none");
    for (const char* bad : {"", "nachts", "25:00-07:00", "22:00 07:00", "22-7", "sunday"})
        EXPECT_FALSE(parse_quiet_hours_setting(bad)) << bad;
}

TEST(JourneyCalendar, NextMorningIsWithinThreeDaysWhateverTheHour) {
    auto start = *parse_rfc3339("2026-11-23T00:00:00Z");
    for (int h = 0; h < 24 * 7; ++h) {
        auto t = start + std::chrono::hours(h);
        auto m = next_time_of_day(t, 9 * 60, true);
        EXPECT_GE(m, t);
        EXPECT_LT(m - t, std::chrono::hours(72));
        auto l = to_berlin(m);
        EXPECT_EQ(l.hour, 9);
        EXPECT_NE(l.weekday, 0);
        EXPECT_FALSE(in_quiet_hours(QuietHours{}, m));
    }
}

TEST(JourneyDefinition, Durations) {
    EXPECT_EQ(parse_duration("2d12h")->count(), (2 * 24 + 12) * 3'600'000LL);
    EXPECT_EQ(parse_duration("-2d")->count(), -2 * 86'400'000LL);
    EXPECT_FALSE(parse_duration("2x"));
    EXPECT_FALSE(parse_duration("d"));
    EXPECT_EQ(format_duration(std::chrono::hours(50)), "2d2h");
}

} // namespace
} // namespace teilhabe::journeys
