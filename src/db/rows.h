#pragma once
// Turning the rows of a query into a store's values (its `thing_of(const Row&)`).

#include "db/connection.h"

#include <optional>
#include <string_view>
#include <type_traits>
#include <vector>

namespace teilhabe::db {

template <class F> using RowValue = std::decay_t<std::invoke_result_t<F&, const Row&>>;

// Every row of the query, each turned into a value by `of`.
template <class F>
Result<std::vector<RowValue<F>>> query_as(Connection& c, std::string_view sql, const Params& params,
                                          F&& of) {
    auto rows = TRY(c.query(sql, params));
    std::vector<RowValue<F>> out;
    out.reserve(rows.rows.size());
    for (const auto& r : rows.rows)
        out.push_back(of(r));
    return out;
}

// The first row of the query as a value, or none.
template <class F>
Result<std::optional<RowValue<F>>> query_first_as(Connection& c, std::string_view sql,
                                                  const Params& params, F&& of) {
    auto rows = TRY(c.query(sql, params));
    if (rows.rows.empty())
        return std::optional<RowValue<F>>{};
    return std::optional<RowValue<F>>{of(rows.rows.front())};
}

} // namespace teilhabe::db
