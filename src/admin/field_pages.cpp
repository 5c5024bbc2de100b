// /admin/fields: the municipality's own fields (custom field definitions): list, create, edit,
// delete. Changes that would delete people's values need a second, explicit confirmation.

#include "admin/admin_store.h"
#include "admin/citizen_pages.h"
#include "admin/page_support.h"
#include "citizens/citizen.h"
#include "citizens/field_store.h"
#include "staff/staff_store.h"
#include "web/respond.h"

#include <cctype>
#include <fmt/format.h>

namespace teilhabe::admin {

using namespace detail;
using citizens::FieldDefinition;
using citizens::FieldType;
using nlohmann::json;
using web::RouteContext;

namespace {

constexpr FieldType kTypes[] = {FieldType::Text, FieldType::Number, FieldType::Date,
                                FieldType::Bool, FieldType::Choice, FieldType::Multichoice};

// Department staff manage only their department's fields (see citizens::FieldScope).
Result<citizens::FieldScope> scope_of(db::Connection& c, const RouteContext& ctx) {
    if (ctx.who.role != staff::Role::Department)
        return citizens::FieldScope{};
    std::optional<std::int64_t> department;
    if (ctx.who.session)
        department = ctx.who.session->user.department_id;
    else if (ctx.who.kind == web::Principal::Kind::Staff)
        if (auto user = TRY(staff::store::find_user(c, ctx.who.id)))
            department = user->department_id;
    return citizens::FieldScope::own_department(department);
}

struct FieldFormValues {
    std::string key, type{"text"}, label_de, label_en, options, department;
    bool required{false}, personal{true}, ask_in_portal{false};
};

FieldFormValues values_from_form(const Form& f) {
    return {web::form_value(f, "key"),      web::form_value(f, "type"),
            web::form_value(f, "label_de"), web::form_value(f, "label_en"),
            web::form_value(f, "options"),  web::form_value(f, "department"),
            web::form_value(f, "required") == "yes", web::form_value(f, "personal") == "yes",
            web::form_value(f, "ask_in_portal") == "yes"};
}

FieldFormValues values_from_definition(const FieldDefinition& d) {
    FieldFormValues v{d.key, citizens::to_string(d.type), d.label_de, d.label_en, {},
                      d.department.value_or(""), d.required, d.personal, d.ask_in_portal};
    for (const auto& o : d.options)
        v.options += o + "\n";
    return v;
}

// Options one per line; blank lines and surrounding spaces (and the \r of browsers) dropped.
json options_of(const std::string& text) {
    json out = json::array();
    std::size_t start = 0;
    while (start < text.size()) {
        auto nl = text.find('\n', start);
        std::string line = text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
        while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back())))
            line.pop_back();
        auto first = line.find_first_not_of(" \t");
        if (first != std::string::npos)
            out.push_back(line.substr(first));
        if (nl == std::string::npos)
            break;
        start = nl + 1;
    }
    return out;
}

json body_of(const FieldFormValues& v, citizens::InputMode mode) {
    json body{{"type", v.type},
              {"label", {{"de", v.label_de}, {"en", v.label_en}}},
              {"required", v.required},
              {"personal", v.personal},
              {"ask_in_portal", v.ask_in_portal},
              {"department", v.department.empty() ? json(nullptr) : json(v.department)}};
    auto t = citizens::parse_field_type(v.type);
    body["options"] = t && citizens::is_choice_type(*t) ? options_of(v.options) : json::array();
    if (mode == citizens::InputMode::Create)
        body["key"] = v.key;
    return body;
}

