// The views of merging two profiles of one person (internal to src/admin): the side-by-side
// comparison with a choice per differing value, and the hint at likely duplicates.
#pragma once

#include "admin/page_support.h"
#include "citizens/citizen_merge.h"
#include "db/connection.h"

#include <nlohmann/json.hpp>

namespace teilhabe::admin::detail {

std::string person_name(const web::RouteContext& ctx, const citizens::Citizen& c);

// The choices of a form or query: duplicate=<id>, prefer.<member>=survivor|duplicate.
struct MergeForm {
    std::optional<std::int64_t> duplicate_id;
    citizens::MergeChoices choices;
};
MergeForm merge_form(const Form& form);
// The same as hidden fields (for the confirmation) and as a query string (back to the choice).
nlohmann::json merge_hidden_fields(std::int64_t duplicate_id, const citizens::MergeChoices& c);
std::string merge_query(std::int64_t duplicate_id, const citizens::MergeChoices& c);

// Rows of the comparison table: each member, own field, the sets and the history, with
// radio buttons where both profiles have a value and they differ.
Result<nlohmann::json> comparison_rows(db::Connection& c, const web::RouteContext& ctx,
                                       const citizens::Citizen& survivor,
                                       const citizens::Citizen& duplicate,
                                       const citizens::MergePlan& plan);

// Other profiles with the same name as links to the comparison; an empty list when there are
// none. Showing them is audited like a list (names of other people are shown).
Result<nlohmann::json> duplicate_hints(db::Connection& c, const web::RouteContext& ctx,
                                       const citizens::Citizen& of);

} // namespace teilhabe::admin::detail
