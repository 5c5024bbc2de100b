#pragma once
// Cookie names and attributes in one place: HttpOnly, SameSite=Lax, Secure and the __Host-
// prefix behind TLS.

#include "web/context.h"

#include <string>

namespace teilhabe::web {

std::string session_cookie_name(const WebSettings& s);
std::string device_cookie_name(const WebSettings& s);
std::string csrf_cookie_name(const WebSettings& s);
// The citizen portal's own cookies: a staff member who is also a citizen can be signed in to
// both, and neither session is taken for the other.
std::string portal_session_cookie_name(const WebSettings& s);
std::string portal_device_cookie_name(const WebSettings& s);

// max_age_seconds < 0: a session cookie; 0: delete.
std::string make_cookie(const WebSettings& s, const std::string& name, const std::string& value,
                        long max_age_seconds, bool http_only = true);

} // namespace teilhabe::web
