// /admin/campaigns: the list, the editor and the campaign's page with its report. Every change
// goes through lifecycle.h, as the API's do; the pages only turn forms into inputs and errors
// into messages beside the fields. The actions are in admin_actions.cpp.

#include "campaigns/admin_pages.h"

#include "campaigns/audience.h"
#include "campaigns/lifecycle.h"
#include "campaigns/report.h"
#include "campaigns/route_support.h"
#include "jobs/worker.h"
#include "web/respond.h"

#include <fmt/format.h>

namespace teilhabe::campaigns::pages {

namespace {

using detail::failure;
using detail::parse_id;
using detail::tr;
using detail::who_of;

using nlohmann::json;
using web::RouteContext;
using Form = std::vector<std::pair<std::string, std::string>>;

std::string state_label(const RouteContext& ctx, State s) { return tr(ctx, fmt::format("campaigns.state_{}", to_string(s))); }

struct TopicChoice {
    std::string key, name;
};

Result<std::vector<TopicChoice>> topic_choices(db::Connection& c, const RouteContext& ctx) {
    auto rows = TRY(c.query("SELECT key, name_de, name_en FROM topics WHERE archived_at IS NULL ORDER BY name_de"));
    std::vector<TopicChoice> out;
    for (const auto& r : rows.rows)
        out.push_back({r.get_text(0), r.get_text(ctx.locale == web::Locale::En ? 2 : 1)});
    return out;
}

// datetime-local gives "2026-12-01T08:00" (times are UTC for now, see docs/decisions.md).
std::string local_input(const std::optional<TimePoint>& t) {
    if (!t)
        return {};
    return format_iso8601(*t).substr(0, 16);
}

struct Values {
    std::string name, subject, preheader, body, scheduled_at;
    std::vector<std::string> topics;
    std::string segment; // the segment's id, empty for none
};

Values values_of(const Campaign& k) {
    return {k.name,    k.subject, k.preheader, k.body, local_input(k.scheduled_at),
            k.topics, k.segment_id ? std::to_string(*k.segment_id) : std::string()};
}

Values values_of(const Form& form) {
    Values v{web::form_value(form, "name"),          web::form_value(form, "subject"),
             web::form_value(form, "preheader"),     web::form_value(form, "body_markdown"),
             web::form_value(form, "scheduled_at"), {},
             web::form_value(form, "segment_id")};
    for (const auto& [k, value] : form)
        if (k == "topics")
            v.topics.push_back(value);
    return v;
}

// The form's own rules before the domain's: a campaign made here names its audience (topics,
// a segment, or both); the API may keep a draft without one until it is scheduled.
Result<CampaignInput> input_of(const RouteContext& ctx, const Values& v) {
    json body{{"name", v.name}, {"subject", v.subject}, {"preheader", v.preheader}, {"body_markdown", v.body},
              {"topics", v.topics}, {"segment_id", nullptr}};
    if (!v.segment.empty()) {
        auto segment = parse_id(v.segment);
        if (!segment)
            return fail(Error::invalid(tr(ctx, "campaigns.segment_unknown"), "segment_id"));
        body["segment_id"] = *segment;
    }
    if (!v.scheduled_at.empty())
        body["scheduled_at"] = v.scheduled_at.size() == 16 ? v.scheduled_at + ":00Z" : v.scheduled_at;
    auto in = TRY(parse_input(body, InputMode::Create));
    if (v.topics.empty() && v.segment.empty())
        return fail(Error::invalid(tr(ctx, "campaigns.audience_required"), "topics"));
    return in;
}

http::Response form_page(RouteContext& ctx, int status, std::optional<std::int64_t> id, const Values& v,
                         const std::string& error_field, const std::string& error) {
    std::vector<SegmentChoice> segment_list;
    auto choices = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) -> Result<std::vector<TopicChoice>> {
        segment_list = TRY(segment_choices(c));
        return topic_choices(c, ctx);
    });
    if (!choices)
        return failure(ctx, choices.error());
    json segments = json::array();
    for (const auto& sc : segment_list)
        segments.push_back({{"id", sc.id},
                            {"name", sc.name},
                            {"members", sc.members},
                            {"selected", v.segment == std::to_string(sc.id)}});
    json topics = json::array();
    for (const auto& t : *choices)
        topics.push_back({{"key", t.key},
                          {"name", t.name},
                          {"checked", std::find(v.topics.begin(), v.topics.end(), t.key) != v.topics.end()}});
    auto field = [&](const char* name, const std::string& value) {
        bool bad = error_field == name;
        return json{{"value", value}, {"has_error", bad}, {"error", bad ? json(error) : json(nullptr)}};
    };
    bool general = !error.empty() && error_field.empty();
    json data{{"action", id ? fmt::format("/admin/campaigns/{}/edit", *id) : "/admin/campaigns/new"},
              {"back", id ? fmt::format("/admin/campaigns/{}", *id) : "/admin/campaigns"},
              {"is_new", !id},
              {"has_errors", !error.empty()},
              {"error", error},
              {"general_error", general},
              {"name", field("name", v.name)},
              {"subject", field("subject", v.subject)},
              {"preheader", field("preheader", v.preheader)},
              {"body_markdown", field("body_markdown", v.body)},
              {"scheduled_at", field("scheduled_at", v.scheduled_at)},
              {"topics", topics},
              {"has_topics", !topics.empty()},
              {"topics_error", error_field == "topics" ? json(error) : json(nullptr)},
              {"segments", segments},
              {"has_segments", !segments.empty()},
              {"segment_error", error_field == "segment_id" ? json(error) : json(nullptr)}};
    return web::page(ctx, status, "campaign_form", data,
                     tr(ctx, id ? "campaigns.edit_title" : "campaigns.new_title"));
}

