#include "staff/account.h"

#include "security/password_policy.h"

namespace teilhabe::staff {

Result<void> validate_email(std::string_view e) {
    auto at = e.find('@');
    if (e.empty() || e.size() > 254 || at == std::string_view::npos || at == 0 ||
        at != e.rfind('@') || e.find('.', at) == std::string_view::npos || e.back() == '.' ||
        e.find_first_of(" \t\r\n<>,;\"") != std::string_view::npos)
        return fail(Error::invalid("Please enter a valid e-mail address.", "email"));
    return {};
}

// The same rules as for citizens (security/password_policy.h), with the same list of about
// 10,000 common passwords.
Result<void> validate_new_password(std::string_view pw, std::string_view email) {
    return security::check_new_password(pw, email);
}

} // namespace teilhabe::staff
