#pragma once
// Tracked links (SPEC: "links are rewritten to /r/{token} only for people who consented to
// tracking"). The token carries what the redirect needs — campaign, person, target and the
// topic the link stands for — signed with the installation's secret (HMAC-SHA-256, 128 bits
// kept), so the redirect reads nothing before it answers and cannot be made into an open
// redirect to an address of somebody else's choosing. Domain code: no HTTP, no SQL.

#include "base/error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace teilhabe::campaigns {

struct TrackedLink {
    std::int64_t campaign_id{0};
    std::int64_t citizen_id{0};
    std::string url;
    std::string topic; // key of the topic the link stands for; empty when none
};

// URL-safe: [A-Za-z0-9_-] and one '.'.
std::string make_click_token(std::string_view secret, const TrackedLink& link);
// Nothing for a token that was not made with this secret or is malformed.
std::optional<TrackedLink> read_click_token(std::string_view secret, std::string_view token);

// base_url + "/r/" + token
std::string click_url(std::string_view base_url, std::string_view secret, const TrackedLink& link);

} // namespace teilhabe::campaigns
