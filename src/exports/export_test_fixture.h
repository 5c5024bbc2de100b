#pragma once
// A small town for the export tests, on SQLite and PostgreSQL: topics, one own field of every
// type, and people created through the store. Only for the tests of this folder.

#include "citizens/citizen_store.h"
#include "citizens/field_store.h"
#include "db/test_support.h"

#include <gtest/gtest.h>

namespace teilhabe::exports::testing {

class ExportTest : public ::testing::TestWithParam<db::Backend> {
protected:
    void SetUp() override {
        auto t = db::testing::make_database(GetParam());
        ASSERT_TRUE(t.has_value()) << t.error().message;
        m_t = std::move(*t);
        auto seeded = tx([&](db::Connection& c) -> Result<void> {
            for (const char* topic : {"kultur", "umwelt"})
                TRY(c.query("INSERT INTO topics (key, name_de, name_en, created_at) VALUES (?, ?, "
                            "?, 0)",
                            {topic, topic, topic}));
            return {};
        });
        ASSERT_TRUE(seeded) << seeded.error().message;
        make_field({{"key", "birth_year"}, {"type", "number"}});
        make_field({{"key", "share"}, {"type", "number"}});
        make_field({{"key", "member_since"}, {"type", "date"}});
        make_field({{"key", "has_dog"}, {"type", "bool"}});
        make_field({{"key", "notes"}, {"type", "text"}});
        make_field({{"key", "size"}, {"type", "choice"}, {"options", {"S", "M", "L"}}});
        make_field({{"key", "volunteering"},
                    {"type", "multichoice"},
                    {"options", {"Garten", "Bücherei", "Sport"}}});
    }

    template <class F> auto tx(F&& fn) -> std::invoke_result_t<F, db::Connection&> {
        return m_t->db->transaction(db::TxMode::Write, fn);
    }

    void make_field(nlohmann::json body) {
        body["label"] = {{"de", "Feld"}, {"en", "Field"}};
        auto in = citizens::parse_field_input(body, citizens::InputMode::Create);
        ASSERT_TRUE(in) << in.error().message;
        auto d = tx([&](db::Connection& c) {
            return citizens::store::create_field(c, *in, {}, m_who, m_clock);
        });
        ASSERT_TRUE(d) << d.error().message;
    }

    citizens::Citizen create(nlohmann::json body) {
        auto in = citizens::parse_citizen_input(body, citizens::InputMode::Create);
        EXPECT_TRUE(in) << in.error().message;
        auto c = tx([&](db::Connection& c) {
            return citizens::store::create_citizen(c, *in, m_who, m_clock);
        });
        EXPECT_TRUE(c) << c.error().message;
        m_clock.advance(std::chrono::seconds(1));
        return c.value_or(citizens::Citizen{});
    }

    std::int64_t scalar(const std::string& sql, db::Params params = {}) {
        auto r = tx([&](db::Connection& c) { return c.query_one(sql, params); });
        EXPECT_TRUE(r) << r.error().message;
        return r ? r->get_int(0) : -1;
    }

    // The audit entries of exports, oldest first: "action|detail|ip".
    std::vector<std::string> export_audit() {
        auto r = tx([&](db::Connection& c) {
            return c.query("SELECT action, detail, ip FROM audit_log WHERE action LIKE "
                           "'citizen.export%' ORDER BY id");
        });
        EXPECT_TRUE(r) << r.error().message;
        std::vector<std::string> out;
        if (r)
            for (const auto& row : r->rows)
                out.push_back(row.get_text(0) + "|" + row.get_text(1) + "|" + row.get_text(2));
        return out;
    }

    std::unique_ptr<db::testing::TestDatabase> m_t;
    ManualClock m_clock;
    citizens::Actor m_who{"staff:1", "192.0.2.1"};
};

inline std::string backend_test_name(const ::testing::TestParamInfo<db::Backend>& info) {
    return db::testing::backend_name(info.param);
}

} // namespace teilhabe::exports::testing
