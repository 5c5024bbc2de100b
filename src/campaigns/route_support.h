#pragma once
// What the campaigns' handlers share (API, tracked link, admin pages): ids from the path and
// refusals as problem+json. Internal to src/campaigns.

#include "base/error.h"
#include "campaigns/campaign_store.h"
#include "http/message.h"
#include "web/route.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace teilhabe::campaigns::detail {

// A positive decimal number; none for anything else (answered 404 or 422 by the caller).
std::optional<std::int64_t> parse_id(std::string_view text);
// A value that was understood but is not acceptable is 422 naming the member; other errors get
// the status of their code.
http::Response problem(const Error& e);

// For the admin pages: a text in the request's language, who acts, and an error as a page
// (404, 409 with the store's reason, or the generic 500 with the detail logged).
std::string tr(const web::RouteContext& ctx, std::string_view key);
store::Actor who_of(const web::RouteContext& ctx);
http::Response failure(web::RouteContext& ctx, const Error& e);

} // namespace teilhabe::campaigns::detail
