#pragma once
// Small helpers shared by the portal's account pages: texts, the client's address and browser,
// the session cookies, and messages beside a form's fields.

#include "portal/session_service.h"
#include "web/route.h"

#include <nlohmann/json.hpp>
#include <string>

namespace teilhabe::portal::detail {

std::string text(web::RouteContext& ctx, const char* key); // "portal_account.<key>"
Client client_of(const web::RouteContext& ctx);
std::string form(const web::RouteContext& ctx, std::string_view name);

// Signs the browser in: the session cookie (for the absolute time-out) and the device cookie
// that keeps the owner's own log-ins apart from an attacker's failures.
void set_session_cookies(web::RouteContext& ctx, http::Response& r, const PortalSession& s,
                         const std::string& device_cookie);
void clear_session_cookie(web::RouteContext& ctx, http::Response& r);

// The message for an invalid password or e-mail address in the page's language.
std::string password_message(web::RouteContext& ctx, std::string_view password,
                             std::string_view email);
// `data["error_<field>"]` and the summary list for the form's error box.
void add_field_error(nlohmann::json& data, const std::string& field, const std::string& message);

// A page with a heading, a text and an optional link (sent, done, a link that cannot be used).
http::Response message_page(web::RouteContext& ctx, int status, const std::string& heading,
                            const std::string& text, const std::string& link_href = {},
                            const std::string& link_label = {});

} // namespace teilhabe::portal::detail
