#pragma once
// What the events' pages and API share (internal to src/events): texts, ids from the path,
// errors, the department scope of staff, times typed in forms, CSV.

#include "events/event.h"
#include "events/registration.h"
#include "web/route.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace teilhabe::events::detail {

std::string tr(const web::RouteContext& ctx, std::string_view key);
std::optional<std::int64_t> parse_id(std::string_view text);
// Logs the detail and answers the generic error page (a 500 never shows SQL).
http::Response failure(web::RouteContext& ctx, const Error& e, std::string_view what);
http::Response not_found(web::RouteContext& ctx);

// Department staff manage only their own department's events (staff::Role::Department); the
// others all.
struct Scope {
    bool limited{false};
    std::optional<std::int64_t> department_id;
    bool allows(const Event& e) const { return !limited || (department_id && e.department_id == department_id); }
};
Result<Scope> scope_of(db::Connection& c, const web::Principal& who);
// The event when it exists and is within the caller's scope (NotFound otherwise: department
// staff do not learn of other departments' events).
Result<Event> event_in_scope(db::Connection& c, const web::Principal& who, std::int64_t id);

// A moment typed in a form (2026-09-12T10:00 from a datetime-local input, or 12.09.2026 10:00),
// read as Europe/Berlin local time; "" -> none.
Result<std::optional<std::int64_t>> parse_local_time(std::string_view text, std::string_view field);
std::string local_input(std::int64_t unix_ms); // 2026-09-12T10:00 in Berlin, for the input
std::string local_text(const web::RouteContext& ctx, std::int64_t unix_ms); // for people

// The participants as CSV (UTF-8 with BOM; cells that a spreadsheet would take for a formula
// are prefixed with an apostrophe).
std::string participants_csv(const std::vector<Registration>& rs);
http::Response csv_download(std::string body, const std::string& filename);
http::Response ics_download(std::string body, const std::string& filename);

// A JSON string, or null (false in a template) when empty: kainjow treats "" as true.
nlohmann::json opt(const std::string& s);
// The field's value and error as the templates want them: {"value", "error", "has_error"}.
nlohmann::json field(const std::string& value, const std::string& error);

} // namespace teilhabe::events::detail
