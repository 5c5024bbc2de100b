#include "citizens/citizen_merge_store.h"

#include "citizens/citizen_rows.h"
#include "citizens/citizen_store.h"
#include "citizens/store_support.h"
#include "citizens/text.h"
#include "db/dialect.h"
#include "gdpr/person_merge.h"

#include <fmt/format.h>

namespace teilhabe::citizens::store {

namespace {

std::string subject(std::int64_t id) {
    return "citizen:" + std::to_string(id);
}

std::string joined(const std::vector<std::string>& keys) {
    std::string out;
    for (const auto& k : keys)
        out += (out.empty() ? "" : ", ") + k;
    return out.empty() ? "nothing" : out;
}

// Both rows locked in id order, so two merges of the same pair never deadlock (PostgreSQL).
Result<std::pair<Citizen, Citizen>> lock_pair(db::Connection& c, std::int64_t survivor_id,
                                              std::int64_t duplicate_id) {
    TRY(c.query(fmt::format("SELECT id FROM citizens WHERE id IN (?, ?) ORDER BY id{}",
                            db::dialect::for_update(c.backend())),
                {survivor_id, duplicate_id}));
    auto survivor = TRY(find_citizen(c, survivor_id));
    if (!survivor)
        return fail(Error::not_found(fmt::format("There is no citizen {}.", survivor_id)));
    auto duplicate = TRY(find_citizen(c, duplicate_id));
    if (!duplicate)
        return fail(Error::not_found(fmt::format("There is no citizen {}.", duplicate_id)));
    return std::make_pair(std::move(*survivor), std::move(*duplicate));
}

// GDPR Art. 18: a restricted profile is only stored; merging would process it.
Result<void> refuse_restricted(const Citizen& c, std::string_view role) {
    if (!c.restricted_at)
        return {};
    return fail(Error::conflict(fmt::format(
        "Processing of the {} profile (citizen {}) is restricted (GDPR Art. 18), so it cannot be "
        "merged; the data protection officer can lift the restriction first.",
        role, c.id)));
}

// The survivor's values of the fields whose value is taken from the duplicate go first; the
// duplicate's then move in with its other rows (gdpr::move_person_rows).
Result<void> make_room_for_chosen_values(db::Connection& c, const MergePlan& plan) {
    for (const auto& item : plan.items)
        if (item.kind == MergeItem::Kind::Conflict && item.taken == Side::Duplicate &&
            item.member.starts_with("attributes."))
            TRY(c.query("DELETE FROM citizen_values WHERE citizen_id = ? AND field_id = (SELECT "
                        "id FROM fields WHERE key = ?)",
                        {plan.merged.id, item.member.substr(11)}));
    return {};
}

Result<void> write_scalars(db::Connection& c, const Citizen& n, const Clock& clock) {
    TRY(c.query("UPDATE citizens SET first_name = ?, last_name = ?, first_name_search = ?, "
                "last_name_search = ?, language = ?, preferred_channel = ?, district = ?, "
                "updated_at = ? WHERE id = ?",
                {n.first_name, n.last_name, lower(n.first_name), lower(n.last_name),
                 to_string(n.language), to_string(n.preferred_channel), n.district, clock.now_ms(),
                 n.id}));
    return {};
}

Result<void> record_merge(db::Connection& c, const Citizen& duplicate, const MergePlan& plan,
                          const Actor& who, const Clock& clock) {
    auto taken = plan.taken_from_duplicate();
    std::int64_t id = plan.merged.id;
    // The duplicate's address is kept in the history, as the brief record of whom it was; the
    // values taken are named by their members only (as citizen.updated does).
    TRY(detail::record_activity(c, "citizen.merged", id, subject(id),
                                {{"duplicate_id", duplicate.id},
                                 {"duplicate_email", duplicate.email},
                                 {"taken_from_duplicate", taken}},
                                who, clock));
    TRY(detail::audit(c, who, "citizen.merged", subject(id),
                      fmt::format("merged citizen:{} into it; taken from the duplicate: {}",
                                  duplicate.id, joined(taken)),
                      clock));
    // Looking up the former profile in the audit log leads to where it went.
    return detail::audit(c, who, "citizen.merged_into", subject(duplicate.id),
                         fmt::format("merged into citizen:{}", id), clock);
}

} // namespace

Result<Citizen> merge_citizens(db::Connection& c, std::int64_t survivor_id,
                               const MergeRequest& request, const Actor& who, const Clock& clock) {
    if (request.duplicate_id == survivor_id)
        return fail(Error::invalid("A profile cannot be merged into itself; choose the other "
                                   "profile of the person.",
                                   "duplicate_id"));
    auto [survivor, duplicate] = TRY(lock_pair(c, survivor_id, request.duplicate_id));
    TRY(refuse_restricted(survivor, "surviving"));
    TRY(refuse_restricted(duplicate, "duplicate"));
    MergePlan plan = TRY(plan_merge(survivor, duplicate, request.choices));

    TRY(make_room_for_chosen_values(c, plan));
    TRY(write_scalars(c, plan.merged, clock));
    TRY(gdpr::move_person_rows(c, duplicate.id, survivor.id, who.id, clock.now()));
    TRY(c.query("DELETE FROM citizens WHERE id = ?", {duplicate.id}));
    TRY(gdpr::expect_nothing_left(c, duplicate.id, "the merge"));
    TRY(record_merge(c, duplicate, plan, who, clock));

    auto merged = TRY(find_citizen(c, survivor.id));
    // What the rows say must be what the plan said; otherwise roll everything back.
    if (!merged || merged->tags != plan.merged.tags || merged->interests != plan.merged.interests ||
        merged->attributes != plan.merged.attributes)
        return fail(Error::internal(
            fmt::format("merging citizen {} into {} did not give the planned profile", duplicate.id,
                        survivor.id)));
    return std::move(*merged);
}

Result<std::vector<Citizen>> possible_duplicates(db::Connection& c, const Citizen& of, int limit) {
    std::vector<Citizen> out;
    if (of.first_name.empty() || of.last_name.empty())
        return out;
    auto rows = TRY(c.query(
        fmt::format("SELECT {} FROM citizens c WHERE c.last_name_search = ? AND "
                    "c.first_name_search = ? AND c.id <> ? ORDER BY CASE WHEN c.district = ? "
                    "THEN 0 ELSE 1 END, c.id LIMIT ?",
                    detail::kCitizenColumns),
        {lower(of.last_name), lower(of.first_name), of.id, of.district,
         static_cast<std::int64_t>(limit)}));
    for (const auto& r : rows.rows)
        out.push_back(detail::citizen_from_row(r));
    return out;
}

} // namespace teilhabe::citizens::store
