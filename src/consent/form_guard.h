#pragma once
// Bot protection for the public sign-up form, without any third-party service:
//  - a honeypot field people never see (filled: a bot);
//  - a form stamp: the time the form was served, signed with the installation secret, so that a
//    submission faster than a person can type is refused (and an old or forged stamp too);
//  - a proof of work: the browser's script finds a nonce so that SHA-256(stamp ":" nonce)
//    starts with kPowBits zero bits (about 65,000 hashes, well under a second). People without
//    JavaScript send no nonce and pass instead by taking longer (kMinFillNoScript): a script
//    that wants to sign up many addresses pays either in CPU or in waiting time;
//  - rate limits per client address and per e-mail address (consent/consent_store.h).
// Pure functions of the secret and the time: no HTTP, no SQL.

#include "base/clock.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace teilhabe::consent::guard {

inline constexpr Millis kMinFill{2'000};
inline constexpr Millis kMinFillNoScript{6'000};
inline constexpr Millis kMaxAge{std::chrono::hours(24)};
inline constexpr int kPowBits = 16;
// The name of the honeypot field (a name browsers do not autofill).
inline constexpr std::string_view kHoneypotField = "website_url";

// "<ms>.<hmac hex>"
std::string make_stamp(std::string_view secret, std::int64_t issued_ms);
// The time the stamp was issued; none when it was not made with this secret.
std::optional<std::int64_t> read_stamp(std::string_view secret, std::string_view stamp);
// Leading zero bits of SHA-256(stamp ":" nonce) >= bits.
bool proof_of_work_ok(std::string_view stamp, std::string_view nonce, int bits = kPowBits);

enum class Verdict { Ok, NoStamp, Honeypot, BadStamp, TooFast, Expired, BadProofOfWork };
const char* to_string(Verdict v);

struct Submission {
    std::string_view stamp;
    std::string_view nonce; // empty: no JavaScript
    std::string_view honeypot;
};
Verdict check(std::string_view secret, const Submission& s, std::int64_t now_ms);

} // namespace teilhabe::consent::guard
