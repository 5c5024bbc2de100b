#pragma once
// A voucher: what a person got for their points, redeemed exactly once at the partner.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace teilhabe::shop {

struct Voucher {
    std::int64_t id{0};
    std::string code; // normalised; shown with format_code()
    std::int64_t offer_id{0};
    std::string offer_title;
    std::optional<std::int64_t> partner_id;
    std::string partner_name;
    std::optional<std::int64_t> citizen_id;
    std::int64_t price_points{0};
    std::string status; // issued, redeemed, cancelled
    std::int64_t transfer_id{0};
    std::int64_t issued_at_ms{0};
    std::optional<std::int64_t> redeemed_at_ms, cancelled_at_ms;
    std::optional<std::int64_t> valid_until_ms; // the offer's
};

// A voucher is good until its offer's validity ends (valid_until, exclusive; none: no end).
// After that an issued voucher is expired: it cannot be redeemed, and people and partners see
// "expired". The status column keeps 'issued' (nothing has to run at midnight), so the state
// people see is derived here.
bool expired(const Voucher& v, std::int64_t now_ms);
// issued, redeemed, cancelled or expired.
std::string effective_status(const Voucher& v, std::int64_t now_ms);

// `status` is the effective status at `now_ms`; `valid_until` the moment it expires.
nlohmann::json to_json(const Voucher& v, std::int64_t now_ms);

} // namespace teilhabe::shop
