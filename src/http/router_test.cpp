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

} // namespace
} // namespace teilhabe::http
