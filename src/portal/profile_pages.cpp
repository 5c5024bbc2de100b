// GET/POST /portal/profile: the person's own name, district and the fields staff marked "may be
// asked in the portal"; the e-mail address is shown and changed on the account's page (with a
// new verification). Changes go through the citizens store as staff edits do (audited, activity
// citizen.updated with the actor citizen:<id>); a refusal is said beside its control.

#include "citizens/citizen_store.h"
#include "portal/me_pages.h"
#include "portal/me_service.h"
#include "portal/me_support.h"
#include "web/respond.h"

namespace teilhabe::portal::detail {

namespace {

using citizens::FieldDefinition;
using nlohmann::json;

struct ProfileForm {
    std::string first_name, last_name, district;
    std::map<std::string, std::vector<std::string>> attributes; // key -> texts as shown
};

ProfileForm form_of(const OwnProfile& p) {
    ProfileForm f{p.citizen.first_name, p.citizen.last_name, p.citizen.district, {}};
    for (const auto& d : p.fields)
        if (p.citizen.attributes.contains(d.key))
            f.attributes[d.key] = value_texts(p.citizen.attributes.at(d.key));
    return f;
}

ProfileForm form_of(const Form& form, const std::vector<FieldDefinition>& fields) {
    ProfileForm f{web::form_value(form, "first_name"),
                  web::form_value(form, "last_name"),
                  web::form_value(form, "district"),
                  {}};
    for (const auto& d : fields)
        f.attributes[d.key] = form_values(form, "attr." + d.key);
    return f;
}

// The changes for the store, or none with `errors` filled (every wrong control at once).
std::optional<citizens::CitizenChanges> changes_of(const web::RouteContext& ctx,
                                                   const ProfileForm& f,
                                                   const std::vector<FieldDefinition>& fields,
                                                   FieldErrors& errors) {
    json body{{"first_name", f.first_name}, {"last_name", f.last_name}, {"district", f.district}};
    for (const auto& [member, value] : body.items())
        if (auto one =
                citizens::parse_citizen_input(json{{member, value}}, citizens::InputMode::Patch);
            !one)
            add_error(ctx, one.error(), errors);
    json attributes = json::object();
    for (const auto& d : fields) {
        auto it = f.attributes.find(d.key);
        auto value = read_value(
            ctx, d, it == f.attributes.end() ? std::vector<std::string>{} : it->second, errors);
        if (value)
            attributes[d.key] = *value;
    }
    if (!errors.empty())
        return std::nullopt;
    body["attributes"] = attributes;
    auto all = citizens::parse_citizen_input(body, citizens::InputMode::Patch);
    if (!all) {
        add_error(ctx, all.error(), errors);
        return std::nullopt;
    }
    return *all;
}

http::Response render(web::RouteContext& ctx, int status, const OwnProfile& p, const ProfileForm& f,
                      const FieldErrors& errors, bool saved) {
    std::map<std::string, std::string> anchors{
        {"first_name", "first_name"}, {"last_name", "last_name"}, {"district", "district"}};
    json controls = json::array();
    for (const auto& d : p.fields) {
        anchors["attributes." + d.key] = "attr-" + d.key;
        auto it = f.attributes.find(d.key);
        controls.push_back(field_control(
            ctx, d, it == f.attributes.end() ? std::vector<std::string>{} : it->second, errors,
            Blank::Offer));
    }
    json data{{"email", p.citizen.email},
              {"first_name", form_field(f.first_name, errors, "first_name")},
              {"last_name", form_field(f.last_name, errors, "last_name")},
              {"district", form_field(f.district, errors, "district")},
              {"fields", controls},
              {"has_fields", !controls.empty()},
              {"errors", error_summary(errors, anchors)},
              {"has_errors", !errors.empty()},
              {"saved", saved},
              {"restricted", p.citizen.restricted_at.has_value()}};
    return web::page(ctx, status, "portal_profile", std::move(data),
                     tr(ctx, "portal_profile.title"));
}

Result<OwnProfile> load(web::RouteContext& ctx) {
    return ctx.app.db.transaction(db::TxMode::Read,
                                  [&](db::Connection& c) { return load_own_profile(c, me(ctx)); });
}

} // namespace

http::Response profile_page(web::RouteContext& ctx) {
    auto p = load(ctx);
    if (!p)
        return failure(ctx, p.error(), "portal profile");
    return render(ctx, 200, *p, form_of(*p), {}, ctx.req.query_param("saved").has_value());
}

http::Response profile_submit(web::RouteContext& ctx) {
    auto p = load(ctx);
    if (!p)
        return failure(ctx, p.error(), "portal profile");
    auto f = form_of(http::parse_form(ctx.req.body), p->fields);
    FieldErrors errors;
    auto changes = changes_of(ctx, f, p->fields, errors);
    if (!changes)
        return render(ctx, 422, *p, f, errors, false);
    auto done = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
        return update_own_profile(c, me(ctx), *changes, actor_of(ctx), ctx.app.clock);
    });
    if (!done) {
        if (!add_error(ctx, done.error(), errors))
            return failure(ctx, done.error(), "portal profile");
        return render(ctx, done.error().code == ErrorCode::InvalidArgument ? 422 : 409, *p, f,
                      errors, false);
    }
    return http::Response::redirect("/portal/profile?saved=1");
}

} // namespace teilhabe::portal::detail
