// /admin/citizens/{id}: the profile with its timeline (and a hint at likely duplicates), the
// edit form, and the data subject's rights (restriction, export, erasure).

#include "activity/activity_store.h"
#include "admin/admin_store.h"
#include "admin/citizen_form.h"
#include "admin/citizen_pages.h"
#include "admin/merge_view.h"
#include "admin/page_support.h"
#include "citizens/citizen_store.h"
#include "citizens/field_store.h"
#include "delivery/wakeup.h"
#include "gdpr/gdpr_store.h"
#include "web/respond.h"

#include <fmt/format.h>

namespace teilhabe::admin {

using namespace detail;
using nlohmann::json;
using web::RouteContext;

namespace {

constexpr int kTimelinePage = 20;

std::string display_name(const RouteContext& ctx, const citizens::Citizen& c) {
    std::string name = c.first_name + (c.first_name.empty() || c.last_name.empty() ? "" : " ") +
                       c.last_name;
    return name.empty() ? (c.email.empty() ? tr(ctx, "citizens.no_name") : c.email) : name;
}

// "?before=<ms>.<id>": where the previous page of the timeline ended.
std::optional<activity::TimelineCursor> read_before(const http::Request& req) {
    auto before = req.query_param("before");
    if (!before)
        return std::nullopt;
    auto dot = before->find('.');
    if (dot == std::string::npos)
        return std::nullopt;
    auto ms = parse_id(before->substr(0, dot));
    auto id = parse_id(before->substr(dot + 1));
    if (!ms || !id)
        return std::nullopt;
    return activity::TimelineCursor{*ms, *id};
}

std::string attribute_display(const RouteContext& ctx, const citizens::FieldDefinition& d,
                              const json& value) {
    std::string out;
    for (const auto& t : attribute_texts(d.type, value)) {
        std::string shown = t;
        if (d.type == citizens::FieldType::Bool)
            shown = tr(ctx, t == "yes" ? "common.yes" : "common.no");
        out += (out.empty() ? "" : ", ") + shown;
    }
    return out;
}

Result<json> timeline(db::Connection& c, const RouteContext& ctx, std::int64_t id) {
    auto before = read_before(ctx.req);
    auto items = TRY(activity::for_citizen_page(c, id, before, kTimelinePage + 1));
    bool more = items.size() > static_cast<std::size_t>(kTimelinePage);
    if (more)
        items.resize(kTimelinePage);
    std::map<std::string, std::string> names;
    json rows = json::array();
    for (const auto& a : items) {
        if (!names.contains(a.actor))
            names[a.actor] = TRY(store::actor_name(c, a.actor));
        auto ms = to_unix_ms(a.occurred_at);
        rows.push_back({{"at", format_iso8601(a.occurred_at)},
                        {"at_display", web::display_time(ctx.locale, ms)},
                        {"type", a.type},
                        {"object", a.object},
                        {"actor", names[a.actor]}});
    }
    json next = nullptr;
    if (more && !items.empty())
        next = fmt::format("/admin/citizens/{}?before={}.{}#timeline", id,
                           to_unix_ms(items.back().occurred_at), items.back().id);
    return json{{"items", rows}, {"has_items", !rows.empty()}, {"next", next},
                {"paged", before.has_value()}};
}

Result<json> profile_data(db::Connection& c, const RouteContext& ctx, std::int64_t id) {
    // Reading a full profile is audited (citizens::store::read_citizen).
    auto p = TRY(citizens::store::read_citizen(c, id, actor_of(ctx), ctx.app.clock));
    auto defs = TRY(citizens::store::list_fields(c));
    auto topics = TRY(store::topics(c));
    json attributes = json::array();
    for (const auto& d : defs)
        if (p.attributes.contains(d.key))
            attributes.push_back({{"label", field_label(ctx, d)},
                                  {"key", d.key},
                                  {"value", attribute_display(ctx, d, p.attributes[d.key])}});
    json interests = json::array();
    for (const auto& key : p.interests) {
        std::string label = key;
        for (const auto& t : topics)
            if (t.key == key)
                label = ctx.locale == web::Locale::En ? t.name_en : t.name_de;
        interests.push_back(label);
    }
    auto tl = TRY(timeline(c, ctx, id));
    auto allows = [&](staff::Permission perm) { return staff::allows(ctx.who.role, perm); };
    bool can_merge = allows(staff::Permission::WriteCitizens) && !p.restricted_at;
    json duplicates = can_merge ? TRY(duplicate_hints(c, ctx, p)) : json::array();
    std::string base = fmt::format("/admin/citizens/{}", id);
    return json{
        {"id", id},
        {"base", base},
        {"name", display_name(ctx, p)},
        {"email", p.email},
        {"first_name", p.first_name},
        {"last_name", p.last_name},
        {"language", tr(ctx, std::string("citizens.lang_") + citizens::to_string(p.language))},
        {"channel", tr(ctx, std::string("citizens.channel_") +
                                citizens::to_string(p.preferred_channel))},
        {"district", opt(p.district)},
        {"tags", p.tags},
        {"has_tags", !p.tags.empty()},
        {"interests", interests},
        {"has_interests", !interests.empty()},
        {"attributes", attributes},
        {"has_attributes", !attributes.empty()},
        {"restricted", p.restricted_at.has_value()},
        {"restricted_since",
         p.restricted_at ? json(web::display_time(ctx.locale, *p.restricted_at)) : json(nullptr)},
        {"created", web::display_time(ctx.locale, p.created_at)},
        {"updated", web::display_time(ctx.locale, p.updated_at)},
        {"just_created", ctx.req.query_param("created").has_value()},
        {"just_saved", ctx.req.query_param("saved").has_value()},
        {"just_merged", ctx.req.query_param("merged").has_value()},
        {"can_merge", can_merge},
        {"duplicates", duplicates},
        {"has_duplicates", !duplicates.empty()},
        {"can_write", allows(staff::Permission::WriteCitizens)},
        {"can_gdpr", allows(staff::Permission::GdprRequests)},
        {"timeline", tl}};
}

template <class F> http::Response with_id(RouteContext& ctx, F&& fn) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return not_found(ctx);
    return fn(*id);
}

http::Response render_edit(RouteContext& ctx, int status, std::int64_t id,
                           const std::optional<CitizenFormValues>& typed, FieldErrors errors) {
    auto data = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<json> {
        auto defs = TRY(citizens::store::list_fields(c));
        auto topics = TRY(store::topics(c));
        CitizenFormValues v;
        if (typed) {
            v = *typed;
        } else {
            // The form shows the whole profile: audited like the profile page.
            auto p = TRY(citizens::store::read_citizen(c, id, actor_of(ctx), ctx.app.clock));
            v = values_from_citizen(p, defs);
        }
        std::string base = fmt::format("/admin/citizens/{}", id);
        return citizen_form_data(ctx,
                                 {base + "/edit", tr(ctx, "citizens.edit_title"),
                                  tr(ctx, "citizens.save"), base},
                                 v, defs, topics, errors);
    });
    if (!data)
        return failure(ctx, data.error(), "citizen edit");
    return web::page(ctx, status, "citizen_form", *data, tr(ctx, "citizens.edit_title"));
}

} // namespace

