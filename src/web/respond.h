#pragma once
// Helpers for handlers: render a page inside the layout, answer JSON, read a JSON or form body,
// turn an Error into the right answer for the surface.

#include "http/message.h"
#include "web/route.h"

#include <nlohmann/json.hpp>
#include <string>

namespace teilhabe::web {

// The page `name` inside the layout with navigation, language switch and log-out: the admin's
// for staff, the portal's for a citizen signed in to the portal (routes with
// Permission::Citizen).
http::Response page(RouteContext& ctx, int status, std::string_view name, nlohmann::json data,
                    const std::string& title);
// A page without the admin navigation (log-in, public forms, errors).
http::Response bare_page(RouteContext& ctx, int status, std::string_view name,
                         nlohmann::json data, const std::string& title);
http::Response error_page(RouteContext& ctx, int status, const std::string& message);

// `next` when it is a path of this site ("/portal/profile"), else `fallback`: no open redirect
// to another site after a log-in.
std::string safe_next(const std::string& next, const std::string& fallback);

http::Response json(int status, const nlohmann::json& body);
// Reads an application/json body: 415 for another content type, 400 with the parser's
// position for malformed JSON, 400 when it is not an object.
Result<nlohmann::json> read_json_object(const http::Request& req);
// An API error as problem+json with the status of its code; internal errors are logged here
// with their detail (the answer shows none).
http::Response api_error(const Error& error, std::string_view what);

// A time for people: 24.11.2026, 10:00 UTC (de) or 2026-11-24 10:00 UTC (en).
std::string display_time(Locale locale, std::int64_t unix_ms);

// The first value of a form field ("" when absent).
std::string form_value(const std::vector<std::pair<std::string, std::string>>& form,
                       std::string_view name);

} // namespace teilhabe::web
