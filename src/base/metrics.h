#pragma once
// A small Prometheus registry: counters and a latency histogram, lock-free on the hot path,
// rendered in the text exposition format for GET /metrics.

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

namespace teilhabe {

class Metrics {
public:
    // Request counted by method class and status class (2xx ... 5xx), latency in seconds.
    void record_request(int status, double seconds);
    void add_job_run(bool ok);
    void add_login(bool ok);
    std::string render_prometheus() const;

    static constexpr std::array<double, 10> kBuckets{0.001, 0.0025, 0.005, 0.01, 0.025,
                                                     0.05,  0.1,    0.25,  0.5,  1.0};

private:
    std::array<std::atomic<std::uint64_t>, 6> m_status{};         // 1xx..5xx, other
    std::array<std::atomic<std::uint64_t>, kBuckets.size()> m_le{}; // cumulative at render
    std::atomic<std::uint64_t> m_count{0};
    std::atomic<std::uint64_t> m_sum_us{0};
    std::atomic<std::uint64_t> m_jobs_ok{0}, m_jobs_failed{0};
    std::atomic<std::uint64_t> m_logins_ok{0}, m_logins_failed{0};
};

} // namespace teilhabe
