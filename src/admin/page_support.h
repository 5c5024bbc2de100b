#pragma once
// What the admin screens of the citizen data hub share: texts, ids from the path, form values,
// messages for errors beside a field (internal to src/admin).

#include "citizens/citizen.h"
#include "citizens/field.h"
#include "web/route.h"

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace teilhabe::admin::detail {

using Form = std::vector<std::pair<std::string, std::string>>;

// The text of `key` ("citizens.title") in the request's language.
std::string tr(const web::RouteContext& ctx, std::string_view key);
citizens::Actor actor_of(const web::RouteContext& ctx);
// A positive decimal id; none for anything else (answered 404).
std::optional<std::int64_t> parse_id(std::string_view text);
// Every value of a repeated form field (checkboxes), in order.
std::vector<std::string> form_values(const Form& form, std::string_view name);
// A JSON string, or null (false in a template) when empty: kainjow treats "" as true.
nlohmann::json opt(const std::string& s);
// Logs the detail and answers the generic error page (a 500 never shows SQL).
http::Response failure(web::RouteContext& ctx, const Error& e, std::string_view what);
http::Response not_found(web::RouteContext& ctx);
// The label of a field in the request's language (the other language, then the key, when
// that one is empty).
std::string field_label(const web::RouteContext& ctx, const citizens::FieldDefinition& def);

// Messages beside form fields: member name ("email", "attributes.birth_year", "" for the form
// as a whole) -> what to show.
struct FieldError {
    std::string message; // in the request's language
    std::string detail;  // the store's precise reason (English), may be empty
};
using FieldErrors = std::map<std::string, FieldError>;
// A refusal of the store as the message beside its field; `area` chooses the texts
// ("citizens" or "fields"). Returns false for errors that are not about the input.
bool add_input_error(const web::RouteContext& ctx, std::string_view area, const Error& e,
                     FieldErrors& errors);
// {"value": .., "error": .., "detail": .., "has_error": ..} for a template.
nlohmann::json form_field(const std::string& value, const FieldErrors& errors,
                          const std::string& member);
// The list of errors for the summary at the top of a form, each linking to its field.
nlohmann::json error_summary(const FieldErrors& errors,
                             const std::map<std::string, std::string>& anchors);

} // namespace teilhabe::admin::detail
