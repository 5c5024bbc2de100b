// How lists are looked up at scale (bench/citizens): a name prefix is either checked on each
// person in id order or collected from the name indexes; both ways list the same people in
// the same pages, alone and with every other filter.

#include "citizens/test_fixture.h"
#include "citizens/text.h"

namespace teilhabe::citizens {
namespace {

using nlohmann::json;
using testing::StoreTest;

class CitizenList : public StoreTest {
protected:
    // Every page of the query, followed through next_cursor with `limit` people a page.
    std::vector<std::int64_t> walk(std::vector<std::pair<std::string, std::string>> params,
                                   const store::ListPlan& plan, int limit = 2) {
        auto q = parse_citizen_query(params);
        EXPECT_TRUE(q) << q.error().message;
        std::vector<std::int64_t> seen;
        if (!q)
            return seen;
        q->limit = limit;
        for (int pages = 0; pages < 100; ++pages) {
            auto page = tx([&](db::Connection& c) { return store::list_citizens(c, *q, plan); });
            EXPECT_TRUE(page) << page.error().message;
            if (!page)
                break;
            EXPECT_LE(page->items.size(), static_cast<std::size_t>(limit));
            for (const auto& c : page->items)
                seen.push_back(c.id);
            if (!page->next_cursor)
                break;
            q->after_id = decode_cursor(*page->next_cursor).value();
        }
        return seen;
    }
};

constexpr store::ListPlan kWalked{.prefix_collect_below = 0};
constexpr store::ListPlan kCollected{.prefix_collect_below = std::int64_t{1} << 40};

TEST_P(CitizenList, PrefixSearchListsTheSamePeopleWalkedOrCollected) {
    std::vector<std::int64_t> mueller, mueller_nord, mueller_tagged;
    for (int i = 0; i < 12; ++i) {
        // Müller by last name, by first name (Müllerin is not a name, but a prefix match) or
        // by e-mail only; others in between.
        json body{{"email", (i % 3 == 2 ? "mueller" : "p") + std::to_string(i) + "@example.org"},
                  {"district", i % 2 ? "Nord" : "Süd"}};
        if (i % 3 == 0)
            body["last_name"] = "Müller";
        if (i % 3 == 1)
            body["first_name"] = "Müllerin";
        if (i % 4 == 0)
            body["tags"] = {"ehrenamt"};
        auto c = create(body);
        ASSERT_TRUE(c) << c.error().message;
        bool matches = i % 3 != 2;
        if (matches)
            mueller.push_back(c->id);
        if (matches && i % 2)
            mueller_nord.push_back(c->id);
        if (matches && i % 4 == 0)
            mueller_tagged.push_back(c->id);
        ASSERT_TRUE(create(
            {{"email", "other" + std::to_string(i) + "@example.org"}, {"last_name", "Meyer"}}));
    }
    std::vector<std::int64_t> by_email;
    for (int i = 2; i < 12; i += 3)
        by_email.push_back(scalar("SELECT id FROM citizens WHERE email = ?",
                                  {"mueller" + std::to_string(i) + "@example.org"}));

    for (const auto& plan : {kWalked, kCollected}) {
        SCOPED_TRACE(plan.prefix_collect_below == 0 ? "walked" : "collected");
        EXPECT_EQ(walk({{"q", "MÜL"}}, plan), mueller) << "every page, in id order, once";
        EXPECT_EQ(walk({{"q", "mül"}, {"district", "Nord"}}, plan), mueller_nord);
        EXPECT_EQ(walk({{"q", "mül"}, {"tag", "ehrenamt"}}, plan), mueller_tagged);
        EXPECT_EQ(walk({{"q", "mueller"}}, plan), by_email);
        EXPECT_EQ(walk({{"q", "mül"}, {"restricted", "true"}}, plan), std::vector<std::int64_t>{});
        EXPECT_EQ(walk({{"q", "nobody"}}, plan), std::vector<std::int64_t>{});
        EXPECT_EQ(walk({{"q", "mül"}}, plan, 50), mueller) << "one page";
    }
}

TEST_P(CitizenList, TheDefaultPlanCollectsARarePrefixAndWalksACommonOne) {
    // Three people match "rar", eight match "oft": with a threshold of five, the first is
    // collected and the second walked; both list the same as the other way round.
    std::vector<std::int64_t> rare, common;
    for (int i = 0; i < 11; ++i) {
        auto c = create({{"email", "x" + std::to_string(i) + "@example.org"},
                         {"last_name", i < 3 ? "Rarität" : "Oft"}});
        ASSERT_TRUE(c) << c.error().message;
        (i < 3 ? rare : common).push_back(c->id);
    }
    store::ListPlan five{.prefix_collect_below = 5};
    EXPECT_EQ(walk({{"q", "rar"}}, five), rare);
    EXPECT_EQ(walk({{"q", "oft"}}, five), common);
    EXPECT_EQ(walk({{"q", "rar"}}, kWalked), rare);
    EXPECT_EQ(walk({{"q", "oft"}}, kCollected), common);
}

TEST_P(CitizenList, RestrictedPeopleAreFoundThroughTheirIndexInIdOrder) {
    std::vector<std::int64_t> restricted;
    for (int i = 0; i < 7; ++i) {
        auto c = create({{"email", "r" + std::to_string(i) + "@example.org"}});
        ASSERT_TRUE(c) << c.error().message;
        if (i % 3 == 1) {
            auto r = tx([&](db::Connection& cn) {
                return cn.query("UPDATE citizens SET restricted_at = ? WHERE id = ?",
                                {m_clock.now_ms(), c->id});
            });
            ASSERT_TRUE(r) << r.error().message;
            restricted.push_back(c->id);
        }
    }
    EXPECT_EQ(walk({{"restricted", "true"}}, {}, 1), restricted);
    // The partial index of migration 0007, and on SQLite (whose planner has no statistics
    // here) the list's condition really goes through it rather than through everyone.
    if (GetParam() == db::Backend::Sqlite) {
        auto plan = tx([&](db::Connection& c) {
            return c.query("EXPLAIN QUERY PLAN SELECT c.id FROM citizens c WHERE c.id > ? AND "
                           "c.restricted_at IS NOT NULL ORDER BY c.id LIMIT ?",
                           {std::int64_t{0}, std::int64_t{51}});
        });
        ASSERT_TRUE(plan) << plan.error().message;
        std::string details;
        for (const auto& r : plan->rows)
            details += r.get_text(3) + "\n";
        EXPECT_NE(details.find("citizens_restricted"), std::string::npos) << details;
    } else {
        EXPECT_EQ(scalar("SELECT count(*) FROM pg_indexes WHERE indexname = 'citizens_restricted'"),
                  1);
    }
}

INSTANTIATE_TEST_SUITE_P(Backends, CitizenList, ::testing::ValuesIn(db::testing::backends()),
                         testing::backend_test_name);

} // namespace
} // namespace teilhabe::citizens
