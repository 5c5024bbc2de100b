#include "citizens/citizen_merge.h"

#include <algorithm>
#include <fmt/format.h>
#include <set>

namespace teilhabe::citizens {

namespace {

using nlohmann::json;

Result<Side> read_side(const json& v, const std::string& member) {
    auto side = v.is_string() ? parse_side(v.get<std::string>()) : std::nullopt;
    if (!side)
        return fail(Error::invalid(fmt::format("{} must be \"survivor\" or \"duplicate\"", member),
                                   member));
    return *side;
}

Result<void> read_prefer(const json& prefer, MergeChoices& out) {
    if (!prefer.is_object())
        return fail(Error::invalid("prefer must be an object of members and \"survivor\" or "
                                   "\"duplicate\"",
                                   "prefer"));
    for (const auto& [key, value] : prefer.items()) {
        if (key == "attributes") {
            if (!value.is_object())
                return fail(Error::invalid("prefer.attributes must be an object of field keys",
                                           "prefer.attributes"));
            for (const auto& [field, side] : value.items())
                out.prefer["attributes." + field] =
                    TRY(read_side(side, "prefer.attributes." + field));
        } else if (key == "email") {
            return fail(Error::invalid("The surviving profile keeps its e-mail address; change it "
                                       "after the merge if the duplicate's is the right one.",
                                       "prefer.email"));
        } else {
            // Which members exist is checked by plan_merge, which knows both profiles.
            out.prefer[key] = TRY(read_side(value, "prefer." + key));
        }
    }
    return {};
}

json scalar(const Citizen& c, std::string_view member) {
    if (member == "first_name")
        return c.first_name.empty() ? json(nullptr) : json(c.first_name);
    if (member == "last_name")
        return c.last_name.empty() ? json(nullptr) : json(c.last_name);
    if (member == "district")
        return c.district.empty() ? json(nullptr) : json(c.district);
    if (member == "language")
        return to_string(c.language);
    return to_string(c.preferred_channel);
}

void set_scalar(Citizen& c, std::string_view member, const Citizen& from) {
    if (member == "first_name")
        c.first_name = from.first_name;
    else if (member == "last_name")
        c.last_name = from.last_name;
    else if (member == "district")
        c.district = from.district;
    else if (member == "language")
        c.language = from.language;
    else
        c.preferred_channel = from.preferred_channel;
}

MergeItem compare(std::string member, json survivor, json duplicate, const MergeChoices& choices) {
    MergeItem item{std::move(member), std::move(survivor), std::move(duplicate)};
    if (item.survivor == item.duplicate || item.duplicate.is_null()) {
        item.kind =
            item.survivor == item.duplicate ? MergeItem::Kind::Same : MergeItem::Kind::OnlySurvivor;
    } else if (item.survivor.is_null()) {
        item.kind = MergeItem::Kind::OnlyDuplicate;
        item.taken = Side::Duplicate;
    } else {
        item.kind = MergeItem::Kind::Conflict;
        auto it = choices.prefer.find(item.member);
        item.taken = it == choices.prefer.end() ? Side::Survivor : it->second;
    }
    return item;
}

std::vector<std::string> united(const std::vector<std::string>& a,
                                const std::vector<std::string>& b) {
    std::vector<std::string> out;
    std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
    return out;
}

Result<void> check_choices(const MergeChoices& choices, const Citizen& survivor,
                           const Citizen& duplicate) {
    for (const auto& [member, _] : choices.prefer) {
        if (std::ranges::find(kMergeMembers, member) != kMergeMembers.end())
            continue;
        if (member.starts_with("attributes.")) {
            auto key = member.substr(11);
            if (survivor.attributes.contains(key) || duplicate.attributes.contains(key))
                continue;
            return fail(
                Error::invalid(fmt::format("Neither profile has a value for the field '{}'.", key),
                               "prefer." + member));
        }
        return fail(Error::invalid(
            fmt::format("'{}' cannot be chosen; the members are first_name, last_name, "
                        "language, preferred_channel, district and attributes",
                        member),
            "prefer." + member));
    }
    return {};
}

} // namespace

const char* to_string(Side s) {
    return s == Side::Duplicate ? "duplicate" : "survivor";
}

std::optional<Side> parse_side(std::string_view s) {
    if (s == "survivor")
        return Side::Survivor;
    if (s == "duplicate")
        return Side::Duplicate;
    return std::nullopt;
}

Result<MergeRequest> parse_merge_input(const json& body) {
    if (!body.is_object())
        return fail(Error::invalid("The body must be a JSON object."));
    MergeRequest out;
    bool has_id = false;
    for (const auto& [key, value] : body.items()) {
        if (key == "duplicate_id") {
            if (!value.is_number_integer() || value.get<std::int64_t>() <= 0)
                return fail(Error::invalid("duplicate_id must be the id of a citizen (a positive "
                                           "integer)",
                                           "duplicate_id"));
            out.duplicate_id = value.get<std::int64_t>();
            has_id = true;
        } else if (key == "prefer") {
            if (!value.is_null())
                TRY(read_prefer(value, out.choices));
        } else {
            return fail(Error::invalid(
                fmt::format("unknown member '{}'; a merge has duplicate_id and prefer", key), key));
        }
    }
    if (!has_id)
        return fail(Error::invalid("duplicate_id is missing: the profile to merge into this one",
                                   "duplicate_id"));
    return out;
}

std::vector<std::string> MergePlan::taken_from_duplicate() const {
    std::vector<std::string> out;
    for (const auto& item : items)
        if (item.taken == Side::Duplicate)
            out.push_back(item.member);
    return out;
}

Result<MergePlan> plan_merge(const Citizen& survivor, const Citizen& duplicate,
                             const MergeChoices& choices) {
    TRY(check_choices(choices, survivor, duplicate));
    MergePlan plan{survivor, {}};
    for (auto member : kMergeMembers) {
        auto item = compare(std::string(member), scalar(survivor, member),
                            scalar(duplicate, member), choices);
        if (item.taken == Side::Duplicate)
            set_scalar(plan.merged, member, duplicate);
        plan.items.push_back(std::move(item));
    }
    // Field keys of both, in byte order (nlohmann's objects are sorted maps).
    std::set<std::string> keys;
    for (const auto& [key, _] : survivor.attributes.items())
        keys.insert(key);
    for (const auto& [key, _] : duplicate.attributes.items())
        keys.insert(key);
    for (const auto& key : keys) {
        auto value = [&](const Citizen& c) {
            return c.attributes.contains(key) ? c.attributes[key] : json(nullptr);
        };
        auto item = compare("attributes." + key, value(survivor), value(duplicate), choices);
        if (item.taken == Side::Duplicate)
            plan.merged.attributes[key] = item.duplicate;
        plan.items.push_back(std::move(item));
    }
    plan.merged.tags = united(survivor.tags, duplicate.tags);
    plan.merged.interests = united(survivor.interests, duplicate.interests);
    if (plan.merged.tags.size() > kMaxTags)
        return fail(Error::invalid(
            fmt::format("Together the profiles have {} tags, more than the {} one person may "
                        "have; remove some first.",
                        plan.merged.tags.size(), kMaxTags),
            "tags"));
    if (plan.merged.interests.size() > kMaxInterests)
        return fail(Error::invalid(
            fmt::format("Together the profiles have {} interests, more than the {} one person "
                        "may have.",
                        plan.merged.interests.size(), kMaxInterests),
            "interests"));
    return plan;
}

} // namespace teilhabe::citizens
