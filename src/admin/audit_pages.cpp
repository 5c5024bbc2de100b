// /admin/audit: the data-protection officer's working screen over the audit log (GDPR Art.
// 5(2) accountability): filters in the address (a shareable link), pages of older entries,
// and a CSV download of the filtered entries for a supervisory authority, itself audited.

#include "admin/audit_filter.h"
#include "admin/audit_store.h"
#include "admin/page_support.h"
#include "admin/pages.h"
#include "citizens/citizen_store.h"
#include "staff/staff_store.h"
#include "web/respond.h"

#include <algorithm>
#include <fmt/format.h>

namespace teilhabe::admin {

using namespace detail;
using nlohmann::json;
using web::RouteContext;

namespace {

constexpr int kPageSize = 50;
constexpr int kCsvBatch = 1000;
// A download holds at most this many entries; a larger one is refused with a request to
// narrow the filters (the whole file is built in memory).
constexpr std::size_t kCsvMaxRows = 100'000;

std::string link_with(std::string base, const Form& params) {
    char sep = '?';
    for (const auto& [k, v] : params) {
        base += sep + k + "=" + http::url_encode(v);
        sep = '&';
    }
    return base;
}

// The text of an action ("Profil gelesen"), or the action itself when there is none.
std::string action_label(const RouteContext& ctx, const std::string& action) {
    std::string key = "audit.actions." + action;
    std::replace(key.begin() + 14, key.end(), '.', '_');
    std::string text = tr(ctx, key);
    return text == key ? action : text;
}

struct Names {
    std::map<std::string, std::string> by_actor;
    std::string operator()(const RouteContext& ctx, const std::string& actor) const {
        if (auto it = by_actor.find(actor); it != by_actor.end())
            return it->second;
        if (actor == "system" || actor.starts_with("system:"))
            return tr(ctx, "audit.system") + (actor.size() > 6 ? " (" + actor.substr(7) + ")" : "");
        return actor;
    }
};

Names names_of(const std::vector<store::Principal>& principals) {
    Names n;
    for (const auto& p : principals)
        n.by_actor[p.actor] = p.name;
    return n;
}

// The subject typed as an e-mail address is looked up: the log names people by number only.
// False when there is no such profile (an erased person is found by their former number).
Result<bool> resolve_subject(db::Connection& c, AuditQuery& q) {
    if (!q.subject_email)
        return true;
    auto id = TRY(citizens::store::find_citizen_id_by_email(c, *q.subject_email));
    if (!id)
        return false;
    q.subject = fmt::format("citizen:{}", *id);
    q.subject_email.reset();
    return true;
}

json select_options(const std::vector<std::pair<std::string, std::string>>& values,
                    const std::string& chosen) {
    json out = json::array();
    bool found = chosen.empty();
    for (const auto& [value, label] : values) {
        out.push_back({{"value", value}, {"label", label}, {"selected", value == chosen}});
        found = found || value == chosen;
    }
    // A value from a shared link that the list does not hold (an erased account, an action
    // that is no longer written) stays chosen rather than silently dropped.
    if (!found)
        out.push_back({{"value", chosen}, {"label", chosen}, {"selected", true}});
    return out;
}

json row_of(const RouteContext& ctx, const Names& names, const store::AuditRow& r) {
    return {{"at", format_iso8601(from_unix_ms(r.at))},
            {"at_display", web::display_time(ctx.locale, r.at)},
            {"actor", names(ctx, r.actor)},
            {"actor_code", r.actor},
            {"actor_href", link_with("/admin/audit", {{"actor", r.actor}})},
            {"action", action_label(ctx, r.action) == r.action ? json(nullptr)
                                                               : json(action_label(ctx, r.action))},
            {"action_code", r.action},
            {"subject", opt(r.subject)},
            {"subject_href", link_with("/admin/audit", {{"subject", r.subject}})},
            {"detail", opt(r.detail)},
            {"ip", opt(r.ip)}};
}

json field_of(const RouteContext& ctx, const std::string& value, const AuditFilterErrors& errors,
              const std::string& member) {
    auto it = errors.find(member);
    return {
        {"value", value},
        {"error", it == errors.end() ? json(nullptr) : json(tr(ctx, "audit.errors." + it->second))},
        {"has_error", it != errors.end()}};
}

http::Response render(RouteContext& ctx, const AuditFilterInput& in, ParsedAuditFilter parsed) {
    auto data = ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) -> Result<json> {
        auto principals = TRY(store::principals(c));
        auto actions = TRY(store::audit_actions(c));
        if (!TRY(resolve_subject(c, parsed.query)))
            parsed.errors["subject"] = "no_person";
        Names names = names_of(principals);
        store::AuditPage page;
        parsed.query.limit = kPageSize;
        if (parsed.errors.empty())
            page = TRY(store::audit_page(c, parsed.query));
        std::vector<std::pair<std::string, std::string>> actor_values{
            {"system", tr(ctx, "audit.system")}};
        for (const auto& p : principals)
            actor_values.emplace_back(p.actor,
                                      p.api_key ? tr(ctx, "audit.api_key") + " " + p.name : p.name);
        std::vector<std::pair<std::string, std::string>> action_values;
        for (const auto& a : actions)
            action_values.emplace_back(a, action_label(ctx, a) +
                                              (action_label(ctx, a) == a ? "" : " (" + a + ")"));
        json rows = json::array();
        for (const auto& r : page.rows)
            rows.push_back(row_of(ctx, names, r));
        Form params = filter_params(in);
        bool filtered = !params.empty();
        const auto& e = parsed.errors;
        return json{
            {"actors", select_options(actor_values, in.actor)},
            {"actions", select_options(action_values, in.action)},
            {"actor", field_of(ctx, in.actor, e, "actor")},
            {"action", field_of(ctx, in.action, e, "action")},
            {"subject", field_of(ctx, in.subject, e, "subject")},
            {"from", field_of(ctx, in.from, e, "from")},
            {"to", field_of(ctx, in.to, e, "to")},
            {"ip", field_of(ctx, in.ip, e, "ip")},
            {"has_errors", !e.empty()},
            {"cursor_error", e.contains("cursor")},
            {"rows", rows},
            {"has_rows", !rows.empty()},
            {"count", fmt::format(fmt::runtime(tr(ctx, "audit.count")), rows.size())},
            {"filtered", filtered},
            {"empty_all", e.empty() && rows.empty() && !filtered && in.cursor.empty()},
            {"empty_filtered", e.empty() && rows.empty() && (filtered || !in.cursor.empty())},
            {"paged", !in.cursor.empty()},
            {"has_pager", !in.cursor.empty() || page.next.has_value()},
            {"first", link_with("/admin/audit", params)},
            {"download", link_with("/admin/audit/export", params)},
            {"next", page.next ? json(link_with("/admin/audit",
                                                [&] {
                                                    Form p = params;
                                                    p.emplace_back("cursor", to_string(*page.next));
                                                    return p;
                                                }()))
                               : json(nullptr)}};
    });
    if (!data)
        return failure(ctx, data.error(), "audit log");
    // Filters that cannot be used are a 400 with the message beside each field.
    int status = (*data)["has_errors"].get<bool>() ? 400 : 200;
    return web::page(ctx, status, "audit", *data, tr(ctx, "audit.title"));
}

