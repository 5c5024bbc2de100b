#include "portal/preferences.h"

#include "citizens/citizen_store.h"
#include "consent/consent_store.h"
#include "consent/service.h"
#include "consent/topic_store.h"
#include "portal/account_store.h"

#include <algorithm>
#include <fmt/format.h>
#include <set>

namespace teilhabe::portal {

Result<Preferences> load_preferences(db::Connection& c, std::int64_t citizen_id) {
    auto person = TRY(citizens::store::find_citizen(c, citizen_id));
    if (!person)
        return fail(Error::not_found(fmt::format("There is no citizen {}.", citizen_id)));
    Preferences out;
    out.language = person->language;
    out.channel = person->preferred_channel;
    auto confirmed = TRY(consent::store::confirmed_topics(c, citizen_id));
    std::set<std::int64_t> held(confirmed.begin(), confirmed.end());
    for (auto& t : TRY(consent::store::list_topics(c))) {
        bool subscribed = held.contains(t.id);
        // Internal topics are shown only to those who hold them (to let them go).
        if (!t.active() || (!t.is_public && !subscribed))
            continue;
        out.topics.push_back({std::move(t), subscribed});
    }
    out.tracking = TRY(consent::store::tracking_allowed(c, citizen_id));
    out.newsletter_text = TRY(consent::store::current_text(c, consent::TextKind::Newsletter));
    out.tracking_text = TRY(consent::store::current_text(c, consent::TextKind::Tracking));
    return out;
}

Result<void> change_preferences(db::Connection& c, std::int64_t citizen_id,
                                const PreferenceChange& change, AddressVerified verified,
                                const consent::Proof& proof, const citizens::Actor& who,
                                const Clock& clock) {
    auto before = TRY(load_preferences(c, citizen_id));
    bool new_topic = false;
    for (auto id : change.topic_ids)
        new_topic = new_topic || std::none_of(before.topics.begin(), before.topics.end(),
                                              [&](const TopicChoice& t) {
                                                  return t.topic.id == id && t.subscribed;
                                              });
    bool new_tracking = change.tracking && !before.tracking;
    if ((new_topic || new_tracking) && verified == AddressVerified::No)
        return fail(Error{ErrorCode::FailedPrecondition,
                          "The account's e-mail address is not verified yet.", "verification"});
    // GDPR Art. 7(1): the proof names the text the person saw; if it changed meanwhile they
    // are shown the new one first.
    if ((new_topic && change.newsletter_text_id != before.newsletter_text.id) ||
        (new_tracking && change.tracking_text_id != before.tracking_text.id))
        return fail(Error{ErrorCode::FailedPrecondition,
                          "The consent text changed while the page was open.", "consent_text"});
    TRY(consent::set_preferences(c, citizen_id, change.topic_ids, change.tracking,
                                 consent::Via::Portal, proof, clock));
    if (change.language != before.language || change.channel != before.channel) {
        citizens::CitizenChanges in;
        in.language = change.language;
        in.preferred_channel = change.channel;
        TRY(citizens::store::update_citizen(c, citizen_id, in, who, clock));
        // The account's own mails (reset, change of address) follow the chosen language too.
        TRY(store::set_account_language(c, citizen_id, citizens::to_string(change.language),
                                        clock.now_ms()));
    }
    return {};
}

} // namespace teilhabe::portal
