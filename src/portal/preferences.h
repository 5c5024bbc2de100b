#pragma once
// The portal's preference centre, inside the caller's transaction: which newsletters, whether
// clicks may be counted, and the language and channel the town uses with the person. Consent
// steps go through consent::set_preferences with the proof (time, address, browser, page and
// the text version shown) and "via": "portal"; a new consent needs no confirmation mail because
// the account's address is verified. Language and channel change the profile (audited,
// activity citizen.updated). No HTTP here.

#include "base/clock.h"
#include "citizens/citizen.h"
#include "consent/consent.h"
#include "consent/topic.h"
#include "db/connection.h"

#include <vector>

namespace teilhabe::portal {

struct TopicChoice {
    consent::Topic topic;
    bool subscribed{false};
};

struct Preferences {
    std::vector<TopicChoice> topics; // offered (public, active) or held
    bool tracking{false};
    citizens::Language language{citizens::Language::De};
    citizens::Channel channel{citizens::Channel::Email};
    consent::ConsentText newsletter_text; // the current versions, shown beside the checkboxes
    consent::ConsentText tracking_text;
};
Result<Preferences> load_preferences(db::Connection& c, std::int64_t citizen_id);

struct PreferenceChange {
    std::vector<std::int64_t> topic_ids;
    bool tracking{false};
    citizens::Language language{citizens::Language::De};
    citizens::Channel channel{citizens::Channel::Email};
    // The text versions the page showed: a new consent is given under exactly that text.
    std::int64_t newsletter_text_id{0};
    std::int64_t tracking_text_id{0};
};

enum class AddressVerified { No, Yes };
// FailedPrecondition naming "consent_text" when a new consent would be given under a text the
// page did not show (it changed meanwhile), and "verification" when the account's address is
// not verified (withdrawals always work). InvalidArgument naming "topics" for a topic that
// cannot be subscribed to.
Result<void> change_preferences(db::Connection& c, std::int64_t citizen_id,
                                const PreferenceChange& change, AddressVerified verified,
                                const consent::Proof& proof, const citizens::Actor& who,
                                const Clock& clock);

} // namespace teilhabe::portal
