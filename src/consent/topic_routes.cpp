// The topics API (/api/v1/topics), the consent texts (/api/v1/consent-texts/{kind}) and the
// consents of one person with their proof (/api/v1/citizens/{id}/consents, audited).

#include "consent/consent_store.h"
#include "consent/route_support.h"
#include "http/problem.h"
#include "staff/staff_store.h"
#include "web/respond.h"

#include <fmt/format.h>

namespace teilhabe::consent::detail {

namespace {

http::Response no_such_topic() { return http::problem(404, "Not Found", "There is no such topic."); }

Error not_yours() {
    return Error::denied("Department staff manage only their own department's topics.");
}

} // namespace

http::Response list_topics(web::RouteContext& ctx) {
    auto topics = ctx.app.db.transaction(db::TxMode::Read,
                                         [](db::Connection& c) { return store::list_topics(c); });
    if (!topics)
        return api_problem(topics.error(), "topics");
    nlohmann::json items = nlohmann::json::array();
    for (const auto& t : *topics)
        items.push_back(to_json(t));
    return web::json(200, {{"items", items}, {"next_cursor", nullptr}});
}

http::Response get_topic(web::RouteContext& ctx) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return no_such_topic();
    auto found = ctx.app.db.transaction(db::TxMode::Read,
                                        [&](db::Connection& c) { return store::find_topic(c, *id); });
    if (!found)
        return api_problem(found.error(), "topic");
    if (!*found)
        return no_such_topic();
    return web::json(200, to_json(**found));
}

http::Response create_topic(web::RouteContext& ctx) {
    auto body = web::read_json_object(ctx.req);
    if (!body)
        return api_problem(body.error(), "topic");
    auto in = parse_topic_input(*body, InputMode::Create);
    if (!in)
        return api_problem(in.error(), "topic");
    auto created = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<Topic> {
        auto scope = TRY(topic_scope(c, ctx.who));
        // Department staff create in their own department when they name none.
        if (scope.limited && !in->department_id)
            in->department_id = scope.department;
        if (!scope.may_assign(in->department_id.value_or(std::nullopt)))
            return fail(not_yours());
        return store::create_topic(c, *in, actor_of(ctx), ctx.app.clock);
    });
    if (!created)
        return api_problem(created.error(), "topic");
    auto r = web::json(201, to_json(*created));
    r.set_header("Location", fmt::format("/api/v1/topics/{}", created->id));
    return r;
}

http::Response patch_topic(web::RouteContext& ctx) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return no_such_topic();
    auto body = web::read_json_object(ctx.req);
    if (!body)
        return api_problem(body.error(), "topic");
    auto in = parse_topic_input(*body, InputMode::Patch);
    if (!in)
        return api_problem(in.error(), "topic");
    auto updated = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<Topic> {
        auto found = TRY(store::find_topic(c, *id));
        if (!found)
            return fail(Error::not_found("There is no such topic."));
        auto scope = TRY(topic_scope(c, ctx.who));
        if (!scope.may_manage(*found) ||
            (in->department_id && !scope.may_assign(*in->department_id)))
            return fail(not_yours());
        return store::update_topic(c, *id, *in, actor_of(ctx), ctx.app.clock);
    });
    if (!updated)
        return api_problem(updated.error(), "topic");
    return web::json(200, to_json(*updated));
}

// A topic that people consented to is archived, not deleted (409 says so): the proof of their
// consent names it.
http::Response delete_topic(web::RouteContext& ctx) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return no_such_topic();
    auto done = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<void> {
        auto found = TRY(store::find_topic(c, *id));
        if (!found)
            return fail(Error::not_found("There is no such topic."));
        if (!TRY(topic_scope(c, ctx.who)).may_manage(*found))
            return fail(not_yours());
        return store::delete_topic(c, *id, actor_of(ctx), ctx.app.clock);
    });
    if (!done)
        return api_problem(done.error(), "topic");
    return http::Response::no_content();
}

http::Response get_consent_texts(web::RouteContext& ctx) {
    auto kind = parse_text_kind(ctx.req.param("kind"));
    if (!kind)
        return http::problem(404, "Not Found", "The kinds are newsletter and tracking.");
    auto versions = ctx.app.db.transaction(
        db::TxMode::Read, [&](db::Connection& c) { return store::text_versions(c, *kind); });
    if (!versions)
        return api_problem(versions.error(), "consent texts");
    nlohmann::json items = nlohmann::json::array();
    for (const auto& t : *versions)
        items.push_back(to_json(t));
    return web::json(200, {{"current", items.empty() ? nlohmann::json(nullptr) : items.front()},
                           {"versions", items}});
}

// A new version of the text (the old ones stay: consents name the version they were given
// under).
http::Response post_consent_text(web::RouteContext& ctx) {
    auto kind = parse_text_kind(ctx.req.param("kind"));
    if (!kind)
        return http::problem(404, "Not Found", "The kinds are newsletter and tracking.");
    auto body = web::read_json_object(ctx.req);
    if (!body)
        return api_problem(body.error(), "consent text");
    auto de = body->value("text_de", nlohmann::json()).is_string() ? (*body)["text_de"].get<std::string>() : "";
    auto en = body->value("text_en", nlohmann::json()).is_string() ? (*body)["text_en"].get<std::string>() : "";
    auto made = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
        return store::add_text_version(c, *kind, de, en, ctx.who.actor(), ctx.req.remote_addr,
                                       ctx.app.clock);
    });
    if (!made)
        return api_problem(made.error(), "consent text");
    return web::json(201, to_json(*made));
}

// Reading a person's consents with their proof is a read of personal data: audited like a
// profile read (GDPR Art. 5(2)).
http::Response citizen_consents(web::RouteContext& ctx) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return http::problem(404, "Not Found", "There is no such citizen.");
    auto out = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<nlohmann::json> {
        auto exists = TRY(c.query("SELECT 1 FROM citizens WHERE id = ?", {*id}));
        if (exists.empty())
            return fail(Error::not_found("There is no such citizen."));
        nlohmann::json j{{"consents", nlohmann::json::array()},
                         {"history", nlohmann::json::array()},
                         {"texts", nlohmann::json::object()}};
        for (const auto& consent : TRY(store::consents_of(c, *id))) {
            j["consents"].push_back(to_json(consent));
            if (!j["texts"].contains(std::to_string(consent.consent_text_id)))
                if (auto t = TRY(store::find_text(c, consent.consent_text_id)))
                    j["texts"][std::to_string(t->id)] = to_json(*t);
        }
        for (const auto& e : TRY(store::events_of(c, *id)))
            j["history"].push_back(to_json(e));
        TRY(staff::store::audit(c,
                                {.actor = ctx.who.actor(),
                                 .action = "citizen.consents.read",
                                 .subject = fmt::format("citizen:{}", *id),
                                 .detail = {},
                                 .ip = ctx.req.remote_addr},
                                ctx.app.clock));
        return j;
    });
    if (!out)
        return api_problem(out.error(), "consents");
    return web::json(200, *out);
}

} // namespace teilhabe::consent::detail
