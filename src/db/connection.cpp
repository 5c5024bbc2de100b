#include "db/connection.h"

namespace teilhabe::db {

Result<Row> Connection::query_one(std::string_view sql, const Params& params) {
    auto rows = TRY(query(sql, params));
    if (rows.rows.empty())
        return fail(Error::not_found("no row"));
    return std::move(rows.rows.front());
}

Result<std::int64_t> Connection::execute(std::string_view sql, const Params& params) {
    auto rows = TRY(query(sql, params));
    return rows.affected;
}

} // namespace teilhabe::db
