// /admin/topics: the newsletters of the town. A list (with an empty state), a form to create
// and change one, deleting with confirmation, and the HTML snippet for the town's website.
// A topic people consented to cannot be deleted: the confirmation page archives it instead
// (it is then neither offered nor sent; the proof of the consents keeps its name).

#include "base/html.h"
#include "consent/route_support.h"
#include "web/respond.h"

#include <fmt/format.h>

namespace teilhabe::consent::detail {

namespace {

using nlohmann::json;

struct Department {
    std::int64_t id;
    std::string name;
};

Result<std::vector<Department>> departments(db::Connection& c, const web::RouteContext& ctx) {
    auto rows = TRY(c.query("SELECT id, name_de, name_en FROM departments ORDER BY name_de"));
    std::vector<Department> out;
    for (const auto& r : rows.rows)
        out.push_back({r.get_int(0), r.get_text(ctx.locale == web::Locale::En ? 2 : 1)});
    return out;
}

std::string lang(const web::RouteContext& ctx) { return web::to_string(ctx.locale); }

struct FormValues {
    std::string key, name_de, name_en, description_de, description_en;
    std::optional<std::int64_t> department;
    bool is_public{true};
    bool active{true};
};

FormValues values_of(const Topic& t) {
    return {t.key, t.name_de, t.name_en, t.description_de, t.description_en, t.department_id,
            t.is_public, t.active()};
}

FormValues values_of(const Form& form) {
    FormValues v;
    v.key = web::form_value(form, "key");
    v.name_de = web::form_value(form, "name_de");
    v.name_en = web::form_value(form, "name_en");
    v.description_de = web::form_value(form, "description_de");
    v.description_en = web::form_value(form, "description_en");
    v.department = parse_id(web::form_value(form, "department_id"));
    v.is_public = web::form_value(form, "public") == "1";
    v.active = web::form_value(form, "active") == "1";
    return v;
}

TopicInput input_of(const FormValues& v, bool create) {
    TopicInput in;
    if (create)
        in.key = v.key;
    in.name_de = v.name_de;
    in.name_en = v.name_en;
    in.description_de = v.description_de;
    in.description_en = v.description_en;
    in.department_id = v.department;
    in.is_public = v.is_public;
    in.active = v.active;
    return in;
}

http::Response render_form(web::RouteContext& ctx, int status, const FormValues& v,
                           std::optional<std::int64_t> id, const Error* error) {
    auto depts = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) -> Result<json> {
        auto scope = TRY(topic_scope(c, ctx.who));
        json out = json::array();
        if (!scope.limited)
            out.push_back({{"id", ""}, {"name", tr(ctx, "topics.whole_town")},
                           {"selected", !v.department}});
        for (const auto& d : TRY(departments(c, ctx)))
            if (scope.may_assign(d.id))
                out.push_back({{"id", d.id}, {"name", d.name}, {"selected", v.department == d.id}});
        return out;
    });
    if (!depts)
        return page_failure(ctx, depts.error(), "topic form");
    json data{{"create", !id},
              {"action", id ? fmt::format("/admin/topics/{}/edit", *id) : "/admin/topics/new"},
              {"key", v.key},
              {"name_de", v.name_de},
              {"name_en", v.name_en},
              {"description_de", v.description_de},
              {"description_en", v.description_en},
              {"departments", *depts},
              {"public", v.is_public},
              {"active", v.active}};
    if (error) {
        std::string field = error->field.empty() ? "form" : error->field;
        std::string key = "topics.error_" + field;
        std::string message = web::tr(ctx.locale, key);
        if (message == key)
            message = error->message;
        data["error"] = {{"field", field}, {"message", message}, {"detail", error->message}};
        data["error_" + field] = message;
    }
    auto title = tr(ctx, id ? "topics.edit_title" : "topics.new_title");
    data["heading"] = title;
    return web::page(ctx, status, "topic_form", data, title);
}

std::optional<Topic> load(web::RouteContext& ctx, std::int64_t id,
                          std::optional<http::Response>& error) {
    auto found = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) -> Result<std::optional<Topic>> {
        auto t = TRY(store::find_topic(c, id));
        if (t && !TRY(topic_scope(c, ctx.who)).may_manage(*t))
            return fail(Error::denied("not this department's topic"));
        return t;
    });
    if (!found)
        error = page_failure(ctx, found.error(), "topic");
    else if (!*found)
        error = web::error_page(ctx, 404, tr(ctx, "error.not_found"));
    return found ? *found : std::nullopt;
}

http::Response save(web::RouteContext& ctx, std::optional<std::int64_t> id) {
    auto form = http::parse_form(ctx.req.body);
    auto v = values_of(form);
    auto in = input_of(v, !id);
    auto saved = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<Topic> {
        // The input first: a form that cannot be saved says why, whoever sends it.
        TRY(validate_topic_input(in, id ? InputMode::Patch : InputMode::Create));
        auto scope = TRY(topic_scope(c, ctx.who));
        if (!scope.may_assign(v.department))
            return fail(Error::denied("not this department"));
        if (id) {
            auto t = TRY(store::find_topic(c, *id));
            if (!t)
                return fail(Error::not_found("no such topic"));
            if (!scope.may_manage(*t))
                return fail(Error::denied("not this department's topic"));
            return store::update_topic(c, *id, in, actor_of(ctx), ctx.app.clock);
        }
        return store::create_topic(c, in, actor_of(ctx), ctx.app.clock);
    });
    if (saved)
        return http::Response::redirect("/admin/topics?saved=1");
    const auto& e = saved.error();
    if (e.code == ErrorCode::InvalidArgument || e.code == ErrorCode::AlreadyExists)
        return render_form(ctx, 422, v, id, &e);
    return page_failure(ctx, e, "topic save");
}

} // namespace

