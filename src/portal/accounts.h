#pragma once
// Opening a portal account: for the profile with the address if there is one (a newsletter
// subscriber finds their consents and history), else for a new profile.

#include "base/clock.h"
#include "db/connection.h"

#include <optional>
#include <string>

namespace teilhabe::portal {

struct OpenAccount {
    std::string email;
    std::string password_hash; // argon2id (security::hash_password)
    std::string language{"de"};
    bool verified{false};
    std::string actor; // for the profile's audit when one is created: "citizen", "system:cli"
};

// AlreadyExists when the address has an account; InvalidArgument for an address that is none.
// Returns the account's id.
Result<std::int64_t> open_account(db::Connection& c, const OpenAccount& in, const Clock& clock);

} // namespace teilhabe::portal
