#pragma once
// The one normal form of an e-mail address, for staff accounts and citizens alike: without
// surrounding white space and with ASCII letters in lower case, so that one person has one
// profile however the address is typed. Non-ASCII letters (internationalised addresses) stay
// as they are: their case mapping is the mail provider's business.

#include <string>
#include <string_view>

namespace teilhabe {

std::string normalise_email(std::string_view email);

} // namespace teilhabe
