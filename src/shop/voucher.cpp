#include "shop/voucher.h"

#include "shop/offer.h"
#include "shop/voucher_code.h"

namespace teilhabe::shop {

bool expired(const Voucher& v, std::int64_t now_ms) {
    return v.status == "issued" && v.valid_until_ms && now_ms >= *v.valid_until_ms;
}

std::string effective_status(const Voucher& v, std::int64_t now_ms) {
    return expired(v, now_ms) ? "expired" : v.status;
}

nlohmann::json to_json(const Voucher& v, std::int64_t now_ms) {
    auto time = [](const std::optional<std::int64_t>& t) -> nlohmann::json {
        return t ? nlohmann::json(iso_time(*t)) : nlohmann::json(nullptr);
    };
    return {{"id", v.id},
            {"code", format_code(v.code)},
            {"status", effective_status(v, now_ms)},
            {"offer_id", v.offer_id},
            {"offer_title", v.offer_title},
            {"partner", v.partner_id ? nlohmann::json{{"id", *v.partner_id},
                                                      {"name", v.partner_name}}
                                     : nlohmann::json(nullptr)},
            {"citizen_id", v.citizen_id ? nlohmann::json(*v.citizen_id) : nlohmann::json(nullptr)},
            {"price_points", v.price_points},
            {"issued_at", iso_time(v.issued_at_ms)},
            {"redeemed_at", time(v.redeemed_at_ms)},
            {"cancelled_at", time(v.cancelled_at_ms)},
            {"valid_until", time(v.valid_until_ms)}};
}

} // namespace teilhabe::shop
