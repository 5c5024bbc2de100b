#include "shop/page_support.h"

#include "base/clock.h"
#include "web/i18n.h"
#include "web/respond.h"

#include <charconv>
#include <cstdio>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace teilhabe::shop::detail {

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

Result<std::optional<std::int64_t>> parse_count(std::string_view text, std::string_view field) {
    while (!text.empty() && text.front() == ' ')
        text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ')
        text.remove_suffix(1);
    if (text.empty())
        return std::optional<std::int64_t>{};
    std::int64_t n = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc{} || p != text.data() + text.size() || n < 0)
        return fail(Error::invalid("not a whole number", std::string(field)));
    return std::optional<std::int64_t>{n};
}

http::Response not_found(web::RouteContext& ctx) {
    return web::error_page(ctx, 404, tr(ctx, "error.not_found"));
}

http::Response failure(web::RouteContext& ctx, const Error& e, std::string_view what) {
    switch (e.code) {
    case ErrorCode::NotFound: return not_found(ctx);
    case ErrorCode::PermissionDenied: return web::error_page(ctx, 403, tr(ctx, "error.forbidden"));
    default: break;
    }
    spdlog::error("{}: {}", what, e.message);
    return web::error_page(ctx, e.code == ErrorCode::Unavailable ? 503 : 500,
                           tr(ctx, "error.internal"));
}

Result<std::optional<std::int64_t>> parse_day_end(std::string_view text, std::string_view field) {
    if (text.empty())
        return std::optional<std::int64_t>{};
    int y = 0, m = 0, d = 0;
    std::string s(text);
    bool ok = std::sscanf(s.c_str(), "%4d-%2d-%2d", &y, &m, &d) == 3 ||
              std::sscanf(s.c_str(), "%2d.%2d.%4d", &d, &m, &y) == 3;
    if (!ok || m < 1 || m > 12 || d < 1 || d > 31 || y < 2000 || y > 2200)
        return fail(Error::invalid("not a date", std::string(field)));
    auto day = std::chrono::year_month_day{std::chrono::year{y}, std::chrono::month{unsigned(m)},
                                           std::chrono::day{unsigned(d)}};
    if (!day.ok())
        return fail(Error::invalid("not a date", std::string(field)));
    auto next = std::chrono::sys_days{day} + std::chrono::days{1};
    return std::optional<std::int64_t>{
        std::chrono::duration_cast<std::chrono::milliseconds>(next.time_since_epoch()).count()};
}

std::string day_text(std::int64_t unix_ms) {
    // The day that ends at unix_ms (valid_until is the end of the last valid day).
    auto t = std::chrono::sys_time<std::chrono::milliseconds>{std::chrono::milliseconds{unix_ms - 1}};
    auto day = std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(t)};
    return fmt::format("{:04}-{:02}-{:02}", int(day.year()), unsigned(day.month()),
                       unsigned(day.day()));
}

nlohmann::json field(const std::string& value, const std::string& error) {
    return {{"value", value},
            {"error", error.empty() ? nlohmann::json(nullptr) : nlohmann::json(error)},
            {"has_error", !error.empty()}};
}

} // namespace teilhabe::shop::detail

namespace teilhabe::shop::detail {
nlohmann::json opt(const std::string& s) {
    return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s);
}
} // namespace teilhabe::shop::detail
