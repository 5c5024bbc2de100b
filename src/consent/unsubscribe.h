#pragma once
// Unsubscribe links (RFC 8058 one-click and the page with the preference centre), stateless:
// the token names the person, the campaign and the topics of the mail, signed with the
// installation secret (web::AppContext::secret), so that nothing is stored per message and a
// link works as long as the secret is kept (a withdrawal must remain possible for old mails).
// Changing the secret invalidates every link sent before.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace teilhabe::consent {

struct UnsubscribeClaim {
    std::int64_t citizen_id{0};
    std::int64_t campaign_id{0};        // 0: none (a transactional mail, the confirmation)
    std::vector<std::int64_t> topic_ids; // the topics the mail was sent for; may be empty
};

// "<citizen>.<campaign>.<t1-t2-...>.<32 hex of HMAC-SHA256>": URL-safe, no padding.
std::string unsubscribe_token(std::string_view secret, std::int64_t citizen_id,
                              std::int64_t campaign_id, const std::vector<std::int64_t>& topic_ids);
// Checks the signature in constant time; none for a token not made with this secret.
std::optional<UnsubscribeClaim> verify_unsubscribe_token(std::string_view secret,
                                                         std::string_view token);

// base_url + "/unsubscribe/" + token: the link in the footer (GET shows the page).
std::string unsubscribe_url(std::string_view base_url, std::string_view token);
// The URI for the List-Unsubscribe header: the same resource; a POST with the body
// "List-Unsubscribe=One-Click" (List-Unsubscribe-Post header) unsubscribes at once.
std::string one_click_url(std::string_view base_url, std::string_view token);

} // namespace teilhabe::consent
