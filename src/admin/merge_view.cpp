#include "admin/merge_view.h"

#include "admin/admin_store.h"
#include "admin/citizen_form.h"
#include "citizens/citizen_merge_store.h"
#include "citizens/field_store.h"
#include "staff/staff_store.h"

#include <fmt/format.h>

namespace teilhabe::admin::detail {

namespace {

using citizens::MergeItem;
using nlohmann::json;

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& s : items)
        out += (out.empty() ? "" : ", ") + s;
    return out.empty() ? "–" : out;
}

// A value as people read it: translated languages, channels and yes/no; "–" for none.
std::string shown(const web::RouteContext& ctx, const std::string& member, const json& value,
                  const std::vector<citizens::FieldDefinition>& defs) {
    if (value.is_null())
        return "–";
    if (member == "language")
        return tr(ctx, "citizens.lang_" + value.get<std::string>());
    if (member == "preferred_channel")
        return tr(ctx, "citizens.channel_" + value.get<std::string>());
    if (!member.starts_with("attributes."))
        return value.get<std::string>();
    auto type = citizens::FieldType::Text;
    for (const auto& d : defs)
        if ("attributes." + d.key == member)
            type = d.type;
    std::vector<std::string> texts;
    for (const auto& t : attribute_texts(type, value))
        texts.push_back(type == citizens::FieldType::Bool
                            ? tr(ctx, t == "yes" ? "common.yes" : "common.no")
                            : t);
    return joined(texts);
}

std::string label(const web::RouteContext& ctx, const std::string& member,
                  const std::vector<citizens::FieldDefinition>& defs) {
    for (const auto& d : defs)
        if ("attributes." + d.key == member)
            return field_label(ctx, d);
    if (member == "preferred_channel")
        return tr(ctx, "citizens.channel");
    return member.starts_with("attributes.") ? member.substr(11) : tr(ctx, "citizens." + member);
}

const char* outcome_key(MergeItem::Kind kind) {
    switch (kind) {
    case MergeItem::Kind::Same:
        return "merge.same";
    case MergeItem::Kind::OnlySurvivor:
        return "merge.kept";
    case MergeItem::Kind::OnlyDuplicate:
        return "merge.taken";
    case MergeItem::Kind::Conflict:
        return "merge.choose";
    }
    return "merge.same";
}

json plain_row(std::string label, std::string survivor, std::string duplicate,
               std::string outcome) {
    return {{"label", std::move(label)},
            {"survivor", std::move(survivor)},
            {"duplicate", std::move(duplicate)},
            {"outcome", std::move(outcome)},
            {"conflict", false}};
}

Result<std::int64_t> history_size(db::Connection& c, std::int64_t id) {
    auto row = TRY(c.query_one("SELECT COUNT(*) FROM activities WHERE citizen_id = ?", {id}));
    return row.get_int(0);
}

} // namespace

std::string person_name(const web::RouteContext& ctx, const citizens::Citizen& c) {
    std::string name =
        c.first_name + (c.first_name.empty() || c.last_name.empty() ? "" : " ") + c.last_name;
    return name.empty() ? tr(ctx, "citizens.no_name") : name;
}

MergeForm merge_form(const Form& form) {
    MergeForm out;
    for (const auto& [key, value] : form) {
        if (key == "duplicate")
            out.duplicate_id = parse_id(value);
        else if (key.starts_with("prefer."))
            if (auto side = citizens::parse_side(value))
                out.choices.prefer[key.substr(7)] = *side;
    }
    return out;
}

json merge_hidden_fields(std::int64_t duplicate_id, const citizens::MergeChoices& c) {
    json out = json::array({{{"name", "duplicate"}, {"value", std::to_string(duplicate_id)}}});
    for (const auto& [member, side] : c.prefer)
        out.push_back({{"name", "prefer." + member}, {"value", citizens::to_string(side)}});
    return out;
}

std::string merge_query(std::int64_t duplicate_id, const citizens::MergeChoices& c) {
    std::string out = "duplicate=" + std::to_string(duplicate_id);
    for (const auto& [member, side] : c.prefer)
        out += "&" + http::url_encode("prefer." + member) + "=" + citizens::to_string(side);
    return out;
}

Result<json> comparison_rows(db::Connection& c, const web::RouteContext& ctx,
                             const citizens::Citizen& survivor, const citizens::Citizen& duplicate,
                             const citizens::MergePlan& plan) {
    auto defs = TRY(citizens::store::list_fields(c));
    auto topics = TRY(store::topics(c));
    json rows = json::array();
    rows.push_back(plain_row(tr(ctx, "citizens.email"), survivor.email, duplicate.email,
                             tr(ctx, "merge.email_kept")));
    int n = 0;
    for (const auto& item : plan.items) {
        if (item.survivor.is_null() && item.duplicate.is_null())
            continue;
        auto row = plain_row(
            label(ctx, item.member, defs), shown(ctx, item.member, item.survivor, defs),
            shown(ctx, item.member, item.duplicate, defs), tr(ctx, outcome_key(item.kind)));
        if (item.kind == MergeItem::Kind::Conflict) {
            row["conflict"] = true;
            row["name"] = "prefer." + item.member;
            row["id"] = fmt::format("choice-{}", ++n);
            row["survivor_chosen"] = item.taken == citizens::Side::Survivor;
            row["duplicate_chosen"] = item.taken == citizens::Side::Duplicate;
        }
        rows.push_back(std::move(row));
    }
    auto topic_names = [&](const std::vector<std::string>& keys) {
        std::vector<std::string> out;
        for (const auto& k : keys) {
            std::string name = k;
            for (const auto& t : topics)
                if (t.key == k)
                    name = ctx.locale == web::Locale::En ? t.name_en : t.name_de;
            out.push_back(name);
        }
        return joined(out);
    };
    rows.push_back(plain_row(tr(ctx, "citizens.tags"), joined(survivor.tags),
                             joined(duplicate.tags), joined(plan.merged.tags)));
    rows.push_back(plain_row(tr(ctx, "citizens.interests"), topic_names(survivor.interests),
                             topic_names(duplicate.interests), topic_names(plan.merged.interests)));
    auto mine = TRY(history_size(c, survivor.id));
    auto theirs = TRY(history_size(c, duplicate.id));
    auto entries = [&](std::int64_t k) {
        return fmt::format(fmt::runtime(tr(ctx, "merge.entries")), k);
    };
    rows.push_back(plain_row(tr(ctx, "citizens.timeline"), entries(mine), entries(theirs),
                             entries(mine + theirs)));
    return rows;
}

Result<json> duplicate_hints(db::Connection& c, const web::RouteContext& ctx,
                             const citizens::Citizen& of) {
    auto found = TRY(citizens::store::possible_duplicates(c, of, 5));
    json out = json::array();
    for (const auto& p : found)
        out.push_back(
            {{"name", person_name(ctx, p)},
             {"email", p.email},
             {"district", opt(p.district)},
             {"href", fmt::format("/admin/citizens/{}/merge?duplicate={}", of.id, p.id)}});
    if (!found.empty())
        TRY(staff::store::audit(
            c,
            {ctx.who.actor(), "citizen.listed", "",
             fmt::format("{} profiles; possible duplicates of citizen:{}", found.size(), of.id),
             ctx.req.remote_addr},
            ctx.app.clock));
    return out;
}

} // namespace teilhabe::admin::detail
