#pragma once
// A fresh migrated database per test, on SQLite and PostgreSQL (db/test_support.h), with a
// small town: departments, topics and three custom fields. Only for the tests of this folder.

#include "citizens/citizen_store.h"
#include "citizens/field_store.h"
#include "db/test_support.h"

#include <gtest/gtest.h>

namespace teilhabe::citizens::testing {

class StoreTest : public ::testing::TestWithParam<db::Backend> {
protected:
    void SetUp() override {
        auto t = db::testing::make_database(GetParam());
        ASSERT_TRUE(t.has_value()) << t.error().message;
        m_t = std::move(*t);
        auto seeded = tx([&](db::Connection& c) -> Result<void> {
            for (const char* d : {"vhs", "umwelt"})
                TRY(c.query("INSERT INTO departments (key, name_de, name_en, created_at) VALUES "
                            "(?, ?, ?, 0)",
                            {d, d, d}));
            for (const char* topic : {"kultur", "umwelt", "vhs-kurse"})
                TRY(c.query("INSERT INTO topics (key, name_de, name_en, created_at) VALUES (?, ?, "
                            "?, 0)",
                            {topic, topic, topic}));
            return {};
        });
        ASSERT_TRUE(seeded) << seeded.error().message;
        make_field({{"key", "birth_year"}, {"type", "number"}, {"min", 1900}, {"max", 2030}});
        make_field({{"key", "has_dog"}, {"type", "bool"}});
        make_field({{"key", "volunteering"},
                    {"type", "multichoice"},
                    {"options", {"garden", "library", "sports"}}});
    }

    template <class F> auto tx(F&& fn) -> std::invoke_result_t<F, db::Connection&> {
        return m_t->db->transaction(db::TxMode::Write, fn);
    }

    FieldDefinition make_field(nlohmann::json body) {
        if (!body.contains("label"))
            body["label"] = {{"de", "Feld"}, {"en", "Field"}};
        auto in = parse_field_input(body, InputMode::Create);
        EXPECT_TRUE(in) << in.error().message;
        auto d =
            tx([&](db::Connection& c) { return store::create_field(c, *in, {}, m_who, m_clock); });
        EXPECT_TRUE(d) << d.error().message;
        return d.value_or(FieldDefinition{});
    }

    Result<Citizen> create(nlohmann::json body) {
        auto in = parse_citizen_input(body, InputMode::Create);
        if (!in)
            return fail(in.error());
        return tx([&](db::Connection& c) { return store::create_citizen(c, *in, m_who, m_clock); });
    }

    Result<Citizen> patch(std::int64_t id, nlohmann::json body) {
        auto in = parse_citizen_input(body, InputMode::Patch);
        if (!in)
            return fail(in.error());
        return tx(
            [&](db::Connection& c) { return store::update_citizen(c, id, *in, m_who, m_clock); });
    }

    std::optional<Citizen> get(std::int64_t id) {
        auto r = tx([&](db::Connection& c) { return store::find_citizen(c, id); });
        EXPECT_TRUE(r) << r.error().message;
        return r.value_or(std::nullopt);
    }

    // A single number from the database, e.g. a count.
    std::int64_t scalar(const std::string& sql, db::Params params = {}) {
        auto r = tx([&](db::Connection& c) { return c.query_one(sql, params); });
        EXPECT_TRUE(r) << r.error().message;
        return r ? r->get_int(0) : -1;
    }

    std::unique_ptr<db::testing::TestDatabase> m_t;
    ManualClock m_clock;
    Actor m_who{"staff:1", "192.0.2.1"};
};

inline std::string backend_test_name(const ::testing::TestParamInfo<db::Backend>& info) {
    return db::testing::backend_name(info.param);
}

} // namespace teilhabe::citizens::testing
