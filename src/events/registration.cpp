#include "events/registration.h"

#include "events/event.h"
#include "shop/voucher_code.h"

namespace teilhabe::events {

const char* to_string(RegStatus s) {
    switch (s) {
    case RegStatus::Registered: return "registered";
    case RegStatus::Waitlisted: return "waitlisted";
    case RegStatus::Cancelled: return "cancelled";
    }
    return "cancelled";
}

std::optional<RegStatus> reg_status_from(std::string_view s) {
    if (s == "registered")
        return RegStatus::Registered;
    if (s == "waitlisted")
        return RegStatus::Waitlisted;
    if (s == "cancelled")
        return RegStatus::Cancelled;
    return std::nullopt;
}

std::string Registration::name() const {
    std::string n = first_name;
    if (!last_name.empty())
        n += (n.empty() ? "" : " ") + last_name;
    return n.empty() ? email : n;
}

nlohmann::json to_json(const Registration& r) {
    auto time = [](const std::optional<std::int64_t>& v) -> nlohmann::json {
        return v ? nlohmann::json(iso_time(*v)) : nlohmann::json(nullptr);
    };
    return {{"id", r.id},
            {"event_id", r.event_id},
            {"citizen_id", r.citizen_id ? nlohmann::json(*r.citizen_id) : nlohmann::json(nullptr)},
            {"status", to_string(r.status)},
            {"ticket_code", shop::format_code(r.ticket_code)},
            {"registered_at", iso_time(r.registered_at_ms)},
            {"promoted_at", time(r.promoted_at_ms)},
            {"cancelled_at", time(r.cancelled_at_ms)},
            {"checked_in_at", time(r.checked_in_at_ms)},
            {"name", r.name()}};
}

} // namespace teilhabe::events
