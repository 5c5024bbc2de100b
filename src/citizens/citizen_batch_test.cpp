// find_citizens, the batch form of find_citizen, on SQLite and PostgreSQL: the same profiles as
// one read each, in id order, without the ids that have none, across more ids than one statement
// binds.

#include "citizens/citizen_batch.h"
#include "citizens/test_fixture.h"

namespace teilhabe::citizens {
namespace {

using nlohmann::json;
using testing::StoreTest;

class CitizenBatch : public StoreTest {};

TEST_P(CitizenBatch, ReadsTheProfilesAsFindCitizenDoesInIdOrder) {
    auto anna = create({{"email", "anna@example.org"},
                        {"first_name", "Anna"},
                        {"tags", {"ehrenamt", "chor"}},
                        {"interests", {"kultur"}},
                        {"attributes", {{"birth_year", 1984}, {"volunteering", {"sports", "garden"}}}}});
    auto ben = create({{"email", "ben@example.org"}, {"first_name", "Ben"}, {"language", "en"}});
    auto cleo = create({{"email", "cleo@example.org"}, {"interests", {"umwelt", "kultur"}}});
    ASSERT_TRUE(anna && ben && cleo);
    // Unknown ids, a repeat, and more ids than one statement binds (500).
    std::vector<std::int64_t> ids{cleo->id, anna->id, cleo->id};
    for (std::int64_t missing = 100'000; missing < 101'200; ++missing)
        ids.push_back(missing);
    auto found = tx([&](db::Connection& c) { return store::find_citizens(c, ids); });
    ASSERT_TRUE(found) << found.error().message;
    ASSERT_EQ(found->size(), 2u);
    EXPECT_EQ((*found)[0].id, anna->id);
    EXPECT_EQ((*found)[1].id, cleo->id);
    for (const auto& p : *found) {
        auto one = get(p.id);
        ASSERT_TRUE(one);
        EXPECT_EQ(p.email, one->email);
        EXPECT_EQ(p.first_name, one->first_name);
        EXPECT_EQ(p.language, one->language);
        EXPECT_EQ(p.tags, one->tags);
        EXPECT_EQ(p.interests, one->interests);
        EXPECT_EQ(p.attributes, one->attributes);
        EXPECT_EQ(p.updated_at, one->updated_at);
    }
    EXPECT_EQ((*found)[0].tags, (std::vector<std::string>{"chor", "ehrenamt"}));
    EXPECT_EQ((*found)[0].attributes, json({{"birth_year", 1984}, {"volunteering", {"garden", "sports"}}}));
    EXPECT_EQ((*found)[1].interests, (std::vector<std::string>{"kultur", "umwelt"}));

    auto none = tx([&](db::Connection& c) { return store::find_citizens(c, {}); });
    ASSERT_TRUE(none);
    EXPECT_TRUE(none->empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, CitizenBatch, ::testing::ValuesIn(db::testing::backends()),
                         testing::backend_test_name);

} // namespace
} // namespace teilhabe::citizens
