// Test-only worker process for the crash test in job_test.cpp (never part of `teilhabe`).
// Usage: teilhabe_job_crash_fixture DB_URL NOW_MS hang|finish
// Runs one batch of the worker with the clock fixed at NOW_MS. The "test.mark" handler records
// a mark (its visible side effect) and then, in `hang` mode, prints CLAIMED and waits to be
// killed; in `finish` mode it returns and the job is marked done.

#include "db/database.h"
#include "jobs/worker.h"

#include <cstdio>
#include <cstdlib>
#include <string>
#include <unistd.h>

using namespace teilhabe;

int main(int argc, char** argv) {
    if (argc != 4)
        return 2;
    std::string mode = argv[3];
    auto db = db::Database::open({.url = argv[1], .pool_size = 2});
    if (!db) {
        std::fprintf(stderr, "%s\n", db.error().message.c_str());
        return 1;
    }
    ManualClock clock(from_unix_ms(std::atoll(argv[2])));
    jobs::Worker worker(**db, clock, {.worker_id = "fixture-" + std::to_string(::getpid())});
    worker.register_handler("test.mark", [&](const jobs::Job& job) -> Result<void> {
        TRY((*db)->transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<void> {
            TRY(c.query("INSERT INTO crash_marks (job_id, mode) VALUES (?, ?)", {job.id, mode}));
            return {};
        }));
        if (mode == "hang") {
            std::printf("CLAIMED %lld\n", static_cast<long long>(job.id));
            std::fflush(stdout);
            for (;;)
                ::pause();
        }
        return {};
    });
    auto ran = worker.run_once();
    if (!ran) {
        std::fprintf(stderr, "%s\n", ran.error().message.c_str());
        return 1;
    }
    std::printf("RAN %d\n", *ran);
    return 0;
}
