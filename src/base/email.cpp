#include "base/email.h"

namespace teilhabe {

std::string normalise_email(std::string_view email) {
    auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; };
    while (!email.empty() && space(email.front()))
        email.remove_prefix(1);
    while (!email.empty() && space(email.back()))
        email.remove_suffix(1);
    std::string out(email);
    for (auto& ch : out)
        if (ch >= 'A' && ch <= 'Z')
            ch = static_cast<char>(ch - 'A' + 'a');
    return out;
}

} // namespace teilhabe
