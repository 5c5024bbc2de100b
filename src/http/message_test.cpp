#include "http/message.h"
#include "http/problem.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace teilhabe::http {
namespace {

TEST(Form, DecodesPercentAndPlus) {
    auto f = parse_form("email=anna%40example.org&name=Anna+M%C3%BCller&empty=&flag");
    ASSERT_EQ(f.size(), 4u);
    EXPECT_EQ(f[0].second, "anna@example.org");
    EXPECT_EQ(f[1].second, "Anna Müller");
    EXPECT_EQ(f[2].second, "");
    EXPECT_EQ(f[3].first, "flag");
}

TEST(Form, BrokenPercentSequencesStayLiteral) {
    EXPECT_EQ(url_decode("100%"), "100%");
    EXPECT_EQ(url_decode("%zz%4"), "%zz%4");
    EXPECT_EQ(url_decode("%%41%"), "%A%");
    EXPECT_EQ(url_decode("/r/abc.DEF-_"), "/r/abc.DEF-_");
}

// A path keeps its '+'; a form value reads it as a space. Escapes anywhere: first, last, next
// to each other.
TEST(Form, PlusIsASpaceOnlyInForms) {
    EXPECT_EQ(url_decode("a+b%2Bc", false), "a+b+c");
    EXPECT_EQ(url_decode("a+b%2Bc", true), "a b+c");
    EXPECT_EQ(url_decode("%C3%BC%C3%9F", false), "üß");
    EXPECT_EQ(url_decode("+", true), " ");
    EXPECT_EQ(url_decode("", true), "");
    EXPECT_EQ(url_encode("a b/ä"), "a%20b%2F%C3%A4");
}

TEST(Request, ReadsCookiesAndHeaders) {
    Request r;
    r.headers = {{"cookie", "a=1; th_session=abc; b=2"}, {"accept-language", "en"}};
    EXPECT_EQ(r.cookie("th_session").value_or(""), "abc");
    EXPECT_FALSE(r.cookie("missing").has_value());
    EXPECT_EQ(r.header("accept-language").value_or(""), "en");
}

TEST(Problem, MapsErrorCodesAndHidesInternalDetails) {
    auto r = problem(Error::internal("SELECT * FROM secret failed"));
    EXPECT_EQ(r.status, 500);
    EXPECT_EQ(r.header("content-type").value_or(""), "application/problem+json");
    EXPECT_EQ(r.body.find("secret"), std::string::npos);
    auto bad = problem(Error::invalid("E-Mail fehlt", "email"));
    EXPECT_EQ(bad.status, 400);
    auto j = nlohmann::json::parse(bad.body);
    EXPECT_EQ(j["status"], 400);
    EXPECT_EQ(j["errors"][0]["field"], "email");
    EXPECT_EQ(status_for(ErrorCode::AlreadyExists), 409);
    EXPECT_EQ(status_for(ErrorCode::PayloadTooLarge), 413);
}

} // namespace
} // namespace teilhabe::http
