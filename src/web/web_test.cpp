#include "web/cookies.h"
#include "web/i18n.h"
#include "web/templates.h"

#include <gtest/gtest.h>
#include <set>

namespace teilhabe::web {
namespace {

TEST(I18n, GermanAndEnglishCataloguesHaveTheSameKeys) {
    auto de = catalogue_keys(Locale::De);
    auto en = catalogue_keys(Locale::En);
    ASSERT_GT(de.size(), 20u);
    EXPECT_EQ(std::set<std::string>(de.begin(), de.end()), std::set<std::string>(en.begin(), en.end()));
}

TEST(I18n, LocaleFromCookieThenAcceptLanguage) {
    http::Request r;
    EXPECT_EQ(choose_locale(r), Locale::De);
    r.headers = {{"accept-language", "fr-FR, en-GB;q=0.8, de;q=0.5"}};
    EXPECT_EQ(choose_locale(r), Locale::En);
    r.headers.push_back({"cookie", "lang=de"});
    EXPECT_EQ(choose_locale(r), Locale::De);
    EXPECT_EQ(tr(Locale::En, "nav.dashboard"), "Overview");
    EXPECT_EQ(tr(Locale::De, "nav.dashboard"), "Übersicht");
    EXPECT_EQ(tr(Locale::De, "no.such.key"), "no.such.key");
}

TEST(Templates, EscapeValuesAndOfferTexts) {
    auto html = render_template("error", {{"status", 404}, {"message", "<script>alert(1)</script>"}},
                                Locale::En);
    ASSERT_TRUE(html.has_value()) << html.error().message;
    EXPECT_EQ(html->find("<script>"), std::string::npos);
    EXPECT_NE(html->find("&lt;script&gt;"), std::string::npos);
    EXPECT_NE(html->find("To the start page"), std::string::npos);
    EXPECT_FALSE(render_template("no_such_template", {}, Locale::De).has_value());
}

TEST(Templates, AnEmptyErrorShowsNoAlert) {
    auto fresh = render_template("login", {{"email", ""}, {"error", ""}, {"next", ""}}, Locale::De);
    ASSERT_TRUE(fresh.has_value());
    EXPECT_EQ(fresh->find("role=\"alert\""), std::string::npos);
    EXPECT_EQ(fresh->find("aria-invalid"), std::string::npos);
    auto failed = render_template("login", {{"email", "a@b.example"}, {"error", "Falsch"}}, Locale::De);
    ASSERT_TRUE(failed.has_value());
    EXPECT_NE(failed->find("role=\"alert\""), std::string::npos);
    EXPECT_NE(failed->find("value=\"a@b.example\""), std::string::npos);
}

TEST(Templates, EveryTemplateParses) {
    for (const char* name : {"layout", "login", "dashboard", "coming", "error", "staff_list", "audit"}) {
        auto html = render_template(name, nlohmann::json::object(), Locale::De);
        EXPECT_TRUE(html.has_value()) << name << ": " << (html ? "" : html.error().message);
    }
}

TEST(Static, FilesAreEmbedded) {
    EXPECT_TRUE(static_file("css/app.css").has_value());
    EXPECT_TRUE(static_file("js/htmx.min.js").has_value());
    EXPECT_FALSE(static_file("../CMakeLists.txt").has_value());
}

TEST(Cookies, SecureBehindTls) {
    WebSettings plain;
    EXPECT_EQ(session_cookie_name(plain), "th_session");
    auto c = make_cookie(plain, "th_session", "abc", -1);
    EXPECT_NE(c.find("HttpOnly"), std::string::npos);
    EXPECT_NE(c.find("SameSite=Lax"), std::string::npos);
    EXPECT_EQ(c.find("Secure"), std::string::npos);
    WebSettings tls{.secure_cookies = true};
    EXPECT_EQ(session_cookie_name(tls), "__Host-th_session");
    EXPECT_NE(make_cookie(tls, "x", "y", 10).find("; Secure"), std::string::npos);
}

} // namespace
} // namespace teilhabe::web
