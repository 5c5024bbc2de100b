#pragma once
// The signed-in citizen's pages over the real dispatcher on both engines: the portal core's
// routes and ours, a signed-in browser (cookies, CSRF token of the last page), custom fields
// staff marked for the portal, two topics. Only for this folder's tests.

#include "citizens/field_store.h"
#include "portal/me_routes.h"
#include "portal/routes.h"
#include "portal/test_support.h"
#include "web/cookies.h"

#include <gtest/gtest.h>

namespace teilhabe::portal::testing {

class MeTest : public ::testing::TestWithParam<db::Backend> {
protected:
    void SetUp() override {
        auto all = routes();
        auto mine = me_routes(settings());
        all.insert(all.end(), mine.begin(), mine.end());
        h = portal_harness(GetParam(), std::move(all));
        ASSERT_TRUE(h);
        h->context().settings.base_url = "https://teilhabe.musterstadt.example";
        add_field(R"({"key": "birth_year", "type": "number", "min": 1900, "max": 2030,
            "ask_in_portal": true, "portal_order": 1,
            "label": {"de": "Geburtsjahr", "en": "Year of birth"}})");
        add_field(R"({"key": "volunteering", "type": "multichoice", "ask_in_portal": true,
            "portal_order": 3, "options": ["Bücherei", "Putzaktion"],
            "label": {"de": "Ehrenamt", "en": "Volunteering"}})");
        add_field(R"({"key": "district_news", "type": "bool", "ask_in_portal": true,
            "portal_order": 2, "label": {"de": "Nachrichten aus dem Ortsteil", "en": "District news"}})");
        add_field(R"({"key": "case_note", "type": "text",
            "label": {"de": "Vermerk der Verwaltung", "en": "Administration note"}})");
        kultur = add_topic("kultur", "Kultur", true);
        intern = add_topic("intern", "Intern", false);
        anna = h->add_citizen("anna@musterstadt.example", "Anna");
        account = add_account(*h, anna, "anna@musterstadt.example", "Sonnenblume 42");
        browser = std::make_unique<web::testing::Browser>(*h);
        sign_in(*browser, "anna@musterstadt.example", "Sonnenblume 42");
    }

    virtual MeSettings settings() { return {}; }

    void add_field(const std::string& json) {
        auto in =
            citizens::parse_field_input(nlohmann::json::parse(json), citizens::InputMode::Create);
        ASSERT_TRUE(in.has_value()) << in.error().message;
        auto r = h->db().transaction(db::TxMode::Write, [&](db::Connection& c) {
            return citizens::store::create_field(c, *in, {}, {"system:test", ""}, h->clock());
        });
        ASSERT_TRUE(r.has_value()) << r.error().message;
    }
    std::int64_t add_topic(const std::string& key, const std::string& name, bool is_public) {
        return count("INSERT INTO topics (key, name_de, name_en, is_public, created_at) VALUES "
                     "(?, ?, ?, ?, 0) RETURNING id",
                     {key, name, name, std::int64_t{is_public ? 1 : 0}});
    }
    std::int64_t count(const std::string& sql, db::Params params = {}) {
        auto r = h->db().transaction(db::TxMode::Write,
                                     [&](db::Connection& c) { return c.query_one(sql, params); });
        EXPECT_TRUE(r.has_value()) << sql << ": " << (r ? "" : r.error().message);
        return r ? r->get_int(0) : -1;
    }
    std::string text(const std::string& sql, db::Params params = {}) {
        auto r = h->db().transaction(db::TxMode::Read,
                                     [&](db::Connection& c) { return c.query_one(sql, params); });
        EXPECT_TRUE(r.has_value()) << sql << ": " << (r ? "" : r.error().message);
        return r ? r->get_text(0) : "";
    }
    static bool has(const web::testing::ApiResponse& r, const std::string& s) {
        return r.body.find(s) != std::string::npos;
    }
    std::string location(const web::testing::ApiResponse& r) {
        return std::string(r.raw.header("location").value_or(""));
    }
    std::string me() const { return "citizen:" + std::to_string(anna); }

    std::unique_ptr<web::testing::ApiHarness> h;
    std::unique_ptr<web::testing::Browser> browser;
    std::int64_t anna{0}, account{0}, kultur{0}, intern{0};
};

} // namespace teilhabe::portal::testing
