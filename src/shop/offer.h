#pragma once
// Offers of the town and its partners, priced in points (SPEC.md capability 5). Domain only:
// what an offer is, which input is acceptable, whether a person may redeem it now. No SQL.

#include "base/json_input.h"
#include "base/clock.h"
#include "base/error.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace teilhabe::shop {

struct Offer {
    std::int64_t id{0};
    std::string title;
    std::string description;
    std::int64_t price_points{0};
    std::optional<std::int64_t> stock; // none: unlimited
    std::optional<std::int64_t> per_person_limit;
    std::optional<std::int64_t> valid_from_ms, valid_until_ms;
    std::optional<std::int64_t> partner_id;
    std::string partner_name;
    std::optional<std::int64_t> department_id;
    bool active{true};
    bool has_image{false};
    std::int64_t created_at_ms{0}, updated_at_ms{0};
};

// A create or a patch: members that were sent. For optional numbers, a present outer optional
// holding nothing means "clear it" (JSON null).
struct OfferInput {
    std::optional<std::string> title, description;
    std::optional<std::int64_t> price_points;
    std::optional<std::optional<std::int64_t>> stock, per_person_limit, valid_from_ms,
        valid_until_ms, partner_id, department_id;
    std::optional<bool> active;
};

enum class InputMode { Create, Patch };
// From the API's JSON: title (1-200), description (<= 5000), price_points (1..10^9), stock,
// per_person_limit, valid_from / valid_until (RFC 3339 or unix ms), partner_id, active.
Result<OfferInput> parse_offer_input(const nlohmann::json& body, InputMode mode);
Offer apply(Offer base, const OfferInput& in);
Result<void> validate(const Offer& o);

// Which offers a staff account sees and manages (staff/role.h: "Department: only their
// department's offers"), as topics do (consent/topic.h TopicScope). Unlimited for administrators
// and editors; department staff see only offers of their department, and one without a
// department (an API key of that role) none.
struct OfferScope {
    bool limited{false};
    std::optional<std::int64_t> department; // when limited: the own department

    bool may_see(const Offer& o) const {
        return !limited || (department && o.department_id == department);
    }
    bool may_assign(const std::optional<std::int64_t>& dept) const {
        return !limited || (department && dept == department);
    }
};

// Why a person may not redeem the offer now; nothing when they may.
enum class Refusal { Inactive, NotYet, Expired, SoldOut, LimitReached };
std::optional<Refusal> refusal(const Offer& o, std::int64_t already_taken, std::int64_t now_ms);
Error to_error(Refusal r);
const char* to_string(Refusal r); // "inactive", "not_yet", "expired", "sold_out", "limit"

nlohmann::json to_json(const Offer& o);

using json_input::iso_time;
using json_input::parse_time_ms;

} // namespace teilhabe::shop
