#pragma once
// Handlers that need the campaign's messages (campaign_source.h): preview, test send; and the
// tracked link redirect.

#include "web/route.h"

namespace teilhabe::campaigns {

// Both answer 503 when the server has no campaign mail set up (AppContext::campaign_mail).
http::Response preview(web::RouteContext& ctx);
http::Response test_send(web::RouteContext& ctx);
http::Response click(web::RouteContext& ctx);
// The lean path of GET /r/{token} (web/route.h AtOnceHandler): nothing for a bad token.
std::optional<http::Response> click_at_once(const http::Request& req, web::AppContext& app);

} // namespace teilhabe::campaigns