// The store's field names as the form names them.
std::string form_field_of(const Error& e) {
    if (e.field == "body")
        return "body_markdown";
    return e.field;
}

// The store refuses a segment that is gone (deleted while the form was open) in English; the
// form says it in the page's language.
std::string message_of(const RouteContext& ctx, const Error& e) {
    if (e.field == "segment_id")
        return tr(ctx, "campaigns.segment_unknown");
    return e.message;
}

json report_json(const RouteContext& ctx, const Report& r) {
    auto bar = [&](const char* key, std::int64_t n) {
        double pct = r.total > 0 ? 100.0 * static_cast<double>(n) / static_cast<double>(r.total) : 0.0;
        return json{{"label", tr(ctx, fmt::format("campaigns.report_{}", key))},
                    {"count", n},
                    {"percent", fmt::format("{:.0f}", pct)},
                    {"key", key}};
    };
    json bars = json::array({bar("queued", r.recipients.at("queued") + r.recipients.at("claimed")),
                             bar("sent", r.recipients.at("sent")), bar("bounced", r.recipients.at("bounced")),
                             bar("suppressed", r.recipients.at("suppressed")), bar("failed", r.recipients.at("failed")),
                             bar("cancelled", r.recipients.at("cancelled"))});
    json links = json::array();
    std::int64_t most = 1;
    for (const auto& l : r.links)
        most = std::max(most, l.clicks);
    for (const auto& l : r.links)
        links.push_back({{"url", l.url},
                         {"topic", l.topic},
                         {"clicks", l.clicks},
                         {"people", l.people},
                         {"percent", fmt::format("{:.0f}", 100.0 * static_cast<double>(l.clicks) /
                                                               static_cast<double>(most))}});
    json topics = json::array();
    for (const auto& [topic, n] : r.clicks_per_topic)
        topics.push_back({{"topic", topic}, {"people", n}});
    return {{"total", r.total},        {"bars", bars},
            {"links", links},          {"has_links", !links.empty()},
            {"topics", topics},        {"has_topics", !topics.empty()},
            {"people_clicked", r.people_clicked}, {"unsubscribes", r.unsubscribes},
            {"audience", r.audience}};
}

} // namespace

http::Response list(RouteContext& ctx) {
    store::ListQuery q;
    q.limit = 200;
    auto filter = ctx.req.query_param("status").value_or("");
    if (!filter.empty())
        q.state = parse_state(filter);
    auto found = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) { return store::list(c, q); });
    if (!found)
        return failure(ctx, found.error());
    json rows = json::array();
    for (const auto& k : *found)
        rows.push_back({{"href", fmt::format("/admin/campaigns/{}", k.id)},
                        {"name", k.name},
                        {"subject", k.subject},
                        {"state", state_label(ctx, k.state)},
                        {"state_key", to_string(k.state)},
                        {"when", k.started_at     ? web::display_time(ctx.locale, to_unix_ms(*k.started_at))
                                 : k.scheduled_at ? web::display_time(ctx.locale, to_unix_ms(*k.scheduled_at))
                                                  : std::string("–")}});
    json filters = json::array();
    for (const char* s : {"", "draft", "scheduled", "sending", "paused", "finished", "cancelled"})
        filters.push_back({{"value", s},
                           {"label", *s ? tr(ctx, fmt::format("campaigns.state_{}", s)) : tr(ctx, "campaigns.all")},
                           {"selected", filter == s}});
    return web::page(ctx, 200, "campaigns_list",
                     {{"rows", rows}, {"has_rows", !rows.empty()}, {"filters", filters},
                      {"deleted", ctx.req.query_param("deleted").has_value()}},
                     tr(ctx, "campaigns.title"));
}

