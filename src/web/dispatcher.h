#pragma once
// Turns a request into a response: finds the route, establishes who is asking (session cookie
// or bearer API key), checks the route's permission and the CSRF token, runs the handler, and
// adds security headers, metrics and the access log. Handlers never see a request they may
// not serve.

#include "http/router.h"
#include "web/route.h"

#include <vector>

namespace teilhabe::web {

class Dispatcher {
public:
    Dispatcher(AppContext& app, std::vector<RouteDef> routes);
    http::Response handle(http::Request& req);
    const std::vector<RouteDef>& routes() const { return m_defs; }

private:
    struct Meta {
        const RouteDef* def;
    };
    http::Response dispatch(http::Request& req, RouteContext& ctx);
    Result<void> authenticate(http::Request& req, RouteContext& ctx, Surface surface);
    bool csrf_ok(const http::Request& req, const RouteContext& ctx) const;
    std::string anonymous_csrf(const http::Request& req, RouteContext& ctx) const;
    http::Response not_found(http::Request& req, RouteContext& ctx);

    AppContext& m_app;
    std::vector<RouteDef> m_defs;
    http::Router<Meta> m_router;
};

// True for 127.0.0.0/8 and ::1 (Prometheus scrapes from the same host need no key).
bool is_loopback(std::string_view addr);

} // namespace teilhabe::web
