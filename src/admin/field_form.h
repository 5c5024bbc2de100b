#pragma once
// The create and edit form of a custom field definition: its values as typed, reading them
// into the body the domain takes (citizens::parse_field_input), and the view the template
// shows, each message beside its control (internal to src/admin).

#include "admin/admin_store.h"
#include "admin/page_support.h"
#include "citizens/field.h"
#include "citizens/field_store.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace teilhabe::admin::detail {

struct FieldFormValues {
    std::string key, type{"text"}, label_de, label_en, options, department;
    std::string min, max, pattern;
    std::string retention, retention_unit{"months"}; // "months" or "days"
    std::string portal_order{"0"};
    bool required{false}, personal{true}, ask_in_portal{false};
};

FieldFormValues values_from_form(const Form& f);
FieldFormValues values_from_definition(const citizens::FieldDefinition& d);

// Bounds and pattern mean something else under another type (a text's length is not a year):
// when the type changes, those the form sends back unchanged from the stored definition go,
// as they do in a patch of the API that changes the type.
void drop_old_limits_on_type_change(FieldFormValues& v, const citizens::FieldDefinition& stored);

// The JSON body of a create or a patch (every member, so that clearing a control clears the
// member), or none with `errors` filled for controls that are not even numbers or dates.
std::optional<nlohmann::json> body_of(const web::RouteContext& ctx, const FieldFormValues& v,
                                      citizens::InputMode mode, FieldErrors& errors);

// A refusal of the domain or the store beside the control it concerns ("label.en" beside
// label_en, "retention_days" beside the retention period ...). False for errors that are not
// about the input.
bool add_field_error(const web::RouteContext& ctx, const Error& e, FieldErrors& errors);

struct FieldFormView {
    std::string editing_key; // empty: a new field
    bool ask_confirm{false};
    std::optional<citizens::FieldChangeImpact> impact; // what a confirmed change would do
};
nlohmann::json field_form_data(const web::RouteContext& ctx, const FieldFormValues& v,
                               const FieldErrors& errors, const FieldFormView& view,
                               const std::vector<store::NamedRow>& departments);

} // namespace teilhabe::admin::detail
