#pragma once
// What the pages of a signed-in citizen share (internal to src/portal): texts, who is asking,
// the proof of a consent step, errors, and the controls of custom fields with their messages
// in the person's language.

#include "citizens/citizen.h"
#include "citizens/field.h"
#include "consent/consent.h"
#include "portal/profiling.h"
#include "web/route.h"

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace teilhabe::portal::detail {

using Form = std::vector<std::pair<std::string, std::string>>;

std::string tr(const web::RouteContext& ctx, std::string_view key);
// The signed-in person's profile id and the actor of their changes ("citizen:<id>").
std::int64_t me(const web::RouteContext& ctx);
citizens::Actor actor_of(const web::RouteContext& ctx);
// When, from where, with which browser, on which page (the portal's own address + path).
consent::Proof proof_of(const web::RouteContext& ctx, std::string_view path);
std::vector<std::string> form_values(const Form& form, std::string_view name);
std::string field_label(const web::RouteContext& ctx, const citizens::FieldDefinition& def);
// Logs the detail and answers the generic error page (a 500 never shows SQL).
http::Response failure(web::RouteContext& ctx, const Error& e, std::string_view what);

// Messages beside form controls: member ("first_name", "attributes.birth_year", "" for the
// form as a whole) -> text in the person's language.
using FieldErrors = std::map<std::string, std::string>;
nlohmann::json form_field(const std::string& value, const FieldErrors& errors,
                          const std::string& member);
// The list at the top of a form, each message linking to its control.
nlohmann::json error_summary(const FieldErrors& errors,
                             const std::map<std::string, std::string>& anchors);
// A refusal of the store as a message beside its control; false for errors not about input.
bool add_error(const web::RouteContext& ctx, const Error& e, FieldErrors& errors);

// The typed value of a custom field from what a form sent (texts of attr.<key>), read the way
// people write in Germany too ("1,5", "31.12.1990", "ja"); null for "no value". None with
// `errors` filled when it does not fit the field.
std::optional<nlohmann::json> read_value(const web::RouteContext& ctx,
                                         const citizens::FieldDefinition& def,
                                         const std::vector<std::string>& texts,
                                         FieldErrors& errors);
// A stored value as the texts its control shows.
std::vector<std::string> value_texts(const nlohmann::json& value);
// The HTML of one custom field's control (label, input, message beside it), rendered from
// web/templates/portal_field.mustache. Offer: radio groups and lists have a "no answer" choice
// (the profile, where a value may be removed); Omit: not (a question, declined instead).
enum class Blank { Offer, Omit };
std::string field_control(const web::RouteContext& ctx, const citizens::FieldDefinition& def,
                          const std::vector<std::string>& texts, const FieldErrors& errors,
                          Blank blank);

} // namespace teilhabe::portal::detail
