#include "surveys/support.h"

#include "http/problem.h"
#include "staff/staff_store.h"
#include "web/i18n.h"
#include "web/respond.h"

#include <charconv>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace teilhabe::surveys::detail {

std::string tr(const web::RouteContext& ctx, std::string_view key) {
    return web::tr(ctx.locale, key);
}

std::optional<std::int64_t> parse_id(std::string_view text) {
    std::int64_t id = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (text.empty() || ec != std::errc{} || p != text.data() + text.size() || id <= 0)
        return std::nullopt;
    return id;
}

Result<store::Scope> scope_of(db::Connection& c, const web::Principal& who) {
    if (who.role != staff::Role::Department)
        return store::Scope{};
    store::Scope scope{true, std::nullopt};
    if (who.kind == web::Principal::Kind::Staff && who.session)
        scope.department = who.session->user.department_id;
    else if (who.kind == web::Principal::Kind::Staff)
        if (auto user = TRY(staff::store::find_user(c, who.id)))
            scope.department = user->department_id;
    return scope;
}

Result<Survey> scoped_survey(web::RouteContext& ctx, db::Connection& c, store::Lock lock) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return fail(Error::not_found("There is no such survey."));
    auto s = TRY(store::find(c, *id, lock));
    auto scope = TRY(scope_of(c, ctx.who));
    if (!s || !scope.may_see(*s))
        return fail(Error::not_found("There is no such survey."));
    return *s;
}

std::string portal_url(const web::RouteContext& ctx, std::int64_t id) {
    return fmt::format("{}/portal/surveys/{}", ctx.app.settings.base_url, id);
}

http::Response api_problem(const Error& e) {
    if (e.code == ErrorCode::InvalidArgument && !e.field.empty())
        return http::problem(422, "Unprocessable Content", e.message, e.field);
    return web::api_error(e, "surveys");
}

http::Response page_failure(web::RouteContext& ctx, const Error& e, std::string_view what) {
    switch (e.code) {
    case ErrorCode::NotFound:
        return web::error_page(ctx, 404, tr(ctx, "error.not_found"));
    case ErrorCode::PermissionDenied:
        return web::error_page(ctx, 403, tr(ctx, "error.forbidden"));
    default:
        break;
    }
    spdlog::error("{}: {}", what, e.message);
    return web::error_page(ctx, e.code == ErrorCode::Unavailable ? 503 : 500,
                           tr(ctx, "error.internal"));
}

} // namespace teilhabe::surveys::detail
