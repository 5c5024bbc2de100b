#pragma once
// Tests only: a migrated database per backend with a few citizens.

#include "db/test_support.h"

#include <gtest/gtest.h>

namespace teilhabe::delivery::testing {

inline std::int64_t add_citizen(db::Database& db, const std::string& email, const Clock& clock) {
    auto id = db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<std::int64_t> {
        auto row = TRY(c.query_one("INSERT INTO citizens (email, created_at, updated_at) VALUES "
                                   "(?, ?, ?) RETURNING id",
                                   {email, clock.now_ms(), clock.now_ms()}));
        return row.get_int(0);
    });
    EXPECT_TRUE(id.has_value()) << id.error().message;
    return id.value_or(0);
}

} // namespace teilhabe::delivery::testing
