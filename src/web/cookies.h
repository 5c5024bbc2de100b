#pragma once
// Cookie names and attributes in one place: HttpOnly, SameSite=Lax, Secure and the __Host-
// prefix behind TLS.

#include "web/context.h"

#include <string>

namespace teilhabe::web {

std::string session_cookie_name(const WebSettings& s);
std::string device_cookie_name(const WebSettings& s);
std::string csrf_cookie_name(const WebSettings& s);

// max_age_seconds < 0: a session cookie; 0: delete.
std::string make_cookie(const WebSettings& s, const std::string& name, const std::string& value,
                        long max_age_seconds, bool http_only = true);

} // namespace teilhabe::web
