// The consumers of `serve`: the list, and the loop that runs them (one round at a time here).

#include "activity/activity_store.h"
#include "app/consumers.h"
#include "db/test_support.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <thread>

namespace teilhabe::app {
namespace {

using namespace std::chrono_literals;

struct Counting : activity::Consumer {
    std::string m_name;
    bool broken{false};
    int seen{0};
    explicit Counting(std::string name, bool broken = false)
        : m_name(std::move(name)), broken(broken) {}
    std::string name() const override { return m_name; }
    Result<void> handle(db::Connection&, const activity::Activity&) override {
        if (broken)
            return fail(Error::unavailable("down"));
        ++seen;
        return {};
    }
};

TEST(Consumers, TheListHasEveryConsumer) {
    ManualClock clock;
    auto list = all_consumers(clock);
    for (const char* name : {"webhooks", "points", "segments", "journeys"})
        EXPECT_TRUE(std::ranges::any_of(list, [&](const auto& c) { return c->name() == name; }))
            << name;
}

class ConsumerLoopTest : public ::testing::TestWithParam<db::Backend> {};

// One consumer failing does not hold up the others; progress wakes whoever waits for jobs.
TEST_P(ConsumerLoopTest, RunsEveryConsumerAndReportsProgress) {
    auto t = db::testing::make_database(GetParam());
    ASSERT_TRUE(t.has_value()) << t.error().message;
    ManualClock clock;
    for (int i = 0; i < 3; ++i)
        ASSERT_TRUE(t.value()
                        ->db
                        ->transaction(db::TxMode::Write,
                                      [&](db::Connection& c) {
                                          return activity::append(
                                              c, {.type = "pool.visit", .actor = "system"}, clock);
                                      })
                        .has_value());
    std::vector<std::unique_ptr<activity::Consumer>> list;
    list.push_back(std::make_unique<Counting>("broken", true));
    list.push_back(std::make_unique<Counting>("working"));
    auto* working = static_cast<Counting*>(list.back().get());
    int woken = 0;
    ConsumerLoop loop(*t.value()->db, clock, std::move(list), {}, [&] { ++woken; });
    // PostgreSQL shows the rows once older transactions anywhere in the cluster have ended
    // (see activity_test.cpp): wait for that, boundedly.
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while (working->seen < 3 && std::chrono::steady_clock::now() < deadline)
        if (loop.run_once() == 0)
            std::this_thread::sleep_for(5ms); // waiting on other processes' transactions
    EXPECT_EQ(working->seen, 3);
    EXPECT_GE(woken, 1);
    int before = woken;
    EXPECT_EQ(loop.run_once(), 0);
    EXPECT_EQ(woken, before) << "no progress, nobody woken";
    // The background thread starts and stops promptly (stop joins it).
    loop.start();
    loop.notify();
    loop.stop();
}

INSTANTIATE_TEST_SUITE_P(Backends, ConsumerLoopTest, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::app