http::Response citizen_profile(RouteContext& ctx) {
    return with_id(ctx, [&](std::int64_t id) {
        auto data = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
            return profile_data(c, ctx, id);
        });
        if (!data)
            return failure(ctx, data.error(), "citizen profile");
        return web::page(ctx, 200, "citizen_profile", *data, (*data)["name"].get<std::string>());
    });
}

http::Response citizen_edit(RouteContext& ctx) {
    return with_id(ctx, [&](std::int64_t id) { return render_edit(ctx, 200, id, {}, {}); });
}

http::Response citizen_update(RouteContext& ctx) {
    return with_id(ctx, [&](std::int64_t id) {
        auto form = http::parse_form(ctx.req.body);
        auto defs = ctx.app.db.transaction(db::TxMode::Read, [](db::Connection& c) {
            return citizens::store::list_fields(c);
        });
        if (!defs)
            return failure(ctx, defs.error(), "citizen update");
        CitizenFormValues v = values_from_form(form, *defs);
        FieldErrors errors;
        auto changes = changes_from_values(ctx, v, *defs, citizens::InputMode::Patch, errors);
        if (!changes)
            return render_edit(ctx, 422, id, v, errors);
        auto updated = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
            return citizens::store::update_citizen(c, id, *changes, actor_of(ctx), ctx.app.clock);
        });
        if (!updated) {
            if (!add_input_error(ctx, "citizens", updated.error(), errors))
                return failure(ctx, updated.error(), "citizen update");
            return render_edit(ctx, 422, id, v, errors);
        }
        return http::Response::redirect(fmt::format("/admin/citizens/{}?saved=1", id));
    });
}

