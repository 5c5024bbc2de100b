// Which values survive a merge of two profiles, and how a merge request is read (no database).

#include "citizens/citizen_merge.h"

#include <gtest/gtest.h>

namespace teilhabe::citizens {
namespace {

using nlohmann::json;

Citizen person(std::int64_t id, std::string email) {
    Citizen c;
    c.id = id;
    c.email = std::move(email);
    return c;
}

const MergeItem& item(const MergePlan& plan, const std::string& member) {
    for (const auto& i : plan.items)
        if (i.member == member)
            return i;
    static MergeItem none;
    ADD_FAILURE() << "no item " << member;
    return none;
}

class PlanMerge : public ::testing::Test {
protected:
    void SetUp() override {
        anna = person(1, "anna@example.org");
        anna.first_name = "Anna";
        anna.district = "Nord";
        anna.tags = {"ehrenamt", "presse"};
        anna.interests = {"kultur"};
        anna.attributes = {{"birth_year", 1984}, {"has_dog", true}};
        dupe = person(2, "a.mueller@example.org");
        dupe.first_name = "Anne";
        dupe.last_name = "Müller";
        dupe.district = "Nord";
        dupe.language = Language::En;
        dupe.tags = {"ehrenamt", "vhs"};
        dupe.interests = {"umwelt"};
        dupe.attributes = {{"birth_year", 1985}, {"volunteering", {"garden"}}};
    }
    Citizen anna, dupe;
};

TEST_F(PlanMerge, TheSurvivorKeepsItsValuesAndFillsGapsFromTheDuplicate) {
    auto plan = plan_merge(anna, dupe, {});
    ASSERT_TRUE(plan) << plan.error().message;
    const Citizen& m = plan->merged;
    EXPECT_EQ(m.id, 1);
    EXPECT_EQ(m.email, "anna@example.org");
    EXPECT_EQ(m.first_name, "Anna") << "a conflict keeps the survivor's value";
    EXPECT_EQ(m.last_name, "Müller") << "an empty value is filled";
    EXPECT_EQ(m.language, Language::De);
    EXPECT_EQ(m.tags, (std::vector<std::string>{"ehrenamt", "presse", "vhs"}));
    EXPECT_EQ(m.interests, (std::vector<std::string>{"kultur", "umwelt"}));
    EXPECT_EQ(m.attributes,
              json({{"birth_year", 1984}, {"has_dog", true}, {"volunteering", {"garden"}}}));

    EXPECT_EQ(item(*plan, "first_name").kind, MergeItem::Kind::Conflict);
    EXPECT_EQ(item(*plan, "last_name").kind, MergeItem::Kind::OnlyDuplicate);
    EXPECT_EQ(item(*plan, "district").kind, MergeItem::Kind::Same);
    EXPECT_EQ(item(*plan, "language").kind, MergeItem::Kind::Conflict);
    EXPECT_EQ(item(*plan, "attributes.has_dog").kind, MergeItem::Kind::OnlySurvivor);
    EXPECT_EQ(item(*plan, "attributes.birth_year").duplicate, json(1985));
    EXPECT_EQ(plan->taken_from_duplicate(),
              (std::vector<std::string>{"last_name", "attributes.volunteering"}));
}

TEST_F(PlanMerge, AChoiceTakesTheDuplicatesValueOnlyWhereBothDiffer) {
    MergeChoices choices;
    choices.prefer = {{"first_name", Side::Duplicate},
                      {"language", Side::Duplicate},
                      {"district", Side::Duplicate}, // the same in both: nothing to choose
                      {"attributes.birth_year", Side::Duplicate},
                      {"attributes.has_dog", Side::Duplicate}}; // the duplicate has none
    auto plan = plan_merge(anna, dupe, choices);
    ASSERT_TRUE(plan) << plan.error().message;
    EXPECT_EQ(plan->merged.first_name, "Anne");
    EXPECT_EQ(plan->merged.language, Language::En);
    EXPECT_EQ(plan->merged.attributes["birth_year"], 1985);
    EXPECT_EQ(plan->merged.attributes["has_dog"], true) << "no value never wins over a value";
    EXPECT_EQ(plan->taken_from_duplicate(),
              (std::vector<std::string>{"first_name", "last_name", "language",
                                        "attributes.birth_year", "attributes.volunteering"}));
}

TEST_F(PlanMerge, ChoicesMustNameSomethingThatExists) {
    MergeChoices unknown;
    unknown.prefer = {{"shoe_size", Side::Duplicate}};
    auto a = plan_merge(anna, dupe, unknown);
    ASSERT_FALSE(a);
    EXPECT_EQ(a.error().field, "prefer.shoe_size");
    MergeChoices no_value;
    no_value.prefer = {{"attributes.postcode", Side::Duplicate}};
    auto b = plan_merge(anna, dupe, no_value);
    ASSERT_FALSE(b);
    EXPECT_EQ(b.error().field, "prefer.attributes.postcode");
}

TEST_F(PlanMerge, UnitedTagsBeyondTheLimitAreRefused) {
    for (std::size_t i = 0; i < kMaxTags; ++i)
        dupe.tags.push_back("t" + std::to_string(100 + i));
    std::sort(dupe.tags.begin(), dupe.tags.end());
    auto plan = plan_merge(anna, dupe, {});
    ASSERT_FALSE(plan);
    EXPECT_EQ(plan.error().field, "tags");
}

TEST(MergeInput, ReadsTheIdAndChoices) {
    auto in = parse_merge_input(
        {{"duplicate_id", 7},
         {"prefer", {{"first_name", "duplicate"}, {"attributes", {{"birth_year", "survivor"}}}}}});
    ASSERT_TRUE(in) << in.error().message;
    EXPECT_EQ(in->duplicate_id, 7);
    EXPECT_EQ(in->choices.prefer.at("first_name"), Side::Duplicate);
    EXPECT_EQ(in->choices.prefer.at("attributes.birth_year"), Side::Survivor);
    EXPECT_TRUE(parse_merge_input({{"duplicate_id", 7}, {"prefer", nullptr}}));
}

TEST(MergeInput, RefusesWhatItCannotUnderstandNamingTheMember) {
    auto field = [](const json& body) {
        auto r = parse_merge_input(body);
        return r ? std::string("(accepted)") : r.error().field;
    };
    EXPECT_EQ(field(json::object()), "duplicate_id");
    EXPECT_EQ(field({{"duplicate_id", "7"}}), "duplicate_id");
    EXPECT_EQ(field({{"duplicate_id", 0}}), "duplicate_id");
    EXPECT_EQ(field({{"duplicate_id", 1.5}}), "duplicate_id");
    EXPECT_EQ(field({{"duplicate_id", 7}, {"keep", true}}), "keep");
    EXPECT_EQ(field({{"duplicate_id", 7}, {"prefer", {"first_name"}}}), "prefer");
    EXPECT_EQ(field({{"duplicate_id", 7}, {"prefer", {{"first_name", "mine"}}}}),
              "prefer.first_name");
    EXPECT_EQ(field({{"duplicate_id", 7}, {"prefer", {{"attributes", {{"x", 1}}}}}}),
              "prefer.attributes.x");
    auto email = parse_merge_input({{"duplicate_id", 7}, {"prefer", {{"email", "duplicate"}}}});
    ASSERT_FALSE(email);
    EXPECT_EQ(email.error().field, "prefer.email");
    EXPECT_NE(email.error().message.find("keeps its e-mail"), std::string::npos);
}

} // namespace
} // namespace teilhabe::citizens
