#include "security/password_policy.h"

#include <algorithm>
#include <optional>
#include <string>
#include <unordered_set>

std::optional<std::string_view> passwordlist_lookup(std::string_view path);

namespace teilhabe::security {

namespace {

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
        return c < 0x80 ? static_cast<char>(std::tolower(c)) : static_cast<char>(c);
    });
    return out;
}

const std::unordered_set<std::string_view>& common() {
    static const std::unordered_set<std::string_view> set = [] {
        std::unordered_set<std::string_view> out;
        std::string_view text = passwordlist_lookup("common_passwords.txt").value_or("");
        while (!text.empty()) {
            auto nl = text.find('\n');
            auto line = text.substr(0, nl);
            if (!line.empty() && line.front() != '#')
                out.insert(line);
            text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
        }
        return out;
    }();
    return set;
}

} // namespace

std::size_t utf8_length(std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s)
        if ((c & 0xC0) != 0x80)
            ++n;
    return n;
}

bool is_common_password(std::string_view password) {
    return common().contains(lower_ascii(password));
}

std::size_t common_password_count() {
    return common().size();
}

PasswordProblem password_problem(std::string_view password, std::string_view email) {
    auto chars = utf8_length(password);
    if (chars < kMinPasswordChars)
        return PasswordProblem::TooShort;
    if (chars > kMaxPasswordChars)
        return PasswordProblem::TooLong;
    std::string l = lower_ascii(password);
    std::string e = lower_ascii(email);
    if (is_common_password(password) || (!e.empty() && (l == e || l == e.substr(0, e.find('@')))))
        return PasswordProblem::TooCommon;
    return PasswordProblem::None;
}

Result<void> check_new_password(std::string_view password, std::string_view email) {
    switch (password_problem(password, email)) {
    case PasswordProblem::None:
        return {};
    case PasswordProblem::TooShort:
        return fail(Error::invalid("The password must have at least 8 characters.", "password"));
    case PasswordProblem::TooLong:
        return fail(Error::invalid("The password must have at most 128 characters.", "password"));
    case PasswordProblem::TooCommon:
        return fail(
            Error::invalid("This password is too common or too easy to guess.", "password"));
    }
    return {};
}

} // namespace teilhabe::security
