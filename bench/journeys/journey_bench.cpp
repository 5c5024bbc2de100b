// Journey steps per second on a SQLite file (or PostgreSQL with a URL), and the time from an
// activity being written to the first step of the journey it triggers (p50/p99).
// Usage: teilhabe_journey_bench DATABASE_URL [PEOPLE] [mail]   (run by bench/journeys/run.sh)
// With "mail" only the send_email part runs (for profiling it alone, docs/benchmarks.md).
//
// Throughput: PEOPLE enrolments of a journey "wait 1d -> branch on a tag -> wait 1h -> exit"
// fall due at once; the engine runs them in its batches (256 enrolments per transaction) and we
// count steps run: the end of the first wait and the branch (a query per person), after which
// each person enters the second wait (due time and counters written) = 2 steps per person. A second journey measures send_email steps (render,
// consent and suppression checks, MIME, outbox row): 1 step per person.
// Latency: the real consumer loop of `serve` (app/consumers.h, 200 ms poll) and the engine's
// thread with the system clock; 200 activities, one every 20 ms.

#include "activity/activity_store.h"
#include "app/consumers.h"
#include "db/database.h"
#include "db/migrator.h"
#include "journeys/engine.h"
#include "journeys/journey_store.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string_view>
#include <fmt/format.h>
#include <thread>

using namespace teilhabe;
using nlohmann::json;

namespace {

std::int64_t make_journey(db::Database& db, const Clock& clock, const json& definition) {
    return db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<std::int64_t> {
                 auto j = TRY(journeys::store::create(c, {"Bench", "", definition}, {"system", ""}, clock));
                 TRY(journeys::store::set_active(c, j.id, true, {"system", ""}, clock));
                 return j.id;
             })
        .value();
}

void enrol_all(db::Database& db, const Clock& clock, std::int64_t journey_id, std::int64_t people,
               const journeys::EngineSettings& settings) {
    db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<void> {
          auto j = TRY(journeys::store::find(c, journey_id));
          for (std::int64_t id = 1; id <= people; ++id)
              TRY(journeys::enrol(c, *j, id, fmt::format("bench:{}", id), json::object(), settings, clock.now()));
          return {};
      })
        .value();
}

// This thread's CPU time: on a machine shared with others' builds the wall clock swings, the
// CPU time the steps took much less (the engine runs on the calling thread).
double cpu_seconds() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

double last_cpu = 0; // CPU seconds of the last run()

