// `teilhabe bounce [--recipient ADDR]`: a delivery status notification on standard input, as
// Postfix's pipe transport hands it over (README "Bounces"). Exit codes follow sysexits.h as
// Postfix reads them: 0 handled (also for input that is no report: logged and dropped, so the
// MTA does not loop on it); 75 EX_TEMPFAIL when the database cannot be reached or fails, so
// Postfix keeps the report and tries again.

#include "app/commands.h"
#include "app/runtime.h"
#include "delivery/bounce.h"

#include <iostream>
#include <iterator>
#include <spdlog/spdlog.h>

namespace teilhabe::app {

namespace {
constexpr int kTempFail = 75;
constexpr std::size_t kMaxReport = 10 * 1024 * 1024;
} // namespace

int cmd_bounce(const Config& config, const std::string& recipient, std::istream& in) {
    std::string raw;
    raw.reserve(64 * 1024);
    std::istreambuf_iterator<char> it(in), end;
    for (; it != end && raw.size() < kMaxReport; ++it)
        raw += *it;
    auto dsn = delivery::parse_dsn(raw);
    if (!dsn) {
        spdlog::warn("bounce: dropped {} bytes that are no delivery status notification: {}",
                     raw.size(), dsn.error().message);
        return 0;
    }
    auto rt = open_runtime(config, false);
    if (!rt)
        return kTempFail;
    auto outcome = rt->db->transaction(db::TxMode::Write, [&](db::Connection& c) {
        return delivery::apply_dsn(c, *dsn, recipient, rt->secret, rt->clock);
    });
    if (!outcome) {
        spdlog::error("bounce: {}", outcome.error().message);
        return kTempFail;
    }
    spdlog::warn("bounce: {} hard, {} soft, {} other; rows bounced: {}", outcome->hard,
                 outcome->soft, outcome->ignored, outcome->rows.size());
    return 0;
}

} // namespace teilhabe::app
