#pragma once
// A citizen's portal account: the log-in to one profile (citizens.id), and the portal sessions
// that come from it.

#include <cstdint>
#include <optional>
#include <string>

namespace teilhabe::portal {

struct CitizenAccount {
    std::int64_t id{0};
    std::int64_t citizen_id{0};
    std::string email; // normalised
    std::string password_hash;
    std::string language{"de"};
    std::optional<std::int64_t> verified_at; // e-mail address confirmed
    std::int64_t created_at{0};
    bool disabled{false};
};

// A signed-in citizen, as the portal's session service hands it out.
struct PortalSession {
    std::string token; // the cookie value; only its hash is stored
    std::string csrf_token;
    std::int64_t account_id{0};
    std::int64_t citizen_id{0};
    std::string email;
    std::int64_t expires_at{0};
};

} // namespace teilhabe::portal
