#pragma once
// Signing of deliveries as the Standard Webhooks specification says
// (https://www.standardwebhooks.com, also used by Svix and others), so that receivers can use
// its libraries:
//   secret            "whsec_" + base64 of 32 random bytes (the key is the decoded bytes)
//   webhook-id        the message id, the same for every retry of one delivery
//   webhook-timestamp seconds since 1970, when this attempt was signed
//   webhook-signature "v1," + base64(HMAC-SHA256(key, id + "." + timestamp + "." + body))
// A receiver recomputes the HMAC, compares in constant time and refuses old timestamps
// (replays).

#include "base/error.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace teilhabe::webhooks {

std::string generate_secret();
// The key bytes of a "whsec_..." secret.
Result<std::string> secret_key(std::string_view secret);
// "v1,<base64>"; the secret must be one generate_secret() made.
Result<std::string> sign(std::string_view secret, std::string_view message_id,
                         std::int64_t timestamp_s, std::string_view body);
// True when one of the space-separated signatures in `header` is the right one.
bool verify(std::string_view secret, std::string_view message_id, std::int64_t timestamp_s,
            std::string_view body, std::string_view header);

} // namespace teilhabe::webhooks
