#pragma once
// The rules for a new password, for staff and citizens alike (NIST SP 800-63B 5.1.1.2): at
// least 8 characters, up to 128 (more than the 64 NIST asks to allow), no composition rules
// (no "one digit, one capital"), and none of the most common passwords of public breach
// corpuses nor the account's own address. Characters are Unicode code points, so "Müllabfuhr"
// has ten.

#include "base/error.h"

#include <cstddef>
#include <string_view>

namespace teilhabe::security {

inline constexpr std::size_t kMinPasswordChars = 8;
inline constexpr std::size_t kMaxPasswordChars = 128;

enum class PasswordProblem { None, TooShort, TooLong, TooCommon };

PasswordProblem password_problem(std::string_view password, std::string_view email);
// InvalidArgument naming "password" with an English message; None: ok.
Result<void> check_new_password(std::string_view password, std::string_view email);

// The list: about 10,000 passwords (src/security/common_passwords.txt, made by
// scripts/make-common-passwords.sh from Debian's python3-zxcvbn), compared in lower case.
bool is_common_password(std::string_view password);
std::size_t common_password_count();

// UTF-8 code points (an invalid byte counts as one).
std::size_t utf8_length(std::string_view s);

} // namespace teilhabe::security
