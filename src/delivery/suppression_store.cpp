#include "delivery/suppression_store.h"

#include "base/email.h"
#include "security/crypto.h"

#include <fmt/format.h>

namespace teilhabe::delivery::suppressions {

const char* to_string(Reason r) {
    switch (r) {
    case Reason::HardBounce: return "hard_bounce";
    case Reason::Complaint: return "complaint";
    case Reason::Erased: return "erased";
    case Reason::Manual: return "manual";
    }
    return "manual";
}

std::optional<Reason> parse_reason(std::string_view s) {
    for (auto r : {Reason::HardBounce, Reason::Complaint, Reason::Erased, Reason::Manual})
        if (s == to_string(r))
            return r;
    return std::nullopt;
}

std::string email_hash(std::string_view email) {
    return security::sha256_hex(normalise_email(email));
}

Result<bool> is_suppressed(db::Connection& c, std::string_view email) {
    auto rows = TRY(c.query("SELECT 1 FROM suppressions WHERE email_hash = ?", {email_hash(email)}));
    return !rows.empty();
}

Result<bool> suppress(db::Connection& c, std::string_view email, Reason reason,
                      const std::string& detail, const Clock& clock) {
    auto n = TRY(c.execute("INSERT INTO suppressions (email_hash, reason, detail, created_at) "
                           "VALUES (?, ?, ?, ?) ON CONFLICT (email_hash) DO NOTHING",
                           {email_hash(email), to_string(reason), detail, clock.now_ms()}));
    return n == 1;
}

Result<bool> unsuppress(db::Connection& c, std::string_view email) {
    auto n = TRY(c.execute("DELETE FROM suppressions WHERE email_hash = ?", {email_hash(email)}));
    return n == 1;
}

Result<std::vector<Suppression>> list(db::Connection& c, int limit, int offset) {
    auto rows = TRY(c.query("SELECT email_hash, reason, detail, created_at FROM suppressions "
                            "ORDER BY created_at DESC, email_hash LIMIT ? OFFSET ?",
                            {std::int64_t{limit}, std::int64_t{offset}}));
    std::vector<Suppression> out;
    for (const auto& r : rows.rows)
        out.push_back({r.get_text(0), parse_reason(r.get_text(1)).value_or(Reason::Manual),
                       r.get_text(2), from_unix_ms(r.get_int(3))});
    return out;
}

Result<bool> record_soft_bounce(db::Connection& c, std::string_view email,
                                const std::string& detail, const Clock& clock) {
    auto hash = email_hash(email);
    auto now = clock.now_ms();
    auto since = now - std::chrono::duration_cast<Millis>(kSoftBounceWindow).count();
    TRY(c.execute("DELETE FROM soft_bounces WHERE email_hash = ? AND at < ?", {hash, since}));
    TRY(c.execute("INSERT INTO soft_bounces (email_hash, at, detail) VALUES (?, ?, ?)",
                  {hash, now, detail}));
    auto count = TRY(c.query_one("SELECT COUNT(*) FROM soft_bounces WHERE email_hash = ?", {hash}));
    if (count.get_int(0) < kSoftBounceLimit)
        return false;
    return suppress(c, email, Reason::HardBounce,
                    fmt::format("{} temporary failures within 30 days; last: {}",
                                count.get_int(0), detail),
                    clock);
}

} // namespace teilhabe::delivery::suppressions
