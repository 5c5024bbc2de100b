#pragma once
// The events' answer to the journeys' question "does the occasion still hold?" (journeys/
// interfaces.h): an enrolment started by an event activity (its props name event_id and
// registration_id) holds while that registration is active and the event not cancelled. The
// reminder journey's mail so never reaches a person who cancelled.

#include "journeys/interfaces.h"

namespace teilhabe::events {

class RegistrationCheck final : public journeys::OccasionCheck {
public:
    Result<std::optional<std::string>> gone(db::Connection& c, std::int64_t citizen_id,
                                            const nlohmann::json& context) override;
};

} // namespace teilhabe::events
