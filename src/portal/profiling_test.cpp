// Progressive profiling's rules without a database: which fields are asked, in which order,
// how many at once, and the pause after "not now".

#include "portal/profiling.h"

#include <gtest/gtest.h>

namespace teilhabe::portal {
namespace {

using citizens::FieldDefinition;
using nlohmann::json;
using namespace std::chrono_literals;

FieldDefinition field(std::int64_t id, const std::string& key, int order, bool ask = true) {
    FieldDefinition f;
    f.id = id;
    f.key = key;
    f.ask_in_portal = ask;
    f.portal_order = order;
    return f;
}

std::vector<std::string> keys(const std::vector<FieldDefinition>& fields) {
    std::vector<std::string> out;
    for (const auto& f : fields)
        out.push_back(f.key);
    return out;
}

constexpr std::int64_t kNow = 1'780'000'000'000;

TEST(Profiling, AsksMarkedFieldsWithoutAValueInTheOrderStaffSetAtMostThree) {
    std::vector<FieldDefinition> fields{field(1, "zeta", 1),          field(2, "alpha", 5),
                                        field(3, "hidden", 0, false), field(4, "beta", 1),
                                        field(5, "known", 2),         field(6, "later", 9)};
    json attributes{{"known", 1984}, {"hidden", nullptr}};
    auto asked = next_questions(fields, attributes, {}, kNow, {});
    EXPECT_EQ(keys(asked), (std::vector<std::string>{"beta", "zeta", "alpha"}));
    ProfilingPolicy one;
    one.at_most = 1;
    EXPECT_EQ(keys(next_questions(fields, attributes, {}, kNow, one)),
              (std::vector<std::string>{"beta"}));
    // An empty text or list is no answer.
    json empty{{"beta", ""}, {"zeta", json::array()}, {"alpha", nullptr}};
    EXPECT_EQ(keys(next_questions(fields, empty, {}, kNow, {})),
              (std::vector<std::string>{"beta", "zeta", "known"}));
}

TEST(Profiling, ADeclinedQuestionRestsForThePauseThenComesBack) {
    std::vector<FieldDefinition> fields{field(1, "a", 1), field(2, "b", 2)};
    ProfilingPolicy policy; // 90 days by default
    Declines declined{{1, kNow}};
    EXPECT_EQ(keys(next_questions(fields, json::object(), declined, kNow, policy)),
              (std::vector<std::string>{"b"}));
    auto day = std::chrono::duration_cast<Millis>(24h).count();
    EXPECT_EQ(keys(next_questions(fields, json::object(), declined, kNow + 89 * day, policy)),
              (std::vector<std::string>{"b"}));
    EXPECT_EQ(keys(next_questions(fields, json::object(), declined, kNow + 90 * day, policy)),
              (std::vector<std::string>{"a", "b"}));
    policy.ask_again_after = std::chrono::duration_cast<Millis>(24h * 7);
    EXPECT_EQ(keys(next_questions(fields, json::object(), declined, kNow + 7 * day, policy)),
              (std::vector<std::string>{"a", "b"}));
    EXPECT_FALSE(may_ask(fields[0], json::object(), declined, kNow + 6 * day, policy));
}

} // namespace
} // namespace teilhabe::portal
