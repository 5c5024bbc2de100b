// /admin/fields: the municipality's own fields (custom field definitions): list, create, edit,
// delete. Changes that would delete people's values need a second, explicit confirmation.

#include "admin/admin_store.h"
#include "admin/citizen_pages.h"
#include "admin/field_form.h"
#include "admin/page_support.h"
#include "citizens/citizen.h"
#include "citizens/field_store.h"
#include "staff/staff_store.h"
#include "web/respond.h"

#include <fmt/format.h>

namespace teilhabe::admin {

using namespace detail;
using citizens::FieldDefinition;
using nlohmann::json;
using web::RouteContext;

namespace {

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

http::Response render_form(RouteContext& ctx, int status, const FieldFormValues& v,
                           const FieldErrors& errors, const FieldFormView& view) {
    auto departments = ctx.app.db.transaction(
        db::TxMode::Read, [](db::Connection& c) { return store::departments(c); });
    if (!departments)
        return failure(ctx, departments.error(), "field form");
    auto data = field_form_data(ctx, v, errors, view, *departments);
    return web::page(ctx, status, "field_form", data, data["heading"].get<std::string>());
}

std::string retention_text(const RouteContext& ctx, const FieldDefinition& f) {
    if (f.retention_months)
        return fmt::format(fmt::runtime(tr(ctx, "fields.retention_months_value")),
                           *f.retention_months);
    if (f.retention_days)
        return fmt::format(fmt::runtime(tr(ctx, "fields.retention_days_value")), *f.retention_days);
    return tr(ctx, "fields.retention_none");
}

std::string precondition_text(const RouteContext& ctx, const Error& e) {
    return tr(ctx, "fields.values_would_go") + " " + e.message;
}

} // namespace

http::Response fields_list(RouteContext& ctx) {
    auto fields = ctx.app.db.transaction(
        db::TxMode::Read, [](db::Connection& c) { return citizens::store::list_fields(c); });
    if (!fields)
        return failure(ctx, fields.error(), "field list");
    json rows = json::array();
    for (const auto& f : *fields)
        rows.push_back(
            {{"key", f.key},
             {"type", tr(ctx, std::string("fields.type_") + citizens::to_string(f.type))},
             {"label_de", f.label_de},
             {"label_en", f.label_en},
             {"required", tr(ctx, f.required ? "common.yes" : "common.no")},
             {"personal", tr(ctx, f.personal ? "common.yes" : "common.no")},
             {"department", f.department ? *f.department : tr(ctx, "fields.all_departments")},
             {"portal", f.ask_in_portal ? fmt::format(fmt::runtime(tr(ctx, "fields.portal_yes")),
                                                      f.portal_order)
                                        : tr(ctx, "common.no")},
             {"retention", retention_text(ctx, f)},
             {"edit", "/admin/fields/" + http::url_encode(f.key) + "/edit"},
             {"delete", "/admin/fields/" + http::url_encode(f.key) + "/delete"}});
    return web::page(ctx, 200, "fields_list",
                     {{"rows", rows},
                      {"has_rows", !rows.empty()},
                      {"deleted", ctx.req.query_param("deleted").has_value()},
                      {"saved", ctx.req.query_param("saved").has_value()}},
                     tr(ctx, "fields.title"));
}

http::Response field_new(RouteContext& ctx) {
    return render_form(ctx, 200, {}, {}, {});
}

http::Response field_create(RouteContext& ctx) {
    auto v = values_from_form(http::parse_form(ctx.req.body));
    FieldErrors errors;
    auto body = body_of(ctx, v, citizens::InputMode::Create, errors);
    if (!body)
        return render_form(ctx, 422, v, errors, {});
    auto in = citizens::parse_field_input(*body, citizens::InputMode::Create);
    if (!in) {
        add_field_error(ctx, in.error(), errors);
        return render_form(ctx, 422, v, errors, {});
    }
    auto created = ctx.app.db.transaction(
        db::TxMode::Write, [&](db::Connection& c) -> Result<FieldDefinition> {
            auto scope = TRY(scope_of(c, ctx));
            return citizens::store::create_field(c, *in, scope, actor_of(ctx), ctx.app.clock);
        });
    if (!created) {
        if (!add_field_error(ctx, created.error(), errors))
            return failure(ctx, created.error(), "field create");
        return render_form(ctx, created.error().code == ErrorCode::PermissionDenied ? 403 : 422, v,
                           errors, {});
    }
    return http::Response::redirect("/admin/fields?saved=1");
}

http::Response field_edit(RouteContext& ctx) {
    std::string key = ctx.req.param("key");
    auto found = ctx.app.db.transaction(
        db::TxMode::Read, [&](db::Connection& c) { return citizens::store::find_field(c, key); });
    if (!found)
        return failure(ctx, found.error(), "field edit");
    if (!*found)
        return not_found(ctx);
    return render_form(ctx, 200, values_from_definition(**found), {}, {key});
}

// A change that touches people's values (another type, removed options) is refused until it
// is confirmed; the form then says what the change would do (how many values are carried over
// to the new type, how many go) and asks for the confirmation beside the save button.
http::Response field_update(RouteContext& ctx) {
    std::string key = ctx.req.param("key");
    auto form = http::parse_form(ctx.req.body);
    auto v = values_from_form(form);
    v.key = key;
    auto stored = ctx.app.db.transaction(
        db::TxMode::Read, [&](db::Connection& c) { return citizens::store::find_field(c, key); });
    if (!stored)
        return failure(ctx, stored.error(), "field update");
    if (!*stored)
        return not_found(ctx);
    drop_old_limits_on_type_change(v, **stored);
    FieldErrors errors;
    auto body = body_of(ctx, v, citizens::InputMode::Patch, errors);
    if (!body)
        return render_form(ctx, 422, v, errors, {key});
    auto in = citizens::parse_field_input(*body, citizens::InputMode::Patch);
    if (!in) {
        add_field_error(ctx, in.error(), errors);
        return render_form(ctx, 422, v, errors, {key});
    }
    in->confirm = web::form_value(form, "confirm") == "yes";
    auto updated = ctx.app.db.transaction(
        db::TxMode::Write, [&](db::Connection& c) -> Result<FieldDefinition> {
            auto scope = TRY(scope_of(c, ctx));
            return citizens::store::update_field(c, key, *in, scope, actor_of(ctx), ctx.app.clock);
        });
    if (updated)
        return http::Response::redirect("/admin/fields?saved=1");
    const Error& e = updated.error();
    if (e.code == ErrorCode::FailedPrecondition) {
        auto impact = ctx.app.db.transaction(
            db::TxMode::Read, [&](db::Connection& c) -> Result<citizens::FieldChangeImpact> {
                auto scope = TRY(scope_of(c, ctx));
                return citizens::store::preview_field_change(c, key, *in, scope);
            });
        if (!impact)
            return failure(ctx, impact.error(), "field update");
        return render_form(ctx, 409, v, errors, {key, true, *impact});
    }
    if (!add_field_error(ctx, e, errors))
        return failure(ctx, e, "field update");
    return render_form(ctx, e.code == ErrorCode::PermissionDenied ? 403 : 422, v, errors, {key});
}

http::Response field_delete_confirm(RouteContext& ctx) {
    std::string key = ctx.req.param("key");
    auto found = ctx.app.db.transaction(
        db::TxMode::Read, [&](db::Connection& c) { return citizens::store::find_field(c, key); });
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
    auto confirm =
        web::form_value(form, "confirm") == "yes" ? citizens::Confirm::Yes : citizens::Confirm::No;
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
