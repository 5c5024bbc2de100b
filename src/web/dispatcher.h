#pragma once
// Turns a request into a response: finds the route, establishes who is asking (session cookie
// or bearer API key), checks the route's permission and the CSRF token, runs the handler, and
// adds security headers, metrics and the access log. Handlers never see a request they may
// not serve.
//
// A route with an `at_once` handler (route.h) is tried on the lean path first: no session or
// key lookup, no CSRF cookie, no language; security headers and metrics as always. Its answers
// are logged per route and minute in one info line (counts by status class, mean and maximum
// time) instead of one line per request; what it hands on to the full path is logged as usual.

#include "http/router.h"
#include "web/route.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <vector>

namespace teilhabe::web {

class Dispatcher {
public:
    // `log_window`: how often the lean path's aggregate line is written (at the first answer
    // after the window ended, and at destruction).
    Dispatcher(AppContext& app, std::vector<RouteDef> routes,
               std::chrono::milliseconds log_window = std::chrono::seconds(60));
    ~Dispatcher();
    http::Response handle(http::Request& req);
    const std::vector<RouteDef>& routes() const { return m_defs; }

private:
    // The lean path's answers of one route since the last aggregate line. Lock-free.
    struct Tally {
        std::atomic<std::uint64_t> by_class[6]{}; // 1xx..5xx, other
        std::atomic<std::uint64_t> sum_us{0}, max_us{0};
        std::atomic<std::int64_t> since_ms{0}; // steady clock
    };
    struct Meta {
        const RouteDef* def;
        Tally* tally; // for routes with at_once
    };
    using Match = http::Router<Meta>::Match;
    std::optional<http::Response> answer_at_once(http::Request& req, const Meta& meta,
                                                 std::chrono::steady_clock::time_point start);
    void count(const RouteDef& def, Tally& t, int status, std::chrono::steady_clock::time_point start);
    void write_tally(const RouteDef& def, Tally& t, std::int64_t window_ms);
    http::Response dispatch(http::Request& req, RouteContext& ctx, Match& match);
    Result<void> authenticate(http::Request& req, RouteContext& ctx, Surface surface);
    bool csrf_ok(const http::Request& req, const RouteContext& ctx) const;
    std::string anonymous_csrf(const http::Request& req, RouteContext& ctx) const;
    http::Response not_found(http::Request& req, RouteContext& ctx);

    AppContext& m_app;
    std::vector<RouteDef> m_defs;
    http::Router<Meta> m_router;
    std::vector<std::unique_ptr<Tally>> m_tallies;
    std::chrono::milliseconds m_log_window;
};

// True for 127.0.0.0/8 and ::1 (Prometheus scrapes from the same host need no key).
bool is_loopback(std::string_view addr);

} // namespace teilhabe::web
