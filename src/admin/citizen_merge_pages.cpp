// /admin/citizens/{id}/merge: another profile of the same person merged into this one. Choose
// the duplicate (search, or a hint of same-named people), compare side by side and choose per
// differing value, confirm, and land on the surviving profile.

#include "admin/citizen_pages.h"
#include "admin/merge_view.h"
#include "admin/page_support.h"
#include "citizens/citizen_merge_store.h"
#include "citizens/citizen_query.h"
#include "citizens/citizen_store.h"
#include "staff/staff_store.h"
#include "web/respond.h"

#include <fmt/format.h>

namespace teilhabe::admin {

using namespace detail;
using nlohmann::json;
using web::RouteContext;

namespace {

constexpr int kSearchResults = 20;

std::string base_of(std::int64_t id) {
    return fmt::format("/admin/citizens/{}", id);
}

json person(const RouteContext& ctx, const citizens::Citizen& c) {
    return {{"id", c.id},
            {"name", person_name(ctx, c)},
            {"email", c.email},
            {"district", opt(c.district)},
            {"href", base_of(c.id)}};
}

// People whose e-mail or name starts with `q`, without the survivor; audited like the list.
Result<json> search(db::Connection& c, const RouteContext& ctx, std::int64_t survivor,
                    const std::string& q) {
    auto query = citizens::parse_citizen_query({{"q", q}});
    if (!query)
        return json::array(); // a term the list would refuse finds nobody here
    query->limit = kSearchResults;
    auto page = TRY(citizens::store::list_citizens(c, *query));
    json out = json::array();
    for (const auto& p : page.items)
        if (p.id != survivor) {
            auto row = person(ctx, p);
            row["compare"] = fmt::format("{}/merge?duplicate={}", base_of(survivor), p.id);
            out.push_back(std::move(row));
        }
    TRY(staff::store::audit(c,
                            {ctx.who.actor(), "citizen.listed", "",
                             fmt::format("{} profiles; filters: q; merge search", out.size()),
                             ctx.req.remote_addr},
                            ctx.app.clock));
    return out;
}

http::Response choose_page(RouteContext& ctx, std::int64_t id) {
    std::string q = ctx.req.query_param("q").value_or("");
    auto data = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<json> {
        auto survivor = TRY(citizens::store::find_citizen(c, id));
        if (!survivor)
            return fail(Error::not_found("no such citizen"));
        json results = q.empty() ? json::array() : TRY(search(c, ctx, id, q));
        json hints = TRY(duplicate_hints(c, ctx, *survivor));
        return json{{"survivor", person(ctx, *survivor)},
                    {"base", base_of(id)},
                    {"intro", fmt::format(fmt::runtime(tr(ctx, "merge.choose_intro")),
                                          person_name(ctx, *survivor), survivor->email)},
                    {"q", q},
                    {"searched", !q.empty()},
                    {"results", results},
                    {"has_results", !results.empty()},
                    {"suggestions", hints},
                    {"has_suggestions", !hints.empty()}};
    });
    if (!data)
        return failure(ctx, data.error(), "merge choose");
    return web::page(ctx, 200, "citizen_merge_choose", *data, tr(ctx, "merge.choose_title"));
}

// The message above the comparison for a refusal of the store; false when it is not one.
bool refusal(const RouteContext& ctx, const Error& e, json& data) {
    std::string key = e.code == ErrorCode::Conflict          ? "merge.errors.restricted"
                      : e.field == "duplicate_id"            ? "merge.errors.self"
                      : e.code == ErrorCode::InvalidArgument ? "merge.errors.invalid"
                                                             : "";
    if (key.empty())
        return false;
    data["error"] = tr(ctx, key);
    data["detail"] = opt(e.message);
    return true;
}

// Both profiles side by side; reading them is audited like opening each profile.
http::Response compare_page(RouteContext& ctx, int status, std::int64_t id, const MergeForm& form,
                            const std::optional<Error>& error) {
    std::int64_t other = *form.duplicate_id;
    if (other == id) {
        json self{{"base", base_of(id)}, {"error", tr(ctx, "merge.errors.self")}};
        return web::page(ctx, 422, "citizen_merge_compare", self, tr(ctx, "merge.compare_title"));
    }
    auto data = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<json> {
        auto survivor = TRY(citizens::store::read_citizen(c, id, actor_of(ctx), ctx.app.clock));
        auto duplicate = TRY(citizens::store::read_citizen(c, other, actor_of(ctx), ctx.app.clock));
        json out{{"base", base_of(id)}, {"error", nullptr}, {"detail", nullptr}};
        auto plan = citizens::plan_merge(survivor, duplicate, form.choices);
        if (!plan) // choices from an edited address: start again from none
            plan = citizens::plan_merge(survivor, duplicate, {});
        if (!plan) { // e.g. too many tags together: say why, offer nothing to submit
            refusal(ctx, plan.error(), out);
            return out;
        }
        auto rows = TRY(comparison_rows(c, ctx, survivor, duplicate, *plan));
        bool blocked = survivor.restricted_at || duplicate.restricted_at;
        out.update({{"compared", true},
                    {"survivor", person(ctx, survivor)},
                    {"duplicate", person(ctx, duplicate)},
                    {"swap", fmt::format("{}/merge?duplicate={}", base_of(other), id)},
                    {"rows", rows},
                    {"blocked", blocked}});
        if (blocked)
            out["error"] = tr(ctx, "merge.errors.restricted");
        if (error)
            refusal(ctx, *error, out);
        return out;
    });
    if (!data)
        return failure(ctx, data.error(), "merge compare");
    return web::page(ctx, status, "citizen_merge_compare", *data, tr(ctx, "merge.compare_title"));
}

