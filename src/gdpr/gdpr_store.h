#pragma once
// The data subject's rights on the database: access and portability (GDPR Art. 15/20),
// erasure (Art. 17) and restriction of processing (Art. 18). Each runs inside the caller's
// transaction and leaves an audit entry.

#include "base/clock.h"
#include "base/error.h"
#include "db/connection.h"

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

namespace teilhabe::gdpr {

struct Requester {
    std::string actor; // "staff:3", "apikey:2", later "citizen:7" for self-service
    std::string ip;
};

// Everything stored about the person, as JSON: the profile row, the rows of every table in
// personal_tables(), and who in the town hall accessed the profile (audit entries about it).
Result<nlohmann::json> export_person(db::Connection& c, std::int64_t citizen_id,
                                     const Requester& who, const Clock& clock);

// Money the town owes the person: their Stadttaler balance in cents (0 without a wallet).
Result<std::int64_t> stadttaler_owed(db::Connection& c, std::int64_t citizen_id);
// The field of erase_person's refusal while Stadttaler are left.
inline constexpr const char* kStadttalerOwedField = "stadttaler_balance";

// What other areas do first when a person is erased, in the erasure's transaction, with the
// person still there (the events free their places in future events for the waiting list;
// app/serve.cpp wires it into web::AppContext::before_erasure). A failure fails the erasure.
using BeforeErasure = std::function<Result<void>(db::Connection&, std::int64_t citizen_id,
                                                 const std::string& actor)>;

// Removes the person: `before` runs, then their rows are deleted or anonymised as
// personal_tables() says, then the profile. Fails (and the caller's transaction rolls back) if
// anything about them remains. Refuses first (Conflict, field kStadttalerOwedField, the amount
// in the message) while the person holds Stadttaler: that is their money, to be paid out at the
// desk first (stadttaler/wallet_store.h, pay_out); an erased account could never pay it back.
Result<void> erase_person(db::Connection& c, std::int64_t citizen_id, const Requester& who,
                          const Clock& clock, const BeforeErasure& before = {});

enum class Restriction { Restricted, Lifted };
// Art. 18: while restricted, the profile is stored but no mail or automation reaches the person.
Result<void> set_restriction(db::Connection& c, std::int64_t citizen_id, Restriction r,
                             const std::string& reason, const Requester& who, const Clock& clock);
Result<bool> is_restricted(db::Connection& c, std::int64_t citizen_id);

// The tables of the connected database that refer to a citizen (a citizen_id column or a
// foreign key to citizens), from the engine's own catalogue.
Result<std::vector<std::string>> tables_referring_to_citizens(db::Connection& c);

} // namespace teilhabe::gdpr
