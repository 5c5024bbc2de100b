#pragma once
// The envelope sender of every message names its outbox row (VERP): bounce+<id>-<mac>@<domain>,
// where mac is the first 16 hex digits of HMAC-SHA-256(secret, "outbox:<id>"). A delivery status
// notification comes back to that address, so `teilhabe bounce` (and POST /api/v1/bounces)
// find the row without trusting anything else in the report; the mac keeps forged reports from
// bouncing rows they guessed. Postfix delivers bounce+...@domain to the pipe transport with
// recipient_delimiter = + (README "Bounces").

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace teilhabe::delivery {

std::string verp_address(std::int64_t outbox_id, std::string_view secret, std::string_view domain);
// Finds bounce+<id>-<mac>@ anywhere in `text` (an address, a To: header) and checks the mac.
std::optional<std::int64_t> parse_verp(std::string_view text, std::string_view secret);

// "Stadt Musterstadt <info@musterstadt.example>" -> "info@musterstadt.example".
std::string bare_address(std::string_view mailbox);
// The part after the last '@', empty without one.
std::string domain_of(std::string_view address);

} // namespace teilhabe::delivery
