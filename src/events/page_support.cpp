#include "events/page_support.h"

#include "events/event_store.h"
#include "journeys/calendar.h"
#include "shop/voucher_code.h"
#include "staff/staff_store.h"
#include "web/i18n.h"
#include "web/respond.h"

#include <charconv>
#include <cstdio>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace teilhabe::events::detail {

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

Result<Scope> scope_of(db::Connection& c, const web::Principal& who) {
    if (who.role != staff::Role::Department)
        return Scope{};
    Scope s{true, std::nullopt};
    if (who.session)
        s.department_id = who.session->user.department_id;
    else if (who.kind == web::Principal::Kind::Staff)
        if (auto user = TRY(staff::store::find_user(c, who.id)))
            s.department_id = user->department_id;
    return s;
}

Result<Event> event_in_scope(db::Connection& c, const web::Principal& who, std::int64_t id) {
    auto e = TRY(store::find_event(c, id));
    auto scope = TRY(scope_of(c, who));
    if (!e || !scope.allows(*e))
        return fail(Error::not_found("There is no such event."));
    return *e;
}

Result<std::optional<std::int64_t>> parse_local_time(std::string_view text, std::string_view field) {
    if (text.empty())
        return std::optional<std::int64_t>{};
    int y = 0, m = 0, d = 0, hh = 0, mm = 0;
    std::string s(text);
    bool ok = std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d", &y, &m, &d, &hh, &mm) == 5 ||
              std::sscanf(s.c_str(), "%4d-%2d-%2d %2d:%2d", &y, &m, &d, &hh, &mm) == 5 ||
              std::sscanf(s.c_str(), "%2d.%2d.%4d %2d:%2d", &d, &m, &y, &hh, &mm) == 5;
    auto day = std::chrono::year_month_day{std::chrono::year{y}, std::chrono::month{unsigned(m)},
                                           std::chrono::day{unsigned(d)}};
    if (!ok || y < 2000 || y > 2200 || !day.ok() || hh < 0 || hh > 23 || mm < 0 || mm > 59)
        return fail(Error::invalid("not a date and time", std::string(field)));
    return std::optional<std::int64_t>{to_unix_ms(journeys::from_berlin(y, m, d, hh, mm))};
}

std::string local_input(std::int64_t unix_ms) {
    auto t = journeys::to_berlin(from_unix_ms(unix_ms));
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}", t.year, t.month, t.day, t.hour, t.minute);
}

std::string local_text(const web::RouteContext& ctx, std::int64_t unix_ms) {
    return journeys::format_local(from_unix_ms(unix_ms), ctx.locale == web::Locale::En);
}

namespace {

std::string csv_cell(std::string_view text) {
    std::string v(text);
    if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' ||
                       v[0] == '\r'))
        v.insert(v.begin(), '\'');
    bool quote = v.find_first_of(",;\"\r\n") != std::string::npos;
    if (!quote)
        return v;
    std::string out = "\"";
    for (char ch : v)
        out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    return out + "\"";
}

std::string csv_line(const std::vector<std::string>& cells) {
    std::string out;
    for (std::size_t i = 0; i < cells.size(); ++i)
        out += (i ? "," : "") + csv_cell(cells[i]);
    return out + "\r\n";
}

} // namespace

std::string participants_csv(const std::vector<Registration>& rs) {
    std::string csv = "\xEF\xBB\xBF" + csv_line({"registration_id", "status", "first_name",
                                                 "last_name", "email", "ticket_code",
                                                 "registered_at", "checked_in_at"});
    for (const auto& r : rs)
        csv += csv_line({std::to_string(r.id), to_string(r.status), r.first_name, r.last_name,
                         r.email, shop::format_code(r.ticket_code), iso_time(r.registered_at_ms),
                         r.checked_in_at_ms ? iso_time(*r.checked_in_at_ms) : std::string()});
    return csv;
}

http::Response csv_download(std::string body, const std::string& filename) {
    auto r = http::Response::text(200, std::move(body), "text/csv; charset=utf-8");
    r.set_header("Content-Disposition", fmt::format("attachment; filename=\"{}\"", filename));
    r.set_header("Cache-Control", "no-store");
    return r;
}

http::Response ics_download(std::string body, const std::string& filename) {
    auto r = http::Response::text(200, std::move(body), "text/calendar; charset=utf-8");
    r.set_header("Content-Disposition", fmt::format("attachment; filename=\"{}\"", filename));
    r.set_header("Cache-Control", "private, no-store");
    return r;
}

nlohmann::json opt(const std::string& s) {
    return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s);
}

nlohmann::json field(const std::string& value, const std::string& error) {
    return {{"value", value},
            {"error", error.empty() ? nlohmann::json(nullptr) : nlohmann::json(error)},
            {"has_error", !error.empty()}};
}

} // namespace teilhabe::events::detail
