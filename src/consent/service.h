#pragma once
// The steps of consent, each inside the caller's transaction, with its proof and its activity
// (newsletter.requested / newsletter.confirmed / newsletter.withdrawn with object "topic:<key>",
// consent.tracking.requested / .confirmed / .withdrawn): sign-up, double opt-in, withdrawal and
// the preference centre. Callers (routes, later the portal) bring the proof; no HTTP here.

#include "base/clock.h"
#include "consent/consent.h"
#include "consent/mailer.h"
#include "consent/topic.h"
#include "consent/unsubscribe.h"
#include "db/connection.h"

#include <string>
#include <vector>

namespace teilhabe::consent {

// How long a confirmation link works.
inline constexpr Millis kConfirmTtl{std::chrono::hours(72)};

struct SignupRequest {
    std::string email;                   // as typed
    std::string language{"de"};          // "de" or "en"
    std::vector<std::string> topic_keys; // active public topics
    bool tracking{false};                // also asked for click tracking
    Proof proof;                         // request time, client address, browser, form address
};

// Records pending consents (under the current texts) for the topics not yet confirmed, creates
// the profile when there is none (e-mail and language only), and hands the confirmation mail
// to `mailer` in the same transaction. Answers the same whether the address was known (no
// account enumeration): nothing is sent when all is confirmed already, or while processing of
// the person is restricted (GDPR Art. 18). InvalidArgument naming "email" or "topics" for input
// that no person could mean.
Result<void> request_signup(db::Connection& c, const SignupRequest& in,
                            const ConfirmationMailer& mailer, const std::string& base_url,
                            const Clock& clock);

enum class TokenState { Valid, Used, Expired, Unknown };
struct TokenInfo {
    TokenState state{TokenState::Unknown};
    std::int64_t citizen_id{0};
    std::vector<std::string> topic_names; // what the mail asked for, in the person's language
    bool tracking{false};
    std::string language{"de"};
};
// What a confirmation link is about; changes nothing (GET /confirm: scanners follow links).
Result<TokenInfo> inspect_confirm_token(db::Connection& c, std::string_view token,
                                        const Clock& clock);
// Confirms the token's pending consents with this proof and uses the token up. The state says
// why nothing happened (used, expired, unknown).
Result<TokenInfo> confirm(db::Connection& c, std::string_view token, const Proof& proof,
                          const Clock& clock);
// A new confirmation mail for the consents of a used-up or expired token that are still
// pending (false: nothing left to confirm).
Result<bool> resend_confirmation(db::Connection& c, std::string_view token,
                                 const ConfirmationMailer& mailer, const std::string& base_url,
                                 const Clock& clock);

// Withdrawal through an unsubscribe link: the topics of the mail, or everything (all topics
// and tracking). Works while processing is restricted (withdrawing is the person's right).
// Returns how many consents were withdrawn.
enum class Scope { MailTopics, All };
Result<int> unsubscribe(db::Connection& c, const UnsubscribeClaim& claim, Scope scope, Via via,
                        const Proof& proof, const Clock& clock);

// Withdrawal of one consent (`subject`: "topic:<id>" or "tracking") by the person, e.g. with
// its button in the portal (GDPR Art. 7(3)). Works while processing is restricted. False when
// there was nothing to withdraw.
Result<bool> withdraw(db::Connection& c, std::int64_t citizen_id, std::string_view subject,
                      Via via, const Proof& proof, const Clock& clock);

// The preference centre: the confirmed topics become exactly `topic_ids` and tracking as
// given. New topics are confirmed at once: the page is reached through a link mailed to the
// address, which is the proof a double opt-in mail would bring.
Result<void> set_preferences(db::Connection& c, std::int64_t citizen_id,
                             const std::vector<std::int64_t>& topic_ids, bool tracking, Via via,
                             const Proof& proof, const Clock& clock);

} // namespace teilhabe::consent
