#pragma once
// The suppression list: addresses that are never mailed (hard bounces, complaints, erased
// people, manual entries). Keyed by the SHA-256 of the normalised address, so an erased
// person stays suppressed without their address being kept (GDPR Art. 17 with Art. 21(3):
// the objection is honoured for good). Every function runs inside the caller's transaction.

#include "base/clock.h"
#include "db/connection.h"

#include <vector>

namespace teilhabe::delivery::suppressions {

enum class Reason { HardBounce, Complaint, Erased, Manual };
const char* to_string(Reason r);
std::optional<Reason> parse_reason(std::string_view s);

// Lower-case hex SHA-256 of normalise_email(email).
std::string email_hash(std::string_view email);

struct Suppression {
    std::string email_hash;
    Reason reason{Reason::Manual};
    std::string detail;
    TimePoint created_at{};
};

Result<bool> is_suppressed(db::Connection& c, std::string_view email);
// Adds the address; returns false when it was already on the list (the first reason stays).
Result<bool> suppress(db::Connection& c, std::string_view email, Reason reason,
                      const std::string& detail, const Clock& clock);
// Removes an entry (a manual correction by staff). Returns false when there was none.
Result<bool> unsuppress(db::Connection& c, std::string_view email);
// Newest first.
Result<std::vector<Suppression>> list(db::Connection& c, int limit, int offset);

// A temporary failure reported for the address. Five within 30 days suppress it as a
// hard bounce; returns true when this one did.
inline constexpr int kSoftBounceLimit = 5;
inline constexpr std::chrono::hours kSoftBounceWindow{24 * 30};
Result<bool> record_soft_bounce(db::Connection& c, std::string_view email,
                                const std::string& detail, const Clock& clock);

} // namespace teilhabe::delivery::suppressions
