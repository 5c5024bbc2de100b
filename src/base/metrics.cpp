#include "base/metrics.h"

#include <fmt/format.h>

namespace teilhabe {

void Metrics::record_request(int status, double seconds) {
    int cls = status / 100;
    m_status[(cls >= 1 && cls <= 5) ? cls - 1 : 5].fetch_add(1, std::memory_order_relaxed);
    for (std::size_t i = 0; i < kBuckets.size(); ++i)
        if (seconds <= kBuckets[i]) {
            m_le[i].fetch_add(1, std::memory_order_relaxed);
            break;
        }
    m_count.fetch_add(1, std::memory_order_relaxed);
    m_sum_us.fetch_add(static_cast<std::uint64_t>(seconds * 1e6), std::memory_order_relaxed);
}

void Metrics::add_job_run(bool ok) { (ok ? m_jobs_ok : m_jobs_failed).fetch_add(1); }
void Metrics::add_login(bool ok) { (ok ? m_logins_ok : m_logins_failed).fetch_add(1); }

std::string Metrics::render_prometheus() const {
    std::string out;
    out += "# HELP teilhabe_http_requests_total HTTP requests answered, by status class.\n"
           "# TYPE teilhabe_http_requests_total counter\n";
    static const char* classes[] = {"1xx", "2xx", "3xx", "4xx", "5xx", "other"};
    for (std::size_t i = 0; i < m_status.size(); ++i)
        out += fmt::format("teilhabe_http_requests_total{{status=\"{}\"}} {}\n", classes[i],
                           m_status[i].load());
    out += "# HELP teilhabe_http_request_duration_seconds Time to answer a request.\n"
           "# TYPE teilhabe_http_request_duration_seconds histogram\n";
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
        cumulative += m_le[i].load();
        out += fmt::format("teilhabe_http_request_duration_seconds_bucket{{le=\"{}\"}} {}\n",
                           kBuckets[i], cumulative);
    }
    out += fmt::format("teilhabe_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {}\n",
                       m_count.load());
    out += fmt::format("teilhabe_http_request_duration_seconds_sum {:.6f}\n",
                       static_cast<double>(m_sum_us.load()) / 1e6);
    out += fmt::format("teilhabe_http_request_duration_seconds_count {}\n", m_count.load());
    out += "# HELP teilhabe_jobs_run_total Durable jobs run, by outcome.\n"
           "# TYPE teilhabe_jobs_run_total counter\n";
    out += fmt::format("teilhabe_jobs_run_total{{outcome=\"ok\"}} {}\n", m_jobs_ok.load());
    out += fmt::format("teilhabe_jobs_run_total{{outcome=\"failed\"}} {}\n", m_jobs_failed.load());
    out += "# HELP teilhabe_staff_logins_total Staff log-in attempts, by outcome.\n"
           "# TYPE teilhabe_staff_logins_total counter\n";
    out += fmt::format("teilhabe_staff_logins_total{{outcome=\"ok\"}} {}\n", m_logins_ok.load());
    out += fmt::format("teilhabe_staff_logins_total{{outcome=\"failed\"}} {}\n",
                       m_logins_failed.load());
    return out;
}

} // namespace teilhabe
