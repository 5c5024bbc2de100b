// Points awarded through the rules per second on SQLite (the points consumer over a backlog of
// activities, as `serve` runs it), beside the raw insert rate of the same database in the same
// run (one-row INSERTs in transactions of the same batch size). Not a test; bench/points/run.sh.

#include "activity/activity_store.h"
#include "activity/consumer.h"
#include "db/database.h"
#include "db/migrator.h"
#include "ledger/ledger_store.h"
#include "points/points_consumer.h"
#include "points/points_store.h"

#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <unistd.h>

using namespace teilhabe;
using Clock_ = std::chrono::steady_clock;

namespace {

double seconds_since(Clock_::time_point t) {
    return std::chrono::duration<double>(Clock_::now() - t).count();
}

// CPU time of this process: on a machine other builds share, wall time measures them too.
double cpu_seconds() {
    timespec ts{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

void must(const Result<void>& r, const char* what) {
    if (!r) {
        std::fprintf(stderr, "%s: %s\n", what, r.error().message.c_str());
        std::exit(1);
    }
}

} // namespace

int main(int argc, char** argv) {
    int n = argc > 1 ? std::atoi(argv[1]) : 100'000;
    int people = 1'000;
    int batch = 500;
    auto dir = std::filesystem::temp_directory_path() / ("points-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    auto db = db::Database::open({.url = "sqlite:" + (dir / "bench.db").string(), .pool_size = 2});
    if (!db) {
        std::fprintf(stderr, "%s\n", db.error().message.c_str());
        return 1;
    }
    ManualClock clock;
    if (auto m = db::migrate(**db, clock); !m) {
        std::fprintf(stderr, "migrate: %s\n", m.error().message.c_str());
        return 1;
    }
    // People, a rule without caps, and the backlog of activities it applies to.
    must((*db)->transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<void> {
        for (int i = 0; i < people; ++i)
            TRY(c.execute("INSERT INTO citizens (email, created_at, updated_at) VALUES (?, 0, 0)",
                          {"p" + std::to_string(i) + "@bench.example"}));
        TRY(points::create_rule(c, {.name = "Besuch", .activity_type = "bench.visit", .points = 1},
                                clock.now()));
        TRY(c.exec_script("CREATE TABLE bench_rows (id INTEGER PRIMARY KEY, a BIGINT, b TEXT, "
                          "c BIGINT)"));
        return {};
    }), "seed");
    for (int done = 0; done < n; done += batch)
        must((*db)->transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<void> {
            for (int i = done; i < std::min(n, done + batch); ++i)
                TRY(activity::append(c, {.type = "bench.visit", .citizen_id = 1 + i % people,
                                         .actor = "system", .object = "visit:" + std::to_string(i)},
                                     clock));
            return {};
        }), "activities");

    // Baseline: the raw insert rate of the same database file.
    auto t0 = Clock_::now();
    auto c0 = cpu_seconds();
    for (int done = 0; done < n; done += batch)
        must((*db)->transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<void> {
            for (int i = done; i < std::min(n, done + batch); ++i)
                TRY(c.execute("INSERT INTO bench_rows (a, b, c) VALUES (?, ?, ?)",
                              {std::int64_t{i}, "visit:" + std::to_string(i), std::int64_t{1}}));
            return {};
        }), "raw inserts");
    double raw = n / seconds_since(t0);
    double raw_cpu = n / (cpu_seconds() - c0);

    // Awards through the rules: the points consumer, batch by batch, until it has seen them all.
    points::PointsConsumer consumer(clock);
    auto t1 = Clock_::now();
    auto c1 = cpu_seconds();
    for (;;) {
        auto k = activity::run_consumer_once(**db, consumer, clock, batch);
        if (!k) {
            std::fprintf(stderr, "consumer: %s\n", k.error().message.c_str());
            return 1;
        }
        if (*k == 0)
            break;
    }
    double secs = seconds_since(t1);
    double cpu = cpu_seconds() - c1;
    auto lease = (*db)->acquire().value();
    auto awards = lease->query_one("SELECT COUNT(*) FROM points_awards").value().get_int(0);
    double rate = awards / secs;
    auto report = ledger::check(*lease).value();
    std::printf("activities %d, people %d, batch %d\n", n, people, batch);
    std::printf("                   wall clock      per CPU second of this process\n");
    std::printf("raw inserts      %10.0f rows/s  %10.0f rows/s\n", raw, raw_cpu);
    std::printf("awards by rules  %10.0f /s      %10.0f /s   (%lld awards, %.2f s wall, %.2f s CPU; "
                "%.1f%% of the raw rate per CPU second)\n",
                rate, awards / cpu, static_cast<long long>(awards), secs, cpu,
                100.0 * (awards / cpu) / raw_cpu);
    std::printf("ledger check     %s (%lld accounts, %lld transfers)\n",
                report.ok() ? "balanced" : "NOT BALANCED", static_cast<long long>(report.accounts),
                static_cast<long long>(report.transfers));
    std::filesystem::remove_all(dir);
    return report.ok() && awards == n ? 0 : 1;
}
