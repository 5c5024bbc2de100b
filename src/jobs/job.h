#pragma once
// Durable jobs (DESIGN.md "Durable jobs"): anything that happens later is a row with a due
// time, claimed atomically, executed idempotently and marked done. A worker that dies leaves
// its claim to expire; the job then runs again. Repeats are bounded by max_attempts.

#include "base/clock.h"
#include "base/error.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace teilhabe::jobs {

enum class JobState { Queued, Running, Done, Failed };
const char* to_string(JobState s);
std::optional<JobState> parse_state(std::string_view s);

struct JobSpec {
    std::string kind;        // handler name, e.g. "mail.send"
    std::string payload{"{}"}; // JSON
    TimePoint due_at{};      // default: now
    // Enqueueing the same unique_key twice keeps the first job (dedupe across retries).
    std::optional<std::string> unique_key;
    int max_attempts{10};
};

struct Job {
    std::int64_t id{0};
    std::string kind;
    std::string payload;
    JobState state{JobState::Queued};
    TimePoint due_at{};
    int attempts{0};
    int max_attempts{10};
    std::optional<std::string> last_error;
};

// Exponential back-off with a cap: 30 s, 1 min, 2 min ... at most 6 h.
std::chrono::milliseconds backoff(int attempts);

} // namespace teilhabe::jobs
