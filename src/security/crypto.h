#pragma once
// Passwords, tokens and signatures, all from libsodium.

#include "base/error.h"

#include <cstddef>
#include <string>
#include <string_view>

namespace teilhabe::security {

// Must be called once before any other function here (sodium_init); safe to call again.
Result<void> init();

// argon2id with 32 MiB and 2 passes: above the OWASP minimum (19 MiB, 2 passes) and about
// 50 ms on one core here, so log-in stays quick while guessing stays expensive.
struct PasswordCost {
    unsigned long long ops{2};
    std::size_t mem_bytes{32u * 1024u * 1024u};
};

Result<std::string> hash_password(std::string_view password, PasswordCost cost = {});
bool verify_password(std::string_view encoded_hash, std::string_view password);
bool password_needs_rehash(std::string_view encoded_hash, PasswordCost cost = {});
// Spends the same time as a real verification: used when the account does not exist, so the
// answer takes as long whether or not it does (no account enumeration by timing).
void verify_dummy_password(std::string_view password);

// `bytes` random bytes from the OS CSPRNG, as unpadded base64url.
std::string random_token(std::size_t bytes = 32);
// SHA-256 as lower-case hex: tokens are stored hashed, so a copy of the database does not
// hand out sessions or API keys.
std::string sha256_hex(std::string_view data);
std::string hmac_sha256_hex(std::string_view key, std::string_view message);
bool constant_time_equal(std::string_view a, std::string_view b);

} // namespace teilhabe::security
