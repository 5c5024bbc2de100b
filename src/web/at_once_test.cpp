// The dispatcher's lean path (route.h AtOnceHandler): answers without identifying the visitor,
// hands on to the full path when the handler declines, refuses non-public routes, and logs in
// aggregate instead of one line per request.

#include "web/api_harness.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

namespace teilhabe::web {
namespace {

using http::Method;

http::Response full(RouteContext& ctx) {
    return http::Response::text(200, "full " + ctx.req.param("t") + (ctx.csrf_token.empty() ? "" : " with csrf"));
}

std::optional<http::Response> quick(const http::Request& req, AppContext&) {
    if (req.param("t") != "good")
        return std::nullopt;
    auto r = http::Response::redirect("https://example.org/", 302);
    r.set_header("Referrer-Policy", "no-referrer");
    return r;
}

std::vector<RouteDef> table() {
    return {{Method::Get, "/q/{t}", staff::Permission::Public, Surface::Page, full, Csrf::Check, quick}};
}

http::Request get(const std::string& path) {
    http::Request r;
    r.method = Method::Get;
    r.path = r.target = path;
    r.remote_addr = "127.0.0.1";
    return r;
}

struct CapturedLog {
    std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> sink =
        std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(64);
    std::shared_ptr<spdlog::logger> before = spdlog::default_logger();
    CapturedLog() {
        auto logger = std::make_shared<spdlog::logger>("captured", sink);
        logger->set_level(spdlog::level::info);
        spdlog::set_default_logger(logger);
    }
    ~CapturedLog() { spdlog::set_default_logger(before); }
    std::vector<std::string> lines() const { return sink->last_formatted(); }
};

TEST(DispatcherAtOnce, AnswersWithoutCookieAndHandsBadRequestsToTheFullPath) {
    auto h = testing::ApiHarness::create(db::Backend::Sqlite, {});
    ASSERT_TRUE(h);
    Dispatcher d(h->context(), table());
    auto req = get("/q/good");
    auto r = d.handle(req);
    EXPECT_EQ(r.status, 302);
    EXPECT_FALSE(r.header("Set-Cookie")) << "no anonymous CSRF cookie on the lean path";
    EXPECT_EQ(r.header("Referrer-Policy").value_or(""), "no-referrer") << "the handler's policy stays";
    EXPECT_EQ(r.header("X-Content-Type-Options").value_or(""), "nosniff");
    EXPECT_EQ(r.header("Cache-Control").value_or(""), "no-store");
    EXPECT_NE(h->context().metrics.render_prometheus().find("requests_total{status=\"3xx\"} 1\n"), std::string::npos)
        << "counted in the metrics as every request";

    auto bad_req = get("/q/bad");
    auto bad = d.handle(bad_req);
    EXPECT_EQ(bad.status, 200);
    EXPECT_EQ(bad.body, "full bad with csrf");
    EXPECT_TRUE(bad.header("Set-Cookie")) << "the full path as before";
}

TEST(DispatcherAtOnce, OnlyForPublicRoutes) {
    auto h = testing::ApiHarness::create(db::Backend::Sqlite, {});
    ASSERT_TRUE(h);
    auto routes = table();
    routes[0].permission = staff::Permission::ReadCitizens;
    EXPECT_THROW(Dispatcher(h->context(), routes), std::invalid_argument);
}

TEST(DispatcherAtOnce, LogsOneAggregateLineInsteadOfOnePerRequest) {
    auto h = testing::ApiHarness::create(db::Backend::Sqlite, {});
    ASSERT_TRUE(h);
    CapturedLog log;
    {
        Dispatcher hourly(h->context(), table(), std::chrono::hours(1));
        for (int i = 0; i < 3; ++i) {
            auto req = get("/q/good");
            EXPECT_EQ(hourly.handle(req).status, 302);
        }
        EXPECT_TRUE(log.lines().empty()) << log.lines().front();
        auto bad = get("/q/bad");
        hourly.handle(bad);
        ASSERT_EQ(log.lines().size(), 1u);
        EXPECT_NE(log.lines()[0].find("GET /q/bad 200"), std::string::npos) << log.lines()[0];
    } // the rest of the window is written when the dispatcher goes
    auto lines = log.lines();
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_NE(lines[1].find("GET /q/{t}: 3 answered at once"), std::string::npos) << lines[1];
    EXPECT_NE(lines[1].find("3xx 3"), std::string::npos) << lines[1];

    Dispatcher every(h->context(), table(), std::chrono::milliseconds(0));
    auto req = get("/q/good");
    every.handle(req);
    ASSERT_EQ(log.lines().size(), 3u);
    EXPECT_NE(log.lines()[2].find("GET /q/{t}: 1 answered at once"), std::string::npos) << log.lines()[2];
}

} // namespace
} // namespace teilhabe::web
