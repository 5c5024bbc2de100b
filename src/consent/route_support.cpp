#include "consent/route_support.h"

#include "http/problem.h"
#include "staff/staff_store.h"
#include "web/i18n.h"
#include "web/respond.h"

#include <charconv>
#include <spdlog/spdlog.h>

namespace teilhabe::consent::detail {

std::string tr(const web::RouteContext& ctx, std::string_view key) {
    return web::tr(ctx.locale, key);
}

store::Actor actor_of(const web::RouteContext& ctx) {
    return {ctx.who.actor(), ctx.req.remote_addr};
}

std::optional<std::int64_t> parse_id(std::string_view text) {
    std::int64_t id = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (text.empty() || ec != std::errc{} || p != text.data() + text.size() || id <= 0)
        return std::nullopt;
    return id;
}

std::vector<std::string> form_values(const Form& form, std::string_view name) {
    std::vector<std::string> out;
    for (const auto& [k, v] : form)
        if (k == name)
            out.push_back(v);
    return out;
}

Result<TopicScope> topic_scope(db::Connection& c, const web::Principal& who) {
    if (who.role != staff::Role::Department)
        return TopicScope{};
    TopicScope scope{true, std::nullopt};
    if (who.kind == web::Principal::Kind::Staff && who.session)
        scope.department = who.session->user.department_id;
    else if (who.kind == web::Principal::Kind::Staff)
        if (auto user = TRY(staff::store::find_user(c, who.id)))
            scope.department = user->department_id;
    return scope;
}

Proof proof_of(const web::RouteContext& ctx, std::string form_url) {
    if (form_url.empty())
        form_url = std::string(ctx.req.header("referer").value_or(""));
    return {ctx.app.clock.now_ms(), ctx.req.remote_addr,
            std::string(ctx.req.header("user-agent").value_or("")), std::move(form_url)};
}

http::Response api_problem(const Error& e, std::string_view what) {
    if (e.code == ErrorCode::InvalidArgument && !e.field.empty())
        return http::problem(422, "Unprocessable Content", e.message, e.field);
    return web::api_error(e, what);
}

http::Response page_failure(web::RouteContext& ctx, const Error& e, std::string_view what) {
    switch (e.code) {
    case ErrorCode::NotFound: return web::error_page(ctx, 404, tr(ctx, "error.not_found"));
    case ErrorCode::PermissionDenied: return web::error_page(ctx, 403, tr(ctx, "error.forbidden"));
    case ErrorCode::Unavailable:
        spdlog::warn("{}: {}", what, e.message);
        return web::error_page(ctx, 503, tr(ctx, "subscribe.unavailable"));
    default: break;
    }
    spdlog::error("{}: {}", what, e.message);
    return web::error_page(ctx, 500, tr(ctx, "error.internal"));
}

} // namespace teilhabe::consent::detail
