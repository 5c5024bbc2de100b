#include "campaigns/route_support.h"

#include "http/problem.h"
#include "web/respond.h"

#include <charconv>
#include <spdlog/spdlog.h>

namespace teilhabe::campaigns::detail {

std::optional<std::int64_t> parse_id(std::string_view text) {
    std::int64_t n = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (text.empty() || ec != std::errc{} || p != text.data() + text.size() || n <= 0)
        return std::nullopt;
    return n;
}

http::Response problem(const Error& e) {
    if (e.code == ErrorCode::InvalidArgument && !e.field.empty())
        return http::problem(422, "Unprocessable Content", e.message, e.field);
    return web::api_error(e, "campaigns");
}

std::string tr(const web::RouteContext& ctx, std::string_view key) { return web::tr(ctx.locale, key); }

store::Actor who_of(const web::RouteContext& ctx) { return {ctx.who.actor(), ctx.req.remote_addr}; }

http::Response failure(web::RouteContext& ctx, const Error& e) {
    if (e.code == ErrorCode::NotFound)
        return web::error_page(ctx, 404, tr(ctx, "campaigns.not_found"));
    if (e.code == ErrorCode::Conflict || e.code == ErrorCode::InvalidArgument)
        return web::error_page(ctx, 409, e.message);
    spdlog::error("campaign page: {}", e.message);
    return web::error_page(ctx, 500, tr(ctx, "error.internal"));
}

} // namespace teilhabe::campaigns::detail
