#pragma once
// A person's registration for an event: registered, on the waiting list, or cancelled; with a
// ticket code to show at the door (shop/voucher_code.h: typeable, with a check symbol).

#include "base/error.h"
#include "db/connection.h"

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace teilhabe::events {

enum class RegStatus { Registered, Waitlisted, Cancelled };
const char* to_string(RegStatus s); // "registered", "waitlisted", "cancelled"
std::optional<RegStatus> reg_status_from(std::string_view s);

struct Registration {
    std::int64_t id{0};
    std::int64_t event_id{0};
    std::optional<std::int64_t> citizen_id; // none: the person was erased
    RegStatus status{RegStatus::Registered};
    std::string ticket_code; // normalised
    std::int64_t registered_at_ms{0};
    std::optional<std::int64_t> promoted_at_ms, cancelled_at_ms, checked_in_at_ms;
    // Read with it.
    std::string event_title;
    std::int64_t starts_at_ms{0}, ends_at_ms{0};
    std::string first_name, last_name, email;

    bool active() const { return status != RegStatus::Cancelled; }
    std::string name() const; // "Anna Beispiel", or the e-mail address when there is no name
};

nlohmann::json to_json(const Registration& r);

// A mail about a person's registration, queued in the transaction of the change it tells of
// (the application wires this to the delivery outbox, app/event_mail.h): both happen or
// neither, and a repeated request tells nobody twice. `kind` says which: the person moved up from
// the waiting list, or the whole event was cancelled (to everyone registered or waiting).
struct PromotionMail {
    enum class Kind { Promoted, EventCancelled };
    Kind kind{Kind::Promoted};
    std::int64_t citizen_id{0};
    std::int64_t registration_id{0};
    std::string to_email;
    std::string language{"de"};
    std::string first_name;
    std::string event_title;
    std::string place;
    std::int64_t starts_at_ms{0};
};
using PromotionMailer = std::function<Result<void>(db::Connection&, const PromotionMail&)>;

} // namespace teilhabe::events
