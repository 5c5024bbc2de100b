#include "campaigns/campaign.h"

#include <gtest/gtest.h>

namespace teilhabe::campaigns {
namespace {

Campaign ready() {
    Campaign c;
    c.name = "Frühjahrsputz";
    c.subject = "Hallo {{first_name}}";
    c.body = "Wir räumen auf.";
    c.topics = {"umwelt"};
    return c;
}

TEST(Campaign, CreateNeedsASubjectOrAName) {
    auto in = parse_input(nlohmann::json{{"body_markdown", "x"}}, InputMode::Create);
    ASSERT_FALSE(in);
    EXPECT_EQ(in.error().field, "subject");
    EXPECT_TRUE(parse_input(nlohmann::json{{"body_markdown", "x"}}, InputMode::Patch));
    auto named = parse_input(nlohmann::json{{"subject", "Hallo"}}, InputMode::Create);
    ASSERT_TRUE(named);
    Campaign c;
    apply(c, *named);
    EXPECT_EQ(c.name, "Hallo"); // the subject names it when staff gave no name
}

TEST(Campaign, ScheduledAtIsAPointInTimeOrNull) {
    auto at = parse_input(nlohmann::json{{"subject", "s"}, {"scheduled_at", "2026-12-01T08:00:00+01:00"}},
                          InputMode::Create);
    ASSERT_TRUE(at);
    ASSERT_TRUE(at->scheduled_at && *at->scheduled_at);
    EXPECT_EQ(format_iso8601(**at->scheduled_at), "2026-12-01T07:00:00.000Z");
    auto none = parse_input(nlohmann::json{{"scheduled_at", nullptr}}, InputMode::Patch);
    ASSERT_TRUE(none);
    EXPECT_TRUE(none->scheduled_at && !*none->scheduled_at);
    auto day = parse_input(nlohmann::json{{"subject", "s"}, {"scheduled_at", "2026-12-01"}}, InputMode::Create);
    ASSERT_FALSE(day);
    EXPECT_EQ(day.error().field, "scheduled_at");
    auto seg = parse_input(nlohmann::json{{"subject", "s"}, {"segment_id", 3}}, InputMode::Create);
    ASSERT_TRUE(seg);
    EXPECT_EQ(*seg->segment_id, std::optional<std::int64_t>{3});
    auto bad_seg = parse_input(nlohmann::json{{"subject", "s"}, {"segment_id", "nord"}}, InputMode::Create);
    ASSERT_FALSE(bad_seg);
    EXPECT_EQ(bad_seg.error().field, "segment_id");
}

TEST(Campaign, SubjectIsOneTrimmedLine) {
    auto bad = parse_input(nlohmann::json{{"name", "n"}, {"subject", "a\r\nBcc: x@y"}}, InputMode::Create);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().field, "subject");
    auto ok = parse_input(nlohmann::json{{"name", "n"}, {"subject", "  Hallo  "}}, InputMode::Create);
    ASSERT_TRUE(ok);
    EXPECT_EQ(*ok->subject, "Hallo");
}

TEST(Campaign, UnknownMembersAndWrongTypesNameTheMember) {
    auto unknown = parse_input(nlohmann::json{{"name", "n"}, {"sender", "x"}}, InputMode::Create);
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().field, "sender");
    auto topics = parse_input(nlohmann::json{{"name", "n"}, {"topics", "kultur"}}, InputMode::Create);
    ASSERT_FALSE(topics);
    EXPECT_EQ(topics.error().field, "topics");
    auto empty = parse_input(nlohmann::json{{"name", "n"}, {"topics", {""}}}, InputMode::Create);
    ASSERT_FALSE(empty);
}

TEST(Campaign, TopicsAreDeduplicatedInOrder) {
    auto in = parse_input(nlohmann::json{{"name", "n"}, {"topics", {"b", "a", "b"}}}, InputMode::Create);
    ASSERT_TRUE(in);
    EXPECT_EQ(*in->topics, (std::vector<std::string>{"b", "a"}));
}

TEST(Campaign, ReadinessNamesWhatIsMissing) {
    EXPECT_TRUE(check_ready(ready()));
    auto c = ready();
    c.topics.clear();
    ASSERT_FALSE(check_ready(c));
    EXPECT_EQ(check_ready(c).error().field, "topics");
    c = ready();
    c.body = "  \n";
    EXPECT_EQ(check_ready(c).error().field, "body");
    c = ready();
    c.subject.clear();
    EXPECT_EQ(check_ready(c).error().field, "subject");
}

TEST(Campaign, StateMachine) {
    EXPECT_EQ(next_state(State::Draft, Action::Schedule).value(), State::Scheduled);
    EXPECT_EQ(next_state(State::Scheduled, Action::Unschedule).value(), State::Draft);
    EXPECT_EQ(next_state(State::Sending, Action::Pause).value(), State::Paused);
    EXPECT_EQ(next_state(State::Paused, Action::Resume).value(), State::Sending);
    EXPECT_EQ(next_state(State::Paused, Action::Cancel).value(), State::Cancelled);
    EXPECT_EQ(next_state(State::Draft, Action::Cancel).value(), State::Cancelled);

    auto twice = next_state(State::Sending, Action::Schedule);
    ASSERT_FALSE(twice);
    EXPECT_EQ(twice.error().code, ErrorCode::Conflict);
    EXPECT_FALSE(next_state(State::Scheduled, Action::Pause));
    EXPECT_FALSE(next_state(State::Sending, Action::Resume));
    for (auto a : {Action::Schedule, Action::Unschedule, Action::Pause, Action::Resume, Action::Cancel}) {
        EXPECT_FALSE(next_state(State::Finished, a)) << to_string(a);
        EXPECT_FALSE(next_state(State::Cancelled, a)) << to_string(a);
    }
}

TEST(Campaign, OnlyDraftsAreEditable) {
    auto c = ready();
    EXPECT_TRUE(check_editable(c));
    c.state = State::Scheduled;
    auto e = check_editable(c);
    ASSERT_FALSE(e);
    EXPECT_NE(e.error().message.find("Unschedule"), std::string::npos);
}

TEST(Campaign, NamesRoundTrip) {
    for (auto s : {State::Draft, State::Scheduled, State::Sending, State::Paused, State::Cancelled,
                   State::Finished})
        EXPECT_EQ(parse_state(to_string(s)), s);
    EXPECT_FALSE(parse_state("sent"));
    EXPECT_EQ(parse_action("pause"), Action::Pause);
    EXPECT_FALSE(parse_action("start"));
}

TEST(Campaign, JsonHasEveryMember) {
    auto c = ready();
    c.id = 7;
    auto j = to_json(c);
    EXPECT_EQ(j["id"], 7);
    EXPECT_EQ(j["status"], "draft");
    EXPECT_EQ(j["body_markdown"], "Wir räumen auf.");
    EXPECT_TRUE(j["scheduled_at"].is_null());
    EXPECT_EQ(j["topics"], nlohmann::json({"umwelt"}));
}

} // namespace
} // namespace teilhabe::campaigns