// Every matching entry, oldest page last, in batches along the same index as the screen.
Result<std::optional<std::vector<store::AuditRow>>> all_entries(db::Connection& c, AuditQuery q) {
    std::vector<store::AuditRow> out;
    q.limit = kCsvBatch;
    for (;;) {
        auto page = TRY(store::audit_page(c, q));
        out.insert(out.end(), page.rows.begin(), page.rows.end());
        if (out.size() > kCsvMaxRows)
            return std::optional<std::vector<store::AuditRow>>{};
        if (!page.next)
            return std::optional<std::vector<store::AuditRow>>(std::move(out));
        q.before = page.next;
    }
}

std::string filters_text(const AuditQuery& q, const AuditFilterInput& in) {
    std::string out;
    auto add = [&](const char* name, const std::string& v) {
        if (!v.empty())
            out += (out.empty() ? "" : ", ") + std::string(name) + "=" + v;
    };
    add("actor", in.actor);
    add("action", in.action);
    // The person by number: an e-mail address typed into the filter is not repeated in the log.
    add("subject", q.subject.value_or(""));
    add("from", in.from);
    add("to", in.to);
    add("ip", in.ip);
    return out.empty() ? "none" : out;
}

} // namespace

http::Response audit_log(RouteContext& ctx) {
    auto in = read_audit_filter(http::parse_form(ctx.req.query));
    return render(ctx, in, parse_audit_filter(in));
}

// GET /admin/audit/export?<filters>: the filtered entries as CSV, newest first. The download
// hands personal data (who looked at whom, from where) out of the system, so it is audited
// before the file leaves; no entry, no file.
http::Response audit_download(RouteContext& ctx) {
    auto in = read_audit_filter(http::parse_form(ctx.req.query));
    in.cursor.clear();
    auto parsed = parse_audit_filter(in);
    if (!parsed.errors.empty())
        return render(ctx, in, std::move(parsed));
    auto& q = parsed.query;
    auto rows = ctx.app.db.transaction(
        db::TxMode::Read,
        [&](db::Connection& c) -> Result<std::optional<std::vector<store::AuditRow>>> {
            if (!TRY(resolve_subject(c, q)))
                return std::optional<std::vector<store::AuditRow>>{std::vector<store::AuditRow>{}};
            return all_entries(c, q);
        });
    if (!rows)
        return failure(ctx, rows.error(), "audit download");
    if (q.subject_email)
        return render(ctx, in, parse_audit_filter(in)); // says "no such person" beside the field
    if (!*rows)
        return web::error_page(ctx, 422,
                               fmt::format(fmt::runtime(tr(ctx, "audit.too_many")), kCsvMaxRows));
    auto names = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<Names> {
        TRY(staff::store::audit(
            c,
            {ctx.who.actor(), "audit.exported", q.subject.value_or(""),
             fmt::format("{} entries as CSV; filters: {}", (*rows)->size(), filters_text(q, in)),
             ctx.req.remote_addr},
            ctx.app.clock));
        return names_of(TRY(store::principals(c)));
    });
    if (!names)
        return failure(ctx, names.error(), "audit download");
    // UTF-8 with a byte-order mark, so that spreadsheet programs show umlauts as they are.
    std::string csv = "\xEF\xBB\xBF" + csv_line({"id", "at", "actor", "actor_name", "action",
                                                 "subject", "detail", "ip"});
    for (const auto& r : **rows)
        csv += csv_line({std::to_string(r.id), format_iso8601(from_unix_ms(r.at)), r.actor,
                         (*names)(ctx, r.actor), r.action, r.subject, r.detail, r.ip});
    auto r = http::Response::text(200, std::move(csv), "text/csv; charset=utf-8");
    std::string day = format_iso8601(ctx.app.clock.now()).substr(0, 10);
    r.set_header("Content-Disposition",
                 fmt::format("attachment; filename=\"teilhabe-audit-{}.csv\"", day));
    return r;
}

} // namespace teilhabe::admin
