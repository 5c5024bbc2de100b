#include "events/reminder_check.h"

#include "events/event_store.h"
#include "events/registration_store.h"

namespace teilhabe::events {

Result<std::optional<std::string>> RegistrationCheck::gone(db::Connection& c,
                                                           std::int64_t citizen_id,
                                                           const nlohmann::json& context) {
    using Reason = std::optional<std::string>;
    if (!context.is_object() || !context.contains("event_id") ||
        !context["event_id"].is_number_integer())
        return Reason{}; // not an event's journey
    auto event_id = context["event_id"].get<std::int64_t>();
    auto e = TRY(store::find_event(c, event_id));
    if (!e)
        return Reason{"the event is gone"};
    if (e->status == Status::Cancelled)
        return Reason{"the event was cancelled"};
    auto active = TRY(store::active_registration(c, event_id, citizen_id));
    if (!active)
        return Reason{"the registration was cancelled"};
    if (active->status != RegStatus::Registered)
        return Reason{"the person is on the waiting list"};
    return Reason{};
}

} // namespace teilhabe::events