double run(journeys::Engine& engine, std::int64_t& steps) {
    auto start = std::chrono::steady_clock::now();
    auto cpu = cpu_seconds();
    steps = engine.run_until_idle(1'000'000).value();
    last_cpu = cpu_seconds() - cpu;
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s DATABASE_URL [PEOPLE]\n", argv[0]);
        return 2;
    }
    std::int64_t people = argc > 2 ? std::stoll(argv[2]) : 50'000;
    bool mail_only = argc > 3 && std::string_view(argv[3]) == "mail";
    ManualClock clock(from_unix_ms(1'780'000'000'000)); // a Thursday, 22:26 Berlin
    auto opened = db::Database::open({.url = argv[1], .pool_size = 6});
    if (!opened || !db::migrate(**opened, clock)) {
        std::fprintf(stderr, "cannot open the database\n");
        return 1;
    }
    auto& db = **opened;
    db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<void> {
          TRY(c.execute("INSERT INTO topics (key, name_de, name_en, created_at) VALUES ('news', 'Neues', 'News', 0)"));
          for (std::int64_t id = 1; id <= people; ++id) {
              TRY(c.execute("INSERT INTO citizens (id, email, first_name, last_name, created_at, updated_at) VALUES "
                            "(?, ?, 'Anna', 'Beispiel', 0, 0)",
                            {id, fmt::format("p{}@example.org", id)}));
              TRY(c.execute("INSERT INTO consents (citizen_id, subject, topic_id, status, consent_text_id, "
                            "requested_at, request_ip, updated_at) VALUES (?, 'topic:news', (SELECT id FROM topics "
                            "WHERE key = 'news'), 'confirmed', (SELECT MIN(id) FROM consent_texts), 0, '', 0)",
                            {id}));
              if (id % 2 == 0)
                  TRY(c.execute("INSERT INTO citizen_tags (citizen_id, tag) VALUES (?, 'kultur')", {id}));
          }
          return {};
      })
        .value();

    journeys::EngineSettings settings;
    settings.mail.secret = "bench";
    journeys::TagRuleEvaluator rules;
    journeys::Engine engine(db, clock, settings, &rules);

    std::int64_t steps = 0;
    double secs = 0;
    if (!mail_only) {
        auto light = make_journey(db, clock,
                                  {{"trigger", {{"type", "activity"}, {"activity", "bench.light"}}},
                                   {"steps", json::array({{{"type", "wait"}, {"duration", "1d"}},
                                                          {{"type", "branch"}, {"rule", {{"tag", "kultur"}}}},
                                                          {{"type", "wait"}, {"duration", "1h"}},
                                                          {{"type", "exit"}}})}});
        enrol_all(db, clock, light, people, settings);
        run(engine, steps); // nothing due yet
        clock.advance(std::chrono::hours(25));
        secs = run(engine, steps);
        fmt::print("wait/branch/wait/exit: {} steps in {:.2f} s = {:.0f} steps/s ({:.0f} per CPU second)\n", steps,
                   secs, steps / secs, steps / last_cpu);
    }

    auto mail = make_journey(db, clock,
                             {{"trigger", {{"type", "activity"}, {"activity", "bench.mail"}}},
                              {"quiet_hours", false},
                              {"steps", json::array({{{"type", "send_email"}, {"subject", "Hallo {{first_name}}"},
                                                      {"body", "Willkommen, **{{first_name}}**!"}}})}});
    enrol_all(db, clock, mail, people / 5, settings);
    secs = run(engine, steps);
    fmt::print("send_email: {} steps in {:.2f} s = {:.0f} steps/s ({:.0f} per CPU second)\n", steps, secs, steps / secs,
               steps / last_cpu);
    if (mail_only)
        return 0;

    // Latency: activity written -> first step run, with the threads of `serve`.
    SystemClock real;
    make_journey(db, real,
                 {{"trigger", {{"type", "activity"}, {"activity", "bench.ping"}}},
                  {"reentry", "always"},
                  {"steps", json::array({{{"type", "branch"}, {"rule", {{"tag", "kultur"}}}}, {{"type", "exit"}}})}});
    journeys::Engine live(db, real, settings, &rules);
    app::ConsumerLoop loop(db, real, app::all_consumers(real, settings), {}, [&live] { live.notify(); });
    live.start();
    loop.start();
    std::vector<double> latencies;
    for (int i = 0; i < 200; ++i) {
        auto written = std::chrono::steady_clock::now();
        auto a = db.transaction(db::TxMode::Write, [&](db::Connection& c) {
                       return activity::append(c, {.type = "bench.ping", .citizen_id = 1 + i, .actor = "system"},
                                                      real);
                   })
                     .value();
        auto key = fmt::format("activity:{}", a.id);
        for (;;) {
            auto done = db.transaction(db::TxMode::Read, [&](db::Connection& c) -> Result<bool> {
                auto rows = TRY(c.query("SELECT state FROM journey_enrolments WHERE trigger_key = ?", {key}));
                return !rows.empty() && rows.first().get_text(0) != "active";
            });
            if (done && *done)
                break;
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        latencies.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - written).count());
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    loop.stop();
    live.stop();
    std::sort(latencies.begin(), latencies.end());
    fmt::print("activity -> first step: p50 {:.0f} ms, p99 {:.0f} ms, max {:.0f} ms (200 activities)\n",
               latencies[latencies.size() / 2], latencies[latencies.size() * 99 / 100], latencies.back());
    return 0;
}
