#pragma once
// /admin/campaigns: the list (by state, with an empty state), the editor, the campaign's page
// (preview as a real person, audience, test send, send now / schedule / pause / resume /
// cancel with confirmations) and its report with charts.

#include "web/route.h"

namespace teilhabe::campaigns::pages {

http::Response list(web::RouteContext& ctx);
http::Response new_form(web::RouteContext& ctx);
http::Response create(web::RouteContext& ctx);
http::Response detail(web::RouteContext& ctx);
http::Response edit_form(web::RouteContext& ctx);
http::Response update(web::RouteContext& ctx);
// GET: the question ("send to 1,234 people now?"); POST: the change.
http::Response confirm(web::RouteContext& ctx);
http::Response act(web::RouteContext& ctx);
http::Response test_send(web::RouteContext& ctx);
// The message as the first person of the audience gets it, alone, for the page's sandboxed
// frame: its own inline styles are allowed, nothing else (no scripts, no forms, no framing by
// others). Rendering as a person reads their profile: audited.
http::Response preview_document(web::RouteContext& ctx);

} // namespace teilhabe::campaigns::pages