// GDPR Art. 18: restrict processing, or lift the restriction, with the reason for the record.
http::Response citizen_restriction(RouteContext& ctx) {
    return with_id(ctx, [&](std::int64_t id) {
        auto form = http::parse_form(ctx.req.body);
        std::string reason = web::form_value(form, "reason").substr(0, 1000);
        auto mode = web::form_value(form, "restricted") == "yes" ? gdpr::Restriction::Restricted
                                                                   : gdpr::Restriction::Lifted;
        auto done = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
            return gdpr::set_restriction(c, id, mode, reason,
                                         {ctx.who.actor(), ctx.req.remote_addr}, ctx.app.clock);
        });
        if (!done)
            return failure(ctx, done.error(), "citizen restriction");
        return http::Response::redirect(fmt::format("/admin/citizens/{}", id));
    });
}

// GDPR Art. 15/20: everything stored about the person, as a JSON download.
http::Response citizen_export(RouteContext& ctx) {
    return with_id(ctx, [&](std::int64_t id) {
        auto data = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
            return gdpr::export_person(c, id, {ctx.who.actor(), ctx.req.remote_addr},
                                       ctx.app.clock);
        });
        if (!data)
            return failure(ctx, data.error(), "citizen export");
        auto r = web::json(200, *data);
        r.set_header("Content-Disposition",
                     fmt::format("attachment; filename=\"teilhabe-person-{}.json\"", id));
        return r;
    });
}

namespace {

// The erasure's confirmation; while the person holds Stadttaler (money the town owes them,
// gdpr::erase_person refuses) a warning with the amount and the way to the pay-out at the desk
// stands next to the button.
http::Response render_delete_confirm(RouteContext& ctx, std::int64_t id, int status) {
    struct Shown {
        std::optional<citizens::Citizen> person;
        std::int64_t owed{0};
    };
    auto found = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) -> Result<Shown> {
        auto person = TRY(citizens::store::find_citizen(c, id));
        if (!person)
            return Shown{};
        return Shown{std::move(person), TRY(gdpr::stadttaler_owed(c, id))};
    });
    if (!found)
        return failure(ctx, found.error(), "citizen delete");
    if (!found->person)
        return not_found(ctx);
    const auto& person = *found->person;
    std::string base = fmt::format("/admin/citizens/{}", id);
    json data{{"heading", tr(ctx, "citizens.delete_title")},
              {"question", fmt::format(fmt::runtime(tr(ctx, "citizens.delete_question")),
                                       display_name(ctx, person), person.email)},
              {"explanation", tr(ctx, "citizens.delete_explanation")},
              {"action", base + "/delete"},
              {"submit", tr(ctx, "citizens.delete_submit")},
              {"cancel", base},
              {"fields", json::array()}};
    if (found->owed > 0) {
        auto cents = found->owed;
        auto amount = ctx.locale == web::Locale::En
                          ? fmt::format("€{}.{:02}", cents / 100, cents % 100)
                          : fmt::format("{},{:02} €", cents / 100, cents % 100);
        data["warning"] = fmt::format(fmt::runtime(tr(ctx, "citizens.delete_stadttaler")), amount);
        data["warning_link"] = fmt::format("/admin/stadttaler?payout_for={}", id);
        data["warning_link_label"] = tr(ctx, "citizens.delete_stadttaler_link");
    }
    return web::page(ctx, status, "confirm", data, tr(ctx, "citizens.delete_title"));
}

} // namespace

http::Response citizen_delete_confirm(RouteContext& ctx) {
    return with_id(ctx, [&](std::int64_t id) { return render_delete_confirm(ctx, id, 200); });
}

// GDPR Art. 17: erasure, only after the confirmation page (and with the CSRF token, checked
// by the dispatcher).
http::Response citizen_delete(RouteContext& ctx) {
    return with_id(ctx, [&](std::int64_t id) {
        auto done = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
            return gdpr::erase_person(c, id, {ctx.who.actor(), ctx.req.remote_addr},
                                      ctx.app.clock, ctx.app.before_erasure);
        });
        if (!done && done.error().code == ErrorCode::Conflict &&
            done.error().field == gdpr::kStadttalerOwedField)
            return render_delete_confirm(ctx, id, 409);
        if (!done)
            return failure(ctx, done.error(), "citizen erase");
        if (ctx.app.mail_wakeup) // a place freed for someone waiting: their mail is queued
            ctx.app.mail_wakeup->notify();
        return http::Response::redirect("/admin/citizens?erased=1");
    });
}

} // namespace teilhabe::admin
