#include "http/router.h"

#include <gtest/gtest.h>

namespace teilhabe::http {
namespace {

TEST(Router, MatchesLiteralAndCaptures) {
    Router<int> r;
    r.add(Method::Get, "/api/v1/citizens", 1);
    r.add(Method::Get, "/api/v1/citizens/{id}", 2);
    r.add(Method::Delete, "/api/v1/citizens/{id}", 3);
    auto m = r.match(Method::Get, "/api/v1/citizens/42");
    ASSERT_NE(m.route, nullptr);
    EXPECT_EQ(m.route->meta, 2);
    EXPECT_EQ(m.params["id"], "42");
    auto list = r.match(Method::Get, "/api/v1/citizens");
    ASSERT_NE(list.route, nullptr);
    EXPECT_EQ(list.route->meta, 1);
}

TEST(Router, KnownPathWithOtherMethodIsReportedFor405) {
    Router<int> r;
    r.add(Method::Get, "/healthz", 1);
    auto m = r.match(Method::Post, "/healthz");
    EXPECT_EQ(m.route, nullptr);
    EXPECT_TRUE(m.path_known);
    ASSERT_EQ(m.allowed.size(), 1u);
    EXPECT_EQ(m.allowed[0], Method::Get);
    auto unknown = r.match(Method::Get, "/nope");
    EXPECT_EQ(unknown.route, nullptr);
    EXPECT_FALSE(unknown.path_known);
}

TEST(Router, HeadIsServedByGet) {
    Router<int> r;
    r.add(Method::Get, "/healthz", 7);
    auto m = r.match(Method::Head, "/healthz");
    ASSERT_NE(m.route, nullptr);
    EXPECT_EQ(m.route->meta, 7);
}

TEST(Router, RestCaptureRefusesDotDot) {
    Router<int> r;
    r.add(Method::Get, "/static/{file...}", 1);
    auto ok = r.match(Method::Get, "/static/css/app.css");
    ASSERT_NE(ok.route, nullptr);
    EXPECT_EQ(ok.params["file"], "css/app.css");
    EXPECT_EQ(r.match(Method::Get, "/static/../secret").route, nullptr);
    EXPECT_EQ(r.match(Method::Get, "/static").route, nullptr);
}

TEST(Router, DoesNotMatchLongerOrShorterPaths) {
    Router<int> r;
    r.add(Method::Get, "/a/{x}", 1);
    EXPECT_EQ(r.match(Method::Get, "/a").route, nullptr);
    EXPECT_EQ(r.match(Method::Get, "/a/b/c").route, nullptr);
    EXPECT_NE(r.match(Method::Get, "/a/b/").route, nullptr);
}

// Only routes that can match are tried (an index by first segment), and the first one added
// still wins: a capture added before a literal beats it, one added after does not.
TEST(Router, FirstAddedRouteWinsAcrossLiteralsAndCaptures) {
    Router<int> r;
    r.add(Method::Get, "/", 1);
    r.add(Method::Get, "/{page}", 2);
    r.add(Method::Get, "/about", 3); // shadowed by /{page}, which came first
    r.add(Method::Get, "/r/{token}", 4);
    r.add(Method::Get, "/{a}/{b}", 5);
    r.add(Method::Get, "/r/special", 6); // shadowed by /r/{token}
    r.add(Method::Get, "/x/special", 7); // a literal after /{a}/{b}: shadowed too
    r.add(Method::Post, "/about", 8);
    auto meta = [&](Method m, std::string_view path) {
        auto found = r.match(m, path);
        return found.route ? found.route->meta : 0;
    };
    EXPECT_EQ(meta(Method::Get, "/"), 1);
    EXPECT_EQ(meta(Method::Get, "/about"), 2);
    EXPECT_EQ(meta(Method::Get, "/r/abc"), 4);
    EXPECT_EQ(meta(Method::Get, "/r/special"), 4);
    EXPECT_EQ(meta(Method::Get, "/x/special"), 5);
    EXPECT_EQ(meta(Method::Get, "/unknown/two"), 5);
    EXPECT_EQ(meta(Method::Post, "/about"), 8);
    EXPECT_EQ(meta(Method::Get, "/a/b/c"), 0);
    auto not_allowed = r.match(Method::Delete, "/r/abc");
    EXPECT_TRUE(not_allowed.path_known);
}

} // namespace
} // namespace teilhabe::http