template <class F> http::Response with_id(RouteContext& ctx, F&& fn) {
    auto id = parse_id(ctx.req.param("id"));
    if (!id)
        return not_found(ctx);
    return fn(*id);
}

} // namespace

http::Response citizen_merge_form(RouteContext& ctx) {
    return with_id(ctx, [&](std::int64_t id) {
        auto form = merge_form(http::parse_form(ctx.req.query));
        if (!form.duplicate_id)
            return choose_page(ctx, id);
        return compare_page(ctx, 200, id, form, std::nullopt);
    });
}

// The last look before an irreversible step: who goes into whom, with the choices carried on.
http::Response citizen_merge_confirm(RouteContext& ctx) {
    return with_id(ctx, [&](std::int64_t id) {
        auto form = merge_form(http::parse_form(ctx.req.query));
        if (!form.duplicate_id || *form.duplicate_id == id)
            return http::Response::redirect(base_of(id) + "/merge");
        auto pair = ctx.app.db.transaction(
            db::TxMode::Read,
            [&](db::Connection& c) -> Result<std::pair<citizens::Citizen, citizens::Citizen>> {
                auto survivor = TRY(citizens::store::find_citizen(c, id));
                auto duplicate = TRY(citizens::store::find_citizen(c, *form.duplicate_id));
                if (!survivor || !duplicate)
                    return fail(Error::not_found("no such citizen"));
                return std::make_pair(std::move(*survivor), std::move(*duplicate));
            });
        if (!pair)
            return failure(ctx, pair.error(), "merge confirm");
        const auto& [survivor, duplicate] = *pair;
        auto back =
            fmt::format("{}/merge?{}", base_of(id), merge_query(duplicate.id, form.choices));
        json data{{"heading", tr(ctx, "merge.confirm_title")},
                  {"question", fmt::format(fmt::runtime(tr(ctx, "merge.confirm_question")),
                                           person_name(ctx, duplicate), duplicate.email,
                                           person_name(ctx, survivor), survivor.email)},
                  {"explanation", tr(ctx, "merge.confirm_explanation")},
                  {"action", base_of(id) + "/merge"},
                  {"submit", tr(ctx, "merge.confirm_submit")},
                  {"cancel", back},
                  {"fields", merge_hidden_fields(duplicate.id, form.choices)}};
        return web::page(ctx, 200, "confirm", data, tr(ctx, "merge.confirm_title"));
    });
}

// The merge itself (CSRF checked by the dispatcher); refusals go back to the comparison.
http::Response citizen_merge(RouteContext& ctx) {
    return with_id(ctx, [&](std::int64_t id) {
        auto form = merge_form(http::parse_form(ctx.req.body));
        if (!form.duplicate_id)
            return http::Response::redirect(base_of(id) + "/merge");
        auto merged = ctx.app.db.transaction(db::TxMode::Write, [&](db::Connection& c) {
            return citizens::store::merge_citizens(c, id, {*form.duplicate_id, form.choices},
                                                   actor_of(ctx), ctx.app.clock);
        });
        if (merged)
            return http::Response::redirect(base_of(id) + "?merged=1");
        const Error& e = merged.error();
        if (e.code == ErrorCode::Conflict || e.code == ErrorCode::InvalidArgument)
            return compare_page(ctx, e.code == ErrorCode::Conflict ? 409 : 422, id, form, e);
        return failure(ctx, e, "citizen merge");
    });
}

} // namespace teilhabe::admin
