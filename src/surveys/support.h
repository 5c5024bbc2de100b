#pragma once
// What the surveys' handlers share (internal to src/surveys): texts, ids, the caller's scope,
// errors for pages and for the API.

#include "surveys/survey_store.h"
#include "web/route.h"

#include <optional>
#include <string>
#include <string_view>

namespace teilhabe::surveys::detail {

std::string tr(const web::RouteContext& ctx, std::string_view key);
std::optional<std::int64_t> parse_id(std::string_view text);
// Department staff: only their department's surveys (their account's department).
Result<store::Scope> scope_of(db::Connection& c, const web::Principal& who);
// The survey of the path, within the caller's scope (NotFound otherwise, so that another
// department's surveys are not even confirmed to exist).
Result<Survey> scoped_survey(web::RouteContext& ctx, db::Connection& c,
                             store::Lock lock = store::Lock::None);
// The address a campaign links to.
std::string portal_url(const web::RouteContext& ctx, std::int64_t id);

http::Response api_problem(const Error& e);
http::Response page_failure(web::RouteContext& ctx, const Error& e, std::string_view what);

} // namespace teilhabe::surveys::detail
