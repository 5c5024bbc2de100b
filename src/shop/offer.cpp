#include "shop/offer.h"

#include <fmt/format.h>

namespace teilhabe::shop {

namespace {

using json_input::nullable_number;
using json_input::nullable_time;
using json_input::number_member;
using json_input::text_member;

constexpr std::int64_t kMaxPrice = 1'000'000'000;

} // namespace

Result<OfferInput> parse_offer_input(const nlohmann::json& body, InputMode mode) {
    static const char* kKnown[] = {"title",      "description", "price_points",
                                   "stock",      "per_person_limit", "valid_from",
                                   "valid_until", "partner_id",  "active",
                                   "department_id"};
    for (const auto& [key, _] : body.items()) {
        bool known = false;
        for (const char* k : kKnown)
            known = known || key == k;
        if (!known && key != "id" && key != "partner" && key != "has_image" &&
            key != "created_at" && key != "updated_at")
            return fail(Error::invalid(fmt::format("unknown member {}", key), key));
    }
    OfferInput in;
    if (body.contains("title"))
        in.title = TRY(text_member(body["title"], "title", 1, 200));
    if (body.contains("description"))
        in.description = TRY(text_member(body["description"], "description", 0, 5000));
    if (body.contains("price_points"))
        in.price_points = TRY(number_member(body["price_points"], "price_points", 1, kMaxPrice));
    if (body.contains("stock"))
        in.stock = TRY(nullable_number(body["stock"], "stock", 0, kMaxPrice));
    if (body.contains("per_person_limit"))
        in.per_person_limit =
            TRY(nullable_number(body["per_person_limit"], "per_person_limit", 1, 1000));
    if (body.contains("valid_from"))
        in.valid_from_ms = TRY(nullable_time(body["valid_from"], "valid_from"));
    if (body.contains("valid_until"))
        in.valid_until_ms = TRY(nullable_time(body["valid_until"], "valid_until"));
    if (body.contains("partner_id"))
        in.partner_id = TRY(nullable_number(body["partner_id"], "partner_id", 1, INT64_MAX));
    if (body.contains("department_id"))
        in.department_id =
            TRY(nullable_number(body["department_id"], "department_id", 1, INT64_MAX));
    if (body.contains("active")) {
        if (!body["active"].is_boolean())
            return fail(Error::invalid("active must be true or false", "active"));
        in.active = body["active"].get<bool>();
    }
    if (mode == InputMode::Create) {
        if (!in.title)
            return fail(Error::invalid("title is required", "title"));
        if (!in.price_points)
            return fail(Error::invalid("price_points is required", "price_points"));
    }
    return in;
}

Offer apply(Offer o, const OfferInput& in) {
    if (in.title)
        o.title = *in.title;
    if (in.description)
        o.description = *in.description;
    if (in.price_points)
        o.price_points = *in.price_points;
    if (in.stock)
        o.stock = *in.stock;
    if (in.per_person_limit)
        o.per_person_limit = *in.per_person_limit;
    if (in.valid_from_ms)
        o.valid_from_ms = *in.valid_from_ms;
    if (in.valid_until_ms)
        o.valid_until_ms = *in.valid_until_ms;
    if (in.partner_id)
        o.partner_id = *in.partner_id;
    if (in.department_id)
        o.department_id = *in.department_id;
    if (in.active)
        o.active = *in.active;
    return o;
}

Result<void> validate(const Offer& o) {
    if (o.title.empty())
        return fail(Error::invalid("title is required", "title"));
    if (o.price_points <= 0)
        return fail(Error::invalid("price_points must be at least 1", "price_points"));
    if (o.valid_from_ms && o.valid_until_ms && *o.valid_until_ms <= *o.valid_from_ms)
        return fail(Error::invalid("valid_until must be after valid_from", "valid_until"));
    return {};
}

std::optional<Refusal> refusal(const Offer& o, std::int64_t already_taken, std::int64_t now_ms) {
    if (!o.active)
        return Refusal::Inactive;
    if (o.valid_from_ms && now_ms < *o.valid_from_ms)
        return Refusal::NotYet;
    if (o.valid_until_ms && now_ms >= *o.valid_until_ms)
        return Refusal::Expired;
    if (o.stock && *o.stock <= 0)
        return Refusal::SoldOut;
    if (o.per_person_limit && already_taken >= *o.per_person_limit)
        return Refusal::LimitReached;
    return std::nullopt;
}

const char* to_string(Refusal r) {
    switch (r) {
    case Refusal::Inactive: return "inactive";
    case Refusal::NotYet: return "not_yet";
    case Refusal::Expired: return "expired";
    case Refusal::SoldOut: return "sold_out";
    case Refusal::LimitReached: return "limit";
    }
    return "inactive";
}

Error to_error(Refusal r) {
    switch (r) {
    case Refusal::Inactive: return Error::precondition("The offer is not available.");
    case Refusal::NotYet: return Error::precondition("The offer is not valid yet.");
    case Refusal::Expired: return Error::precondition("The offer has expired.");
    case Refusal::SoldOut: return Error::precondition("The offer is sold out.");
    case Refusal::LimitReached:
        return Error::precondition("The person has redeemed this offer as often as allowed.");
    }
    return Error::precondition("The offer is not available.");
}

nlohmann::json to_json(const Offer& o) {
    auto opt = [](const std::optional<std::int64_t>& v) -> nlohmann::json {
        return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
    };
    auto time = [](const std::optional<std::int64_t>& v) -> nlohmann::json {
        return v ? nlohmann::json(iso_time(*v)) : nlohmann::json(nullptr);
    };
    nlohmann::json partner = nullptr;
    if (o.partner_id)
        partner = {{"id", *o.partner_id}, {"name", o.partner_name}};
    return {{"id", o.id},
            {"title", o.title},
            {"description", o.description},
            {"price_points", o.price_points},
            {"stock", opt(o.stock)},
            {"per_person_limit", opt(o.per_person_limit)},
            {"valid_from", time(o.valid_from_ms)},
            {"valid_until", time(o.valid_until_ms)},
            {"partner", partner},
            {"partner_id", opt(o.partner_id)},
            {"department_id", opt(o.department_id)},
            {"active", o.active},
            {"has_image", o.has_image},
            {"created_at", iso_time(o.created_at_ms)},
            {"updated_at", iso_time(o.updated_at_ms)}};
}

} // namespace teilhabe::shop
