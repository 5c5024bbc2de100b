#include "citizens/route_support.h"

#include "http/problem.h"
#include "staff/staff_store.h"

#include <charconv>
#include <spdlog/spdlog.h>

namespace teilhabe::citizens::detail {

http::Response problem(const Error& e, std::string_view what) {
    if (http::status_for(e.code) >= 500)
        spdlog::error("{}: {}", what, e.message);
    return http::problem(e);
}

http::Response body_problem(const Error& e, std::string_view what) {
    if (e.code == ErrorCode::InvalidArgument && !e.field.empty())
        return http::problem(422, "Unprocessable Content", e.message, e.field);
    return problem(e, what);
}

Actor actor_of(const web::RouteContext& ctx) {
    return {ctx.who.actor(), ctx.req.remote_addr};
}

std::optional<std::int64_t> parse_id(std::string_view text) {
    std::int64_t id = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (text.empty() || ec != std::errc{} || p != text.data() + text.size() || id <= 0)
        return std::nullopt;
    return id;
}

Result<Confirm> read_force(const http::Request& req) {
    auto force = req.query_param("force");
    if (!force || *force == "false")
        return Confirm::No;
    if (*force == "true")
        return Confirm::Yes;
    return fail(Error::invalid("force must be true or false", "force"));
}

Result<FieldScope> field_scope(db::Connection& c, const web::Principal& who) {
    if (who.role != staff::Role::Department)
        return FieldScope{};
    // An API key carries a role but no department (api_keys has none): it manages no field.
    std::optional<std::int64_t> department;
    if (who.kind == web::Principal::Kind::Staff && who.session)
        department = who.session->user.department_id;
    else if (who.kind == web::Principal::Kind::Staff)
        if (auto user = TRY(staff::store::find_user(c, who.id)))
            department = user->department_id;
    return FieldScope::own_department(department);
}

} // namespace teilhabe::citizens::detail
