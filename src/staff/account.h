#pragma once
// Staff accounts and API keys: the domain rules (e-mail form, password policy), no SQL.

#include "base/email.h"
#include "base/error.h"
#include "staff/role.h"

#include <cstdint>
#include <optional>
#include <string>

namespace teilhabe::staff {

struct StaffUser {
    std::int64_t id{0};
    std::string email;
    std::string display_name;
    std::string password_hash;
    Role role{Role::Editor};
    std::optional<std::int64_t> department_id;
    std::string language{"de"};
    bool disabled{false};
    bool second_factor{false}; // TOTP set up (staff/second_factor.cpp)
};

struct ApiKey {
    std::int64_t id{0};
    std::string name;
    std::string prefix;
    Role role{Role::Editor};
    std::optional<std::int64_t> last_used_ms; // unix ms; updated at most once a minute
};

// One line of `teilhabe apikey list`.
struct ApiKeyInfo {
    ApiKey key;
    std::int64_t created_ms{0};
    std::optional<std::int64_t> revoked_ms;
};

// Trimmed and lower-cased: one account per address however it is typed (base/email.h).
using ::teilhabe::normalise_email;
Result<void> validate_email(std::string_view normalized);

// NIST SP 800-63B: at least 8 characters, at most 128, no composition rules, and not one of
// the most common passwords.
Result<void> validate_new_password(std::string_view password, std::string_view email);

} // namespace teilhabe::staff
