#include "staff/account.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace teilhabe::staff {

namespace {

// The most common passwords of public breach lists (those of 8 or more characters).
constexpr std::array<std::string_view, 40> kCommon = {
    "12345678",  "123456789", "1234567890", "password",  "password1", "passwort", "passwort1",
    "qwertz123", "qwertzuiop", "qwerty123", "qwertyuiop", "iloveyou",  "11111111", "00000000",
    "12341234",  "87654321",  "abc12345",  "abcd1234",  "asdfghjkl", "sunshine", "princess",
    "football",  "baseball",  "welcome1",  "willkommen", "hallo123", "schalke04", "letmein1",
    "trustno1",  "passw0rd",  "1q2w3e4r",  "1qaz2wsx",  "zaq12wsx",  "admin123", "administrator",
    "changeme",  "geheim123", "sommer2024", "winter2024", "teilhabe"};

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

} // namespace

Result<void> validate_email(std::string_view e) {
    auto at = e.find('@');
    if (e.empty() || e.size() > 254 || at == std::string_view::npos || at == 0 ||
        at != e.rfind('@') || e.find('.', at) == std::string_view::npos || e.back() == '.' ||
        e.find_first_of(" \t\r\n<>,;\"") != std::string_view::npos)
        return fail(Error::invalid("Please enter a valid e-mail address.", "email"));
    return {};
}

Result<void> validate_new_password(std::string_view pw, std::string_view email) {
    if (pw.size() < 8)
        return fail(Error::invalid("The password must have at least 8 characters.", "password"));
    if (pw.size() > 128)
        return fail(Error::invalid("The password must have at most 128 characters.", "password"));
    std::string l = lower(pw);
    if (std::find(kCommon.begin(), kCommon.end(), l) != kCommon.end() ||
        l == lower(email) || l == lower(email.substr(0, email.find('@'))))
        return fail(Error::invalid("This password is too common or too easy to guess.",
                                   "password"));
    return {};
}

} // namespace teilhabe::staff
