#include "jobs/job.h"

#include <algorithm>

namespace teilhabe::jobs {

const char* to_string(JobState s) {
    switch (s) {
    case JobState::Queued: return "queued";
    case JobState::Running: return "running";
    case JobState::Done: return "done";
    case JobState::Failed: return "failed";
    }
    return "queued";
}

std::optional<JobState> parse_state(std::string_view s) {
    if (s == "queued")
        return JobState::Queued;
    if (s == "running")
        return JobState::Running;
    if (s == "done")
        return JobState::Done;
    if (s == "failed")
        return JobState::Failed;
    return std::nullopt;
}

std::chrono::milliseconds backoff(int attempts) {
    using namespace std::chrono;
    int exp = std::clamp(attempts - 1, 0, 20);
    auto d = seconds(30) * (1LL << exp);
    return duration_cast<milliseconds>(std::min<seconds>(d, hours(6)));
}

} // namespace teilhabe::jobs
