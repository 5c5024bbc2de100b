#pragma once
// Two profiles of one person brought together (SPEC "One profile per citizen ...; merge of
// duplicates"): which values the survivor ends with. No SQL, no HTTP; the store
// (citizen_merge_store.h) applies the plan and moves the duplicate's history.

#include "citizens/citizen.h"

#include <array>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace teilhabe::citizens {

enum class Side { Survivor, Duplicate };
const char* to_string(Side s);
std::optional<Side> parse_side(std::string_view s);

// The profile members a choice can name, in the order of the profile. Not the e-mail address:
// the survivor keeps its own (the duplicate's address is free after the merge and can be set
// by a change of the profile).
inline constexpr std::array<std::string_view, 5> kMergeMembers = {
    "first_name", "last_name", "language", "preferred_channel", "district"};

// Member ("first_name", "attributes.birth_year") -> whose value the survivor keeps where both
// profiles have a value and they differ. Unnamed conflicts keep the survivor's value.
struct MergeChoices {
    std::map<std::string, Side> prefer;
};

struct MergeRequest {
    std::int64_t duplicate_id{0};
    MergeChoices choices;
};

// {"duplicate_id": 7, "prefer": {"first_name": "duplicate", "attributes": {"birth_year":
// "duplicate"}}}; InvalidArgument naming the member ("duplicate_id", "prefer.email") otherwise.
Result<MergeRequest> parse_merge_input(const nlohmann::json& body);

struct MergeItem {
    enum class Kind {
        Same,          // both have the same value (or both none)
        OnlySurvivor,  // the duplicate has none
        OnlyDuplicate, // the survivor has none: filled from the duplicate
        Conflict,      // both have one and they differ: a choice decides
    };
    std::string member;                 // "first_name", "attributes.birth_year"
    nlohmann::json survivor, duplicate; // the values as in to_json(Citizen); null when none
    Kind kind{Kind::Same};
    Side taken{Side::Survivor}; // whose value the merged profile has
};

struct MergePlan {
    Citizen merged;               // the survivor's id and e-mail, tags and interests united
    std::vector<MergeItem> items; // kMergeMembers, then every field either profile has a value of
    // Members whose value comes from the duplicate (for the activity and the audit entry).
    std::vector<std::string> taken_from_duplicate() const;
};

// The survivor's values stay; those it lacks come from the duplicate; where both differ, the
// survivor's stays unless `choices` prefers the duplicate's. A choice naming no member, or a
// field neither profile has a value for, is InvalidArgument ("prefer.<member>"); so are united
// tags or interests beyond what one profile may have (kMaxTags, kMaxInterests).
Result<MergePlan> plan_merge(const Citizen& survivor, const Citizen& duplicate,
                             const MergeChoices& choices);

} // namespace teilhabe::citizens