http::Response topics_page(web::RouteContext& ctx) {
    auto rows = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) -> Result<json> {
        auto scope = TRY(topic_scope(c, ctx.who));
        std::map<std::int64_t, std::string> names;
        for (const auto& d : TRY(departments(c, ctx)))
            names[d.id] = d.name;
        json out = json::array();
        for (const auto& t : TRY(store::list_topics(c)))
            out.push_back({{"id", t.id},
                           {"key", t.key},
                           {"name", t.name(lang(ctx))},
                           {"department", t.department_id ? names[*t.department_id]
                                                          : tr(ctx, "topics.whole_town")},
                           {"public", t.is_public},
                           {"active", t.active()},
                           {"subscribers", t.subscribers},
                           {"may_manage", scope.may_manage(t)}});
        return out;
    });
    if (!rows)
        return page_failure(ctx, rows.error(), "topics");
    json data{{"rows", *rows},
              {"has_rows", !rows->empty()},
              {"saved", ctx.req.query_param("saved").has_value()},
              {"deleted", ctx.req.query_param("deleted").has_value()},
              {"archived", ctx.req.query_param("archived").has_value()}};
    return web::page(ctx, 200, "topics_list", data, tr(ctx, "topics.title"));
}

http::Response topic_new(web::RouteContext& ctx) {
    return render_form(ctx, 200, FormValues{}, std::nullopt, nullptr);
}

http::Response topic_create(web::RouteContext& ctx) { return save(ctx, std::nullopt); }

http::Response topic_edit(web::RouteContext& ctx) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return web::error_page(ctx, 404, tr(ctx, "error.not_found"));
    std::optional<http::Response> error;
    auto t = load(ctx, *id, error);
    if (!t)
        return std::move(*error);
    return render_form(ctx, 200, values_of(*t), *id, nullptr);
}

http::Response topic_update(web::RouteContext& ctx) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return web::error_page(ctx, 404, tr(ctx, "error.not_found"));
    return save(ctx, *id);
}

http::Response topic_delete_confirm(web::RouteContext& ctx) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return web::error_page(ctx, 404, tr(ctx, "error.not_found"));
    std::optional<http::Response> error;
    auto t = load(ctx, *id, error);
    if (!t)
        return std::move(*error);
    bool archive = t->consents > 0;
    json data{{"heading", tr(ctx, archive ? "topics.archive_title" : "topics.delete_title")},
              {"question", fmt::format(fmt::runtime(tr(ctx, archive ? "topics.archive_question"
                                                                    : "topics.delete_question")),
                                       t->name(lang(ctx)), t->consents)},
              {"action", fmt::format("/admin/topics/{}/delete", *id)},
              {"submit", tr(ctx, archive ? "topics.archive_submit" : "topics.delete_submit")},
              {"cancel", "/admin/topics"},
              {"fields", json::array()}};
    return web::page(ctx, 200, "confirm", data, data["heading"].get<std::string>());
}

http::Response topic_delete(web::RouteContext& ctx) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return web::error_page(ctx, 404, tr(ctx, "error.not_found"));
    auto done = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<bool> {
        auto t = TRY(store::find_topic(c, *id));
        if (!t)
            return fail(Error::not_found("no such topic"));
        if (!TRY(topic_scope(c, ctx.who)).may_manage(*t))
            return fail(Error::denied("not this department's topic"));
        if (t->consents > 0) {
            TopicInput archive;
            archive.active = false;
            TRY(store::update_topic(c, *id, archive, actor_of(ctx), ctx.app.clock));
            return false;
        }
        TRY(store::delete_topic(c, *id, actor_of(ctx), ctx.app.clock));
        return true;
    });
    if (!done)
        return page_failure(ctx, done.error(), "topic delete");
    return http::Response::redirect(*done ? "/admin/topics?deleted=1" : "/admin/topics?archived=1");
}

// The snippet for the town's website: a plain form that posts to /subscribe. Its answer is the
// full form with the consent text and the bot check, prefilled, to be sent from there.
http::Response topics_embed(web::RouteContext& ctx) {
    auto topics = ctx.app.db.transaction(db::TxMode::Read,
                                         [](db::Connection& c) { return store::public_topics(c); });
    if (!topics)
        return page_failure(ctx, topics.error(), "embed");
    std::string base = ctx.app.settings.base_url;
    while (!base.empty() && base.back() == '/')
        base.pop_back();
    std::string boxes;
    for (const auto& t : *topics)
        boxes += fmt::format("  <label><input type=\"checkbox\" name=\"topic\" value=\"{}\"> {}</label><br>\n",
                             t.key, html_escape(t.name(lang(ctx))));
    auto snippet = fmt::format(
        "<form method=\"post\" action=\"{}/subscribe\" accept-charset=\"utf-8\">\n"
        "  <label for=\"th-email\">{}</label>\n"
        "  <input id=\"th-email\" type=\"email\" name=\"email\" required autocomplete=\"email\">\n"
        "{}"
        "  <div style=\"position:absolute;left:-10000px\" aria-hidden=\"true\"><input type=\"text\" "
        "name=\"website_url\" tabindex=\"-1\" autocomplete=\"off\"></div>\n"
        "  <button type=\"submit\">{}</button>\n"
        "</form>\n",
        html_escape(base), html_escape(tr(ctx, "subscribe.email")), boxes,
        html_escape(tr(ctx, "subscribe.submit")));
    json data{{"snippet", snippet}, {"page_url", base + "/subscribe"}, {"has_topics", !topics->empty()}};
    return web::page(ctx, 200, "topics_embed", data, tr(ctx, "topics.embed_title"));
}

} // namespace teilhabe::consent::detail
