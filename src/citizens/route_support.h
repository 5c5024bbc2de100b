#pragma once
// What the citizens routes share: handlers, the answer for an error, who is asking
// (internal to src/citizens).

#include "citizens/citizen.h"
#include "citizens/field_store.h"
#include "http/message.h"
#include "web/route.h"

#include <optional>
#include <string_view>

namespace teilhabe::citizens::detail {

// Errors as problem+json. A value that was understood but is not acceptable (InvalidArgument
// naming a member of the body) is 422; a malformed request (not JSON, a bad query parameter)
// stays 400 (http::status_for); internal errors are logged with their detail and answered
// without it.
http::Response body_problem(const Error& e, std::string_view what);
http::Response problem(const Error& e, std::string_view what);

Actor actor_of(const web::RouteContext& ctx);
// A positive decimal id from the path; none for anything else (answered 404).
std::optional<std::int64_t> parse_id(std::string_view text);
// ?force=true, or "confirm": true in the body, allows dropping values (see Confirm).
Result<Confirm> read_force(const http::Request& req);
// Department staff manage only their department's fields (staff/role.h); others all fields.
// The principal's department comes from its session (or staff_users); API keys have none.
Result<FieldScope> field_scope(db::Connection& c, const web::Principal& who);

http::Response create_citizen(web::RouteContext& ctx);
http::Response list_citizens(web::RouteContext& ctx);
http::Response get_citizen(web::RouteContext& ctx);
http::Response patch_citizen(web::RouteContext& ctx);
http::Response delete_citizen(web::RouteContext& ctx);
http::Response merge_citizen(web::RouteContext& ctx);

http::Response list_fields(web::RouteContext& ctx);
http::Response get_field(web::RouteContext& ctx);
http::Response create_field(web::RouteContext& ctx);
http::Response patch_field(web::RouteContext& ctx);
http::Response delete_field(web::RouteContext& ctx);

} // namespace teilhabe::citizens::detail
