#pragma once
// A route: method, path, the permission it needs, and its handler. Every area lists its routes
// in one table (admin/routes.cpp, app/system_routes.cpp, ...), so who may do what is visible
// on one screen.

#include "http/message.h"
#include "staff/role.h"
#include "web/context.h"

#include <functional>
#include <string>

namespace teilhabe::web {

using RouteHandler = std::function<http::Response(RouteContext&)>;

// Api: errors as problem+json, 401 for missing credentials. Page: HTML, a redirect to the
// log-in page instead of 401.
enum class Surface { Api, Page };
// Unsafe methods on pages need the CSRF token, except where a standard forbids a token
// (RFC 8058 one-click unsubscribe) or the caller authenticates with a bearer key.
enum class Csrf { Check, Exempt };

struct RouteDef {
    http::Method method;
    std::string pattern;
    staff::Permission permission;
    Surface surface;
    RouteHandler handler;
    Csrf csrf{Csrf::Check};
};

} // namespace teilhabe::web
