#include "citizens/citizen_batch.h"

#include "citizens/citizen_rows.h"

#include <algorithm>
#include <fmt/format.h>

namespace teilhabe::citizens::store {

namespace {
constexpr std::size_t kChunk = 500; // bound parameters per statement, well below both engines' limits
} // namespace

Result<std::vector<Citizen>> find_citizens(db::Connection& c, std::vector<std::int64_t> ids) {
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    std::vector<Citizen> out;
    out.reserve(ids.size());
    for (std::size_t start = 0; start < ids.size(); start += kChunk) {
        auto end = std::min(ids.size(), start + kChunk);
        db::Params params(ids.begin() + static_cast<std::ptrdiff_t>(start), ids.begin() + static_cast<std::ptrdiff_t>(end));
        std::vector<std::string_view> marks(params.size(), "?");
        auto rows = TRY(c.query(fmt::format("SELECT {} FROM citizens c WHERE c.id IN ({}) ORDER BY c.id",
                                            detail::kCitizenColumns, fmt::join(marks, ", ")),
                                params));
        std::vector<Citizen> chunk;
        chunk.reserve(rows.rows.size());
        for (const auto& r : rows.rows)
            chunk.push_back(detail::citizen_from_row(r));
        TRY(detail::load_details(c, chunk));
        std::move(chunk.begin(), chunk.end(), std::back_inserter(out));
    }
    return out;
}

} // namespace teilhabe::citizens::store
