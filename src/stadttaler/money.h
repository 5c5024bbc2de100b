#pragma once
// Stadttaler amounts (cents) as people type and read them, the wallet settings, and the payment
// provider's webhook signature. Domain only: no SQL, no HTTP.

#include "base/error.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace teilhabe::stadttaler {

struct Settings {
    // The most a wallet may hold (cents): a local currency, not a bank account. 250 € unless
    // the operator sets stadttaler_max_balance_cents.
    std::int64_t max_balance_cents{25'000};
    // HMAC-SHA256 secret of the payment provider's webhook; empty: the webhook is switched off
    // (503), so an unset secret never accepts unsigned calls.
    std::string webhook_secret;
    // How long a partner's payment request waits for the person to confirm it (ms); after that
    // it is expired and can no longer be paid. 15 minutes unless the operator sets
    // stadttaler_request_minutes.
    std::int64_t request_ttl_ms{15 * 60'000};
};

inline constexpr std::int64_t kDefaultRequestTtlMs = 15 * 60'000;

// A pending request created at `created_at_ms` has expired at `now_ms` when its time is up.
inline bool request_expired(std::int64_t created_at_ms, std::int64_t now_ms, std::int64_t ttl_ms) {
    return now_ms >= created_at_ms + ttl_ms;
}

// "12,50", "12.50", "12", "12,5 €" -> 1250. InvalidArgument (field `field`) for anything else,
// for 0 and for more than 10,000.00.
Result<std::int64_t> parse_amount(std::string_view typed, std::string_view field = "amount");
// 1250 -> "12,50 €" (de) or "€12.50" (en); en is chosen by `english`.
std::string format_cents(std::int64_t cents, bool english = false);
// For CSV files: "12,50" (a decimal comma, as the town's Excel reads it).
std::string csv_cents(std::int64_t cents);

// The provider signs the raw body: header value "sha256=<lower-case hex HMAC-SHA256>".
// Compared in constant time.
bool signature_ok(std::string_view secret, std::string_view body, std::string_view header);
std::string sign(std::string_view secret, std::string_view body); // "sha256=..."

} // namespace teilhabe::stadttaler
