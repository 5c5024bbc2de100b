#include "portal/me_service.h"

#include "activity/activity_store.h"
#include "citizens/citizen_store.h"
#include "citizens/field_store.h"
#include "citizens/field_value.h"
#include "portal/profiling_store.h"

#include <fmt/format.h>

namespace teilhabe::portal {

namespace {

Result<citizens::Citizen> own_citizen(db::Connection& c, std::int64_t citizen_id) {
    auto found = TRY(citizens::store::find_citizen(c, citizen_id));
    if (!found)
        return fail(Error::not_found(fmt::format("There is no citizen {}.", citizen_id)));
    return std::move(*found);
}

Result<std::vector<citizens::FieldDefinition>> portal_fields(db::Connection& c) {
    std::vector<citizens::FieldDefinition> out;
    for (auto& f : TRY(citizens::store::list_fields(c))) // ordered by portal_order, key
        if (f.ask_in_portal)
            out.push_back(std::move(f));
    return out;
}

Result<citizens::FieldDefinition> portal_field(db::Connection& c, std::string_view key) {
    auto f = TRY(citizens::store::find_field(c, key));
    if (!f || !f->ask_in_portal)
        return fail(Error::not_found(fmt::format("There is no question '{}'.", key)));
    return std::move(*f);
}

Error not_yours(const std::string& member) {
    return Error{ErrorCode::PermissionDenied,
                 member + " is kept by the town hall and cannot be changed in the portal.", member};
}

Result<void> record(db::Connection& c, const char* type, std::int64_t citizen_id,
                    const std::string& key, const citizens::Actor& who, const Clock& clock) {
    activity::Activity a;
    a.type = type;
    a.citizen_id = citizen_id;
    a.actor = who.id;
    a.object = "field:" + key;
    a.props = nlohmann::json{{"field", key}}.dump();
    TRY(activity::append(c, std::move(a), clock));
    return {};
}

bool empty_value(const nlohmann::json& v) {
    return v.is_null() || (v.is_string() && v.get_ref<const std::string&>().empty()) ||
           (v.is_array() && v.empty());
}

} // namespace

Result<OwnProfile> load_own_profile(db::Connection& c, std::int64_t citizen_id) {
    OwnProfile out;
    out.citizen = TRY(own_citizen(c, citizen_id));
    out.fields = TRY(portal_fields(c));
    return out;
}

Result<citizens::Citizen> update_own_profile(db::Connection& c, std::int64_t citizen_id,
                                             const citizens::CitizenChanges& in,
                                             const citizens::Actor& who, const Clock& clock) {
    // The address is the log-in: it changes only with a new verification (the accounts part).
    if (in.email)
        return fail(not_yours("email"));
    if (in.tags)
        return fail(not_yours("tags"));
    if (in.interests)
        return fail(not_yours("interests"));
    if (in.clear_attributes)
        return fail(not_yours("attributes"));
    for (const auto& [key, value] : in.attributes) {
        auto f = TRY(citizens::store::find_field(c, key));
        if (!f || !f->ask_in_portal)
            return fail(not_yours("attributes." + key));
    }
    return citizens::store::update_citizen(c, citizen_id, in, who, clock);
}

Result<std::vector<citizens::FieldDefinition>> open_questions(db::Connection& c,
                                                              std::int64_t citizen_id,
                                                              const ProfilingPolicy& policy,
                                                              const Clock& clock) {
    auto person = TRY(own_citizen(c, citizen_id));
    if (person.restricted_at)
        return std::vector<citizens::FieldDefinition>{}; // GDPR Art. 18: no new processing
    auto declines = TRY(store::declines_of(c, citizen_id));
    return next_questions(TRY(portal_fields(c)), person.attributes, declines, clock.now_ms(),
                          policy);
}

Result<void> answer_question(db::Connection& c, std::int64_t citizen_id, std::string_view key,
                             const nlohmann::json& value, const ProfilingPolicy& policy,
                             const citizens::Actor& who, const Clock& clock) {
    auto field = TRY(portal_field(c, key));
    if (empty_value(value))
        return fail(
            Error::invalid("Give an answer, or choose \"not now\".", "attributes." + field.key));
    auto person = TRY(own_citizen(c, citizen_id));
    auto declines = TRY(store::declines_of(c, citizen_id));
    // A declined question answered all the same (an old page) is welcome; one that has an
    // answer already is changed on the profile page, not here.
    ProfilingPolicy any_time = policy;
    any_time.ask_again_after = Millis(0);
    if (!may_ask(field, person.attributes, declines, clock.now_ms(), any_time))
        return fail(Error::precondition("This question has been answered already."));
    citizens::CitizenChanges in;
    in.attributes.emplace_back(field.key, value);
    TRY(update_own_profile(c, citizen_id, in, who, clock));
    TRY(store::forget_decline(c, citizen_id, field.id));
    return record(c, "portal.answered", citizen_id, field.key, who, clock);
}

Result<void> decline_question(db::Connection& c, std::int64_t citizen_id, std::string_view key,
                              const citizens::Actor& who, const Clock& clock) {
    auto field = TRY(portal_field(c, key));
    auto person = TRY(own_citizen(c, citizen_id));
    if (person.restricted_at)
        return fail(
            Error::conflict("Processing of this person's data is restricted (GDPR Art. 18)."));
    TRY(store::record_decline(c, citizen_id, field.id, clock.now_ms()));
    return record(c, "portal.declined", citizen_id, field.key, who, clock);
}

} // namespace teilhabe::portal