http::Response new_form(RouteContext& ctx) { return form_page(ctx, 200, std::nullopt, {}, "", ""); }

http::Response create(RouteContext& ctx) {
    auto form = http::parse_form(ctx.req.body);
    auto v = values_of(form);
    auto in = input_of(ctx, v);
    if (!in)
        return form_page(ctx, 422, std::nullopt, v, form_field_of(in.error()), in.error().message);
    auto made = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
        return campaigns::create(c, *in, who_of(ctx), ctx.app.clock);
    });
    if (!made) {
        if (made.error().code == ErrorCode::InvalidArgument)
            return form_page(ctx, 422, std::nullopt, v, form_field_of(made.error()), message_of(ctx, made.error()));
        return failure(ctx, made.error());
    }
    if (ctx.app.worker)
        ctx.app.worker->notify();
    return http::Response::redirect(fmt::format("/admin/campaigns/{}", made->id));
}

http::Response detail(RouteContext& ctx) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return failure(ctx, Error::not_found(""));
    auto data = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) -> Result<json> {
        auto k = TRY(store::find(c, *id));
        if (!k)
            return fail(Error::not_found(""));
        auto r = TRY(report(c, *k));
        std::optional<SegmentChoice> segment;
        if (k->segment_id)
            segment = TRY(find_segment_choice(c, *k->segment_id));
        json out{{"id", k->id},
                 {"segment", segment ? json(fmt::format(fmt::runtime(tr(ctx, "campaigns.segment_with_members")),
                                                         segment->name, segment->members))
                                     : json(nullptr)},
                 {"href", fmt::format("/admin/campaigns/{}", k->id)},
                 {"name", k->name},
                 {"subject", k->subject},
                 {"preheader", k->preheader},
                 {"topics", fmt::format("{}", fmt::join(k->topics, ", "))},
                 {"state", state_label(ctx, k->state)},
                 {"state_key", to_string(k->state)},
                 {"is_draft", k->state == State::Draft},
                 {"is_scheduled", k->state == State::Scheduled},
                 {"can_send", k->state == State::Draft || k->state == State::Scheduled},
                 {"can_pause", k->state == State::Sending},
                 {"can_resume", k->state == State::Paused},
                 {"can_cancel", !is_terminal(k->state)},
                 {"scheduled_at", k->scheduled_at ? json(web::display_time(ctx.locale, to_unix_ms(*k->scheduled_at)))
                                                  : json(nullptr)},
                 {"started_at", k->started_at ? json(web::display_time(ctx.locale, to_unix_ms(*k->started_at)))
                                              : json(nullptr)},
                 {"finished_at", k->finished_at ? json(web::display_time(ctx.locale, to_unix_ms(*k->finished_at)))
                                                : json(nullptr)},
                 {"report", report_json(ctx, r)},
                 {"has_recipients", r.total > 0},
                 {"tested", ctx.req.query_param("tested").has_value()}};
        return out;
    });
    if (!data)
        return failure(ctx, data.error());
    // The preview as the first person of the audience, in a sandboxed frame (preview_document).
    (*data)["can_preview"] = ctx.app.campaign_mail != nullptr &&
                             staff::allows(ctx.who.role, staff::Permission::ManageCampaigns);
    return web::page(ctx, 200, "campaign_detail", *data, (*data)["name"].get<std::string>());
}

http::Response edit_form(RouteContext& ctx) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return failure(ctx, Error::not_found(""));
    auto k = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) { return store::find(c, *id); });
    if (!k)
        return failure(ctx, k.error());
    if (!*k)
        return failure(ctx, Error::not_found(""));
    if (auto e = check_editable(**k); !e)
        return failure(ctx, e.error());
    return form_page(ctx, 200, *id, values_of(**k), "", "");
}

http::Response update(RouteContext& ctx) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return failure(ctx, Error::not_found(""));
    auto v = values_of(http::parse_form(ctx.req.body));
    auto in = input_of(ctx, v);
    if (!in)
        return form_page(ctx, 422, *id, v, form_field_of(in.error()), in.error().message);
    if (v.scheduled_at.empty())
        in->scheduled_at.reset();
    auto changed = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
        return change(c, *id, *in, who_of(ctx), ctx.app.clock);
    });
    if (!changed) {
        if (changed.error().code == ErrorCode::InvalidArgument)
            return form_page(ctx, 422, *id, v, form_field_of(changed.error()), message_of(ctx, changed.error()));
        return failure(ctx, changed.error());
    }
    if (ctx.app.worker)
        ctx.app.worker->notify();
    return http::Response::redirect(fmt::format("/admin/campaigns/{}", *id));
}

} // namespace teilhabe::campaigns::pages
