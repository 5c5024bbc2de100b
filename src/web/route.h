#pragma once
// A route: method, path, the permission it needs, and its handler. Every area lists its routes
// in one table (admin/routes.cpp, app/system_routes.cpp, ...), so who may do what is visible
// on one screen.

#include "http/message.h"
#include "staff/role.h"
#include "web/context.h"

#include <functional>
#include <optional>
#include <string>

namespace teilhabe::web {

using RouteHandler = std::function<http::Response(RouteContext&)>;
// Answers from the request alone, before the dispatcher asks who is calling, hands out the
// anonymous CSRF cookie or chooses the language: the lean path of a hot public GET (the tracked
// link redirect, docs/benchmarks.md). Nothing: the request goes the full way to the route's
// handler (an error page in the visitor's language, say). Only Public routes may have one; their
// answers are logged per minute in aggregate, not one line each (web/dispatcher.h).
using AtOnceHandler = std::function<std::optional<http::Response>(const http::Request&, AppContext&)>;

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
    AtOnceHandler at_once{};
};

} // namespace teilhabe::web
