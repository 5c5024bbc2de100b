#pragma once
// One e-mail message and its RFC 5322 / MIME form. Header values come from staff and citizens,
// so every one is checked: a CR or LF in any of them is refused (no header injection), names
// and addresses are validated, and non-ASCII text is RFC 2047 encoded.

#include "base/clock.h"
#include "base/error.h"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace teilhabe::mail {

struct Address {
    std::string name;  // display name, UTF-8, may be empty
    std::string email; // addr-spec, e.g. "info@musterstadt.de"
};

struct Message {
    Address from;
    Address to;
    std::optional<Address> reply_to;
    std::string subject;             // UTF-8
    std::string text;                // plain-text body, UTF-8, LF or CRLF line ends
    std::optional<std::string> html; // when set: multipart/alternative (text, then html)
    // Further header fields in this order, e.g. {"List-Unsubscribe", "<https://...>"},
    // {"List-Unsubscribe-Post", "List-Unsubscribe=One-Click"}. Non-ASCII values are encoded.
    std::vector<std::pair<std::string, std::string>> extra_headers;
    // "<id@domain>"; generated from random bytes and the From domain when empty.
    std::string message_id;
};

// "<32 random hex digits@domain of from_email>".
std::string generate_message_id(std::string_view from_email);

// The message as the bytes an SMTP client sends after DATA (before dot-stuffing): CRLF line
// ends, lines of at most 78 characters in the header and 76 in the bodies (quoted-printable),
// UTF-8 throughout. InvalidArgument when a header value holds CR/LF or another control
// character, an address is not one, an extra header's name is malformed or would duplicate a
// header set here, or a text is not valid UTF-8.
Result<std::string> to_mime(const Message& message, TimePoint now);

// The RFC 2369 / RFC 8058 header fields for one-click unsubscribe: List-Unsubscribe with the
// https URL (and a mailto: address when given) and List-Unsubscribe-Post. Both must be covered
// by the DKIM signature (DkimSigner does so).
std::vector<std::pair<std::string, std::string>>
list_unsubscribe_headers(std::string_view https_url, std::string_view mailto = {});

// A checked "addr-spec": one '@', no spaces, controls, quotes or angle brackets. Lenient on
// purpose beyond that (base/email.h normalises addresses where they enter the system).
bool plausible_address(std::string_view email);

} // namespace teilhabe::mail
