#pragma once
// SQL of registrations: registering (a place, the waiting list, or a clear refusal), cancelling
// with the first on the waiting list moving up and being told by e-mail, and check-in. Each runs
// in the caller's one transaction, with the activity it records.

#include "base/clock.h"
#include "db/connection.h"
#include "events/event.h"
#include "events/registration.h"

#include <optional>
#include <string>
#include <vector>

namespace teilhabe::events::store {

// NotFound: no such event. InvalidArgument (citizen_id): no such person. AlreadyExists: the
// person holds a place or waits for one already. FailedPrecondition: not open, cancelled,
// started, past the deadline, full without a waiting list. Exactly one of any number of
// concurrent registrations gets the last place.
Result<Registration> register_person(db::Connection& c, std::int64_t event_id,
                                     std::int64_t citizen_id, const std::string& actor,
                                     const Clock& clock);

// Cancels a registration (the person's own, or staff for them). Conflict when it is cancelled
// already; FailedPrecondition once the event has started. When a place frees up, the first on
// the waiting list moves up in the same transaction and `mailer` queues their mail.
Result<Registration> cancel_registration(db::Connection& c, std::int64_t registration_id,
                                         const std::string& actor, const Clock& clock,
                                         const PromotionMailer& mailer);

// After a change of the event (more places, the waiting list's people wait for nothing): moves
// people up from the waiting list while there are free places, each told by e-mail, in the
// caller's transaction. Nothing for a cancelled event or one that has started. Returns how many.
Result<int> fill_free_places(db::Connection& c, std::int64_t event_id, const std::string& actor,
                             const Clock& clock, const PromotionMailer& mailer);

// The people to tell when the event is cancelled: registered or on the waiting list, with an
// address (an erased person's row has none). Nobody once the event has ended.
Result<std::vector<Registration>> people_to_tell_of_cancellation(db::Connection& c,
                                                                 const Event& e,
                                                                 const Clock& clock);

// Cancels the whole event and queues a mail (PromotionMail::Kind::EventCancelled, in the
// person's language) to each of people_to_tell_of_cancellation(), in the caller's transaction.
// The registrations keep their status (tickets and calendar files show the event cancelled).
// An event cancelled before is left alone: nobody is told twice. NotFound: no such event.
// Returns how many people were told.
Result<int> cancel_event(db::Connection& c, std::int64_t event_id, const Clock& clock,
                         const PromotionMailer& mailer);

// Deletes an event without registrations; one with registrations is cancelled instead (the
// tickets still name it) as cancel_event() does, its people told.
enum class Removed { Deleted, Cancelled };
Result<Removed> remove_event(db::Connection& c, std::int64_t id, const Clock& clock,
                             const PromotionMailer& mailer);

// For the erasure of a person (GDPR Art. 17), before their rows are anonymised: their
// registrations for events that have not started (and are not cancelled) are cancelled, and the
// first waiting person moves up into a freed place with their mail, in the caller's
// transaction. Past registrations stay (anonymised by the erasure) for the statistics. Returns
// how many registrations were cancelled.
Result<int> release_places_of(db::Connection& c, std::int64_t citizen_id, const std::string& actor,
                              const Clock& clock, const PromotionMailer& mailer);

// Check-in at the door, by the ticket code as typed or scanned, or by the registration's id.
// NotFound: the code or id is not a ticket of this event. FailedPrecondition: on the waiting
// list, cancelled, or the event was cancelled. `already`: it was checked in before (nothing is
// recorded twice).
struct CheckIn {
    Registration registration;
    bool already{false};
};
Result<CheckIn> check_in_code(db::Connection& c, std::int64_t event_id, std::string_view typed,
                              const std::string& actor, const Clock& clock);
Result<CheckIn> check_in_id(db::Connection& c, std::int64_t event_id, std::int64_t registration_id,
                            const std::string& actor, const Clock& clock);

Result<std::optional<Registration>> find_registration(db::Connection& c, std::int64_t id);
// All of an event's registrations, registered first, then the waiting list in its order, then
// the cancelled ones; `after_id`/`limit` page through them by id when given.
Result<std::vector<Registration>> registrations_of_event(db::Connection& c, std::int64_t event_id);
Result<std::vector<Registration>> registrations_page(db::Connection& c, std::int64_t event_id,
                                                     std::int64_t after_id, int limit);
Result<std::vector<Registration>> registrations_of_citizen(db::Connection& c,
                                                           std::int64_t citizen_id);
// The person's active registration for the event, if any.
Result<std::optional<Registration>> active_registration(db::Connection& c, std::int64_t event_id,
                                                        std::int64_t citizen_id);

} // namespace teilhabe::events::store
