#pragma once
// Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP) as authenticator apps expect
// them by default: HMAC-SHA-1, 6 digits, 30-second steps; a code of the step before or after
// is accepted too (a clock a little off, a code typed as it changed). The secret is 160 random
// bits (RFC 4226 section 4 recommends them), shown as base32 (RFC 4648) and as an otpauth://
// URI (the "Key Uri Format" of Google Authenticator, which the common apps read).

#include "base/error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace teilhabe::security {

inline constexpr std::int64_t kTotpStepSeconds = 30;
inline constexpr int kTotpDigits = 6;

std::string base32_encode(const std::vector<unsigned char>& bytes);             // no padding
std::optional<std::vector<unsigned char>> base32_decode(std::string_view text); // spaces ignored

// A new secret as base32 (32 characters for 20 bytes).
std::string new_totp_secret();
// RFC 4226: the code of `counter`, as a zero-padded string of kTotpDigits.
std::string hotp(const std::vector<unsigned char>& key, std::uint64_t counter);
std::string totp_at(std::string_view secret_base32, std::int64_t unix_ms);
std::int64_t totp_step(std::int64_t unix_ms);

// The step the code belongs to (now, one before or one after), or nothing. Callers remember
// the last step used and refuse it and those before (RFC 6238 section 5.2: a code once only).
std::optional<std::int64_t> totp_verify(std::string_view secret_base32, std::string_view code,
                                        std::int64_t unix_ms);

// otpauth://totp/ISSUER:ACCOUNT?secret=...&issuer=...&algorithm=SHA1&digits=6&period=30
std::string otpauth_uri(std::string_view issuer, std::string_view account,
                        std::string_view secret_base32);

// The secret in groups of four for reading and typing ("ABCD EFGH ...").
std::string grouped(std::string_view secret_base32);

} // namespace teilhabe::security