http::Response render_form(RouteContext& ctx, int status, const FieldFormValues& v,
                           const FieldErrors& errors, const std::string& editing_key,
                           bool ask_confirm) {
    auto departments = ctx.app.db.transaction(db::TxMode::Read, [](db::Connection& c) {
        return store::departments(c);
    });
    if (!departments)
        return failure(ctx, departments.error(), "field form");
    json types = json::array();
    for (auto t : kTypes)
        types.push_back({{"value", citizens::to_string(t)},
                         {"label", tr(ctx, std::string("fields.type_") + citizens::to_string(t))},
                         {"selected", v.type == citizens::to_string(t)}});
    json deps = json::array();
    for (const auto& d : *departments)
        deps.push_back({{"value", d.key},
                        {"label", ctx.locale == web::Locale::En ? d.name_en : d.name_de},
                        {"selected", d.key == v.department}});
    bool create = editing_key.empty();
    std::string heading = tr(ctx, create ? "fields.new_title" : "fields.edit_title");
    std::map<std::string, std::string> anchors{{"key", "key"}, {"type", "type"},
                                               {"label", "label_de"}, {"options", "options"},
                                               {"department", "department"}};
    json data{{"heading", heading},
              {"create", create},
              {"action", create ? "/admin/fields/new"
                                : "/admin/fields/" + http::url_encode(editing_key) + "/edit"},
              {"errors", error_summary(errors, anchors)},
              {"has_errors", !errors.empty()},
              {"key", form_field(v.key, errors, "key")},
              {"type", form_field(v.type, errors, "type")},
              {"types", types},
              {"label_de", form_field(v.label_de, errors, "label")},
              {"label_en", v.label_en},
              {"options", form_field(v.options, errors, "options")},
              {"departments", deps},
              {"department", form_field(v.department, errors, "department")},
              {"required", v.required},
              {"personal", v.personal},
              {"ask_in_portal", v.ask_in_portal},
              {"ask_confirm", ask_confirm}};
    return web::page(ctx, status, "field_form", data, heading);
}

std::string precondition_text(const RouteContext& ctx, const Error& e) {
    return tr(ctx, "fields.values_would_go") + " " + e.message;
}

} // namespace

http::Response fields_list(RouteContext& ctx) {
    auto fields = ctx.app.db.transaction(db::TxMode::Read, [](db::Connection& c) {
        return citizens::store::list_fields(c);
    });
    if (!fields)
        return failure(ctx, fields.error(), "field list");
    json rows = json::array();
    for (const auto& f : *fields)
        rows.push_back({{"key", f.key},
                        {"type", tr(ctx, std::string("fields.type_") + citizens::to_string(f.type))},
                        {"label_de", f.label_de},
                        {"label_en", f.label_en},
                        {"required", tr(ctx, f.required ? "common.yes" : "common.no")},
                        {"personal", tr(ctx, f.personal ? "common.yes" : "common.no")},
                        {"department", f.department ? *f.department : tr(ctx, "fields.all_departments")},
                        {"portal", tr(ctx, f.ask_in_portal ? "common.yes" : "common.no")},
                        {"edit", "/admin/fields/" + http::url_encode(f.key) + "/edit"},
                        {"delete", "/admin/fields/" + http::url_encode(f.key) + "/delete"}});
    return web::page(ctx, 200, "fields_list",
                     {{"rows", rows},
                      {"has_rows", !rows.empty()},
                      {"deleted", ctx.req.query_param("deleted").has_value()},
                      {"saved", ctx.req.query_param("saved").has_value()}},
                     tr(ctx, "fields.title"));
}

http::Response field_new(RouteContext& ctx) { return render_form(ctx, 200, {}, {}, "", false); }

http::Response field_create(RouteContext& ctx) {
    auto v = values_from_form(http::parse_form(ctx.req.body));
    FieldErrors errors;
    auto in = citizens::parse_field_input(body_of(v, citizens::InputMode::Create),
                                          citizens::InputMode::Create);
    if (!in) {
        add_input_error(ctx, "fields", in.error(), errors);
        return render_form(ctx, 422, v, errors, "", false);
    }
    auto created = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<FieldDefinition> {
        auto scope = TRY(scope_of(c, ctx));
        return citizens::store::create_field(c, *in, scope, actor_of(ctx), ctx.app.clock);
    });
    if (!created) {
        if (!add_input_error(ctx, "fields", created.error(), errors))
            return failure(ctx, created.error(), "field create");
        return render_form(ctx, created.error().code == ErrorCode::PermissionDenied ? 403 : 422, v,
                           errors, "", false);
    }
    return http::Response::redirect("/admin/fields?saved=1");
}

