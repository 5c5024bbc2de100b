#pragma once
// The create and edit form of a citizen profile: its values as typed, reading them into the
// changes the store takes (every wrong member reported, not only the first), and the view the
// template shows (internal to src/admin).

#include "admin/admin_store.h"
#include "admin/page_support.h"
#include "citizens/citizen.h"
#include "citizens/field.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace teilhabe::admin::detail {

struct CitizenFormValues {
    std::string email, first_name, last_name, district, tags;
    std::string language{"de"}, channel{"email"};
    std::vector<std::string> interests;
    std::map<std::string, std::vector<std::string>> attributes; // field key -> texts as typed
};

// Form controls: email, first_name, last_name, language, preferred_channel, district, tags
// (comma-separated), interests (repeated), attr.<key> (repeated for multichoice).
CitizenFormValues values_from_form(const Form& form,
                                   const std::vector<citizens::FieldDefinition>& defs);
CitizenFormValues values_from_citizen(const citizens::Citizen& c,
                                      const std::vector<citizens::FieldDefinition>& defs);

// The changes for the store, or none with `errors` filled. Create leaves out empty custom
// fields; Patch removes them.
std::optional<citizens::CitizenChanges>
changes_from_values(const web::RouteContext& ctx, const CitizenFormValues& v,
                    const std::vector<citizens::FieldDefinition>& defs, citizens::InputMode mode,
                    FieldErrors& errors);

struct CitizenFormView {
    std::string action, heading, submit, cancel;
};
nlohmann::json citizen_form_data(const web::RouteContext& ctx, const CitizenFormView& view,
                                 const CitizenFormValues& v,
                                 const std::vector<citizens::FieldDefinition>& defs,
                                 const std::vector<store::NamedRow>& topics,
                                 const FieldErrors& errors);

// A stored attribute as the text a form control shows ("1984", "yes", "2026-11-24").
std::vector<std::string> attribute_texts(citizens::FieldType type, const nlohmann::json& value);

} // namespace teilhabe::admin::detail
