#include "web/cookies.h"

#include <fmt/format.h>

namespace teilhabe::web {

namespace {
std::string prefixed(const WebSettings& s, const char* name) {
    return s.secure_cookies ? std::string("__Host-") + name : std::string(name);
}
} // namespace

std::string session_cookie_name(const WebSettings& s) { return prefixed(s, "th_session"); }
std::string device_cookie_name(const WebSettings& s) { return prefixed(s, "th_device"); }
std::string csrf_cookie_name(const WebSettings& s) { return prefixed(s, "th_csrf"); }
std::string portal_session_cookie_name(const WebSettings& s) { return prefixed(s, "th_portal"); }
std::string portal_device_cookie_name(const WebSettings& s) {
    return prefixed(s, "th_portal_device");
}

std::string make_cookie(const WebSettings& s, const std::string& name, const std::string& value,
                        long max_age_seconds, bool http_only) {
    std::string c = fmt::format("{}={}; Path=/; SameSite=Lax", name, value);
    if (http_only)
        c += "; HttpOnly";
    if (s.secure_cookies)
        c += "; Secure";
    if (max_age_seconds >= 0)
        c += fmt::format("; Max-Age={}", max_age_seconds);
    return c;
}

} // namespace teilhabe::web