http::Response field_edit(RouteContext& ctx) {
    std::string key = ctx.req.param("key");
    auto found = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) {
        return citizens::store::find_field(c, key);
    });
    if (!found)
        return failure(ctx, found.error(), "field edit");
    if (!*found)
        return not_found(ctx);
    return render_form(ctx, 200, values_from_definition(**found), {}, key, false);
}

http::Response field_update(RouteContext& ctx) {
    std::string key = ctx.req.param("key");
    auto form = http::parse_form(ctx.req.body);
    auto v = values_from_form(form);
    v.key = key;
    FieldErrors errors;
    auto in = citizens::parse_field_input(body_of(v, citizens::InputMode::Patch),
                                          citizens::InputMode::Patch);
    if (!in) {
        add_input_error(ctx, "fields", in.error(), errors);
        return render_form(ctx, 422, v, errors, key, false);
    }
    in->confirm = web::form_value(form, "confirm") == "yes";
    auto updated = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<FieldDefinition> {
        auto scope = TRY(scope_of(c, ctx));
        return citizens::store::update_field(c, key, *in, scope, actor_of(ctx), ctx.app.clock);
    });
    if (!updated) {
        const Error& e = updated.error();
        if (e.code == ErrorCode::FailedPrecondition) {
            errors[""] = {precondition_text(ctx, e), ""};
            return render_form(ctx, 409, v, errors, key, true);
        }
        if (!add_input_error(ctx, "fields", e, errors))
            return failure(ctx, e, "field update");
        return render_form(ctx, e.code == ErrorCode::PermissionDenied ? 403 : 422, v, errors, key,
                           false);
    }
    return http::Response::redirect("/admin/fields?saved=1");
}

http::Response field_delete_confirm(RouteContext& ctx) {
    std::string key = ctx.req.param("key");
    auto found = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) {
        return citizens::store::find_field(c, key);
    });
    if (!found)
        return failure(ctx, found.error(), "field delete");
    if (!*found)
        return not_found(ctx);
    json data{{"heading", tr(ctx, "fields.delete_title")},
              {"question", fmt::format(fmt::runtime(tr(ctx, "fields.delete_question")),
                                       field_label(ctx, **found), key)},
              {"action", "/admin/fields/" + http::url_encode(key) + "/delete"},
              {"submit", tr(ctx, "fields.delete_submit")},
              {"cancel", "/admin/fields"},
              {"fields", json::array()}};
    return web::page(ctx, 200, "confirm", data, tr(ctx, "fields.delete_title"));
}

// Deleting a field that people hold values for deletes those values too: the store refuses
// without confirmation and says how many; the page then asks a second time (confirm=yes).
http::Response field_delete(RouteContext& ctx) {
    std::string key = ctx.req.param("key");
    auto form = http::parse_form(ctx.req.body);
    auto confirm = web::form_value(form, "confirm") == "yes" ? citizens::Confirm::Yes
                                                             : citizens::Confirm::No;
    auto done = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<void> {
        auto scope = TRY(scope_of(c, ctx));
        return citizens::store::delete_field(c, key, confirm, scope, actor_of(ctx), ctx.app.clock);
    });
    if (done)
        return http::Response::redirect("/admin/fields?deleted=1");
    if (done.error().code != ErrorCode::FailedPrecondition)
        return failure(ctx, done.error(), "field delete");
    json data{{"heading", tr(ctx, "fields.delete_title")},
              {"question", tr(ctx, "fields.delete_values_question")},
              {"warning", precondition_text(ctx, done.error())},
              {"action", "/admin/fields/" + http::url_encode(key) + "/delete"},
              {"submit", tr(ctx, "fields.delete_values_submit")},
              {"cancel", "/admin/fields"},
              {"fields", json::array({{{"name", "confirm"}, {"value", "yes"}}})}};
    return web::page(ctx, 409, "confirm", data, tr(ctx, "fields.delete_title"));
}

} // namespace teilhabe::admin
