#include "consent/service.h"

#include "activity/activity_store.h"
#include "citizens/citizen.h"
#include "citizens/citizen_store.h"
#include "consent/consent_store.h"
#include "consent/topic_store.h"

#include <fmt/format.h>
#include <set>

namespace teilhabe::consent {

namespace {

std::string actor_of(std::int64_t citizen_id) { return fmt::format("citizen:{}", citizen_id); }

std::string base(const std::string& base_url) {
    std::string b = base_url;
    while (!b.empty() && b.back() == '/')
        b.pop_back();
    return b;
}

// The activity of a step: newsletter.<action> for a topic, consent.tracking.<action>.
Result<void> record(db::Connection& c, std::int64_t citizen_id, std::string_view subject,
                    const std::optional<Topic>& topic, const char* action, Via via,
                    const Clock& clock) {
    activity::Activity a;
    a.citizen_id = citizen_id;
    a.actor = actor_of(citizen_id);
    nlohmann::json props{{"via", to_string(via)}};
    if (topic) {
        a.type = fmt::format("newsletter.{}", action);
        a.object = fmt::format("topic:{}", topic->key);
        props["topic"] = topic->key;
        props["topic_id"] = topic->id;
    } else {
        a.type = fmt::format("consent.{}.{}", subject, action);
        a.object = std::string(subject);
    }
    a.props = props.dump();
    TRY(activity::append(c, a, clock));
    return {};
}

Result<std::optional<Topic>> topic_for(db::Connection& c, const std::optional<std::int64_t>& id) {
    if (!id)
        return std::optional<Topic>{};
    return store::find_topic(c, *id);
}

Result<std::int64_t> find_or_create_citizen(db::Connection& c, const std::string& email,
                                            const std::string& language, const Proof& proof,
                                            const Clock& clock) {
    if (auto id = TRY(citizens::store::find_citizen_id_by_email(c, email)))
        return *id;
    citizens::CitizenChanges in;
    in.email = email;
    in.language = citizens::parse_language(language).value_or(citizens::Language::De);
    auto created = TRY(citizens::store::create_citizen(c, in, {"public:subscribe", proof.ip}, clock));
    return created.id;
}

struct Pending {
    std::vector<std::int64_t> ids;
    std::vector<std::string> names;
    bool tracking{false};
};

Result<void> send_mail(db::Connection& c, std::int64_t citizen_id, const std::string& language,
                       const Pending& p, const ConfirmationMailer& mailer,
                       const std::string& base_url, const Clock& clock) {
    auto citizen = TRY(citizens::store::find_citizen(c, citizen_id));
    if (!citizen)
        return fail(Error::not_found("the person is gone"));
    auto token = TRY(store::create_token(c, citizen_id, p.ids, clock.now_ms() + kConfirmTtl.count(),
                                         clock));
    ConfirmationMail mail{citizen_id, citizen->email, language,
                          fmt::format("{}/confirm/{}", base(base_url), token), p.names,
                          p.tracking};
    if (!mailer)
        return fail(Error::unavailable("no confirmation mailer is configured"));
    return mailer(c, mail);
}

// The topic names and the tracking flag of pending consents, and which are still pending.
Result<Pending> describe(db::Connection& c, std::int64_t citizen_id,
                         const std::vector<std::int64_t>& ids, const std::string& language) {
    Pending out;
    auto all = TRY(store::consents_of(c, citizen_id));
    for (auto id : ids)
        for (const auto& consent : all) {
            if (consent.id != id || consent.status != Status::Pending)
                continue;
            out.ids.push_back(id);
            if (consent.subject == kTrackingSubject)
                out.tracking = true;
            else if (auto t = TRY(topic_for(c, consent.topic_id)))
                out.names.push_back(t->name(language));
        }
    return out;
}

} // namespace

Result<void> request_signup(db::Connection& c, const SignupRequest& in,
                            const ConfirmationMailer& mailer, const std::string& base_url,
                            const Clock& clock) {
    auto email = citizens::normalise_email(in.email);
    TRY(citizens::validate_email(email));
    std::string language = in.language == "en" ? "en" : "de";
    std::vector<Topic> topics;
    std::set<std::string> seen;
    for (const auto& key : in.topic_keys) {
        if (!seen.insert(key).second)
            continue;
        auto t = TRY(store::find_topic_by_key(c, key));
        if (!t || !t->active() || !t->is_public)
            return fail(Error::invalid("This newsletter cannot be subscribed to.", "topics"));
        topics.push_back(*t);
    }
    if (topics.empty())
        return fail(Error::invalid("Choose at least one newsletter.", "topics"));

    auto citizen_id = TRY(find_or_create_citizen(c, email, language, in.proof, clock));
    if (TRY(store::is_restricted(c, citizen_id)))
        return {}; // Art. 18: stored only; the answer is the same as for anybody else
    auto text = TRY(store::current_text(c, TextKind::Newsletter));
    Pending pending;
    for (const auto& t : topics) {
        auto id = TRY(store::request(c, citizen_id, topic_subject(t.id), t.id, text.id, Via::Form,
                                     in.proof));
        if (!id)
            continue; // confirmed already
        pending.ids.push_back(*id);
        pending.names.push_back(t.name(language));
        TRY(record(c, citizen_id, topic_subject(t.id), t, "requested", Via::Form, clock));
    }
    if (in.tracking) {
        auto tracking_text = TRY(store::current_text(c, TextKind::Tracking));
        if (auto id = TRY(store::request(c, citizen_id, kTrackingSubject, std::nullopt,
                                         tracking_text.id, Via::Form, in.proof))) {
            pending.ids.push_back(*id);
            pending.tracking = true;
            TRY(record(c, citizen_id, kTrackingSubject, std::nullopt, "requested", Via::Form,
                       clock));
        }
    }
    if (pending.ids.empty())
        return {};
    return send_mail(c, citizen_id, language, pending, mailer, base_url, clock);
}

Result<TokenInfo> inspect_confirm_token(db::Connection& c, std::string_view token,
                                        const Clock& clock) {
    TokenInfo info;
    auto t = TRY(store::find_token(c, token));
    if (!t)
        return info;
    info.citizen_id = t->citizen_id;
    auto citizen = TRY(citizens::store::find_citizen(c, t->citizen_id));
    if (citizen)
        info.language = citizens::to_string(citizen->language);
    if (t->used_at)
        info.state = TokenState::Used;
    else if (clock.now_ms() >= t->expires_at)
        info.state = TokenState::Expired;
    else
        info.state = TokenState::Valid;
    auto all = TRY(store::consents_of(c, t->citizen_id));
    for (auto id : t->consent_ids)
        for (const auto& consent : all) {
            if (consent.id != id)
                continue;
            if (consent.subject == kTrackingSubject)
                info.tracking = true;
            else if (auto topic = TRY(topic_for(c, consent.topic_id)))
                info.topic_names.push_back(topic->name(info.language));
        }
    return info;
}

Result<TokenInfo> confirm(db::Connection& c, std::string_view token, const Proof& proof,
                          const Clock& clock) {
    auto info = TRY(inspect_confirm_token(c, token, clock));
    if (info.state != TokenState::Valid)
        return info;
    auto found = TRY(store::find_token(c, token));
    if (!found)
        return TokenInfo{};
    const store::Token t = *found;
    TRY(store::mark_token_used(c, t.id, proof.at));
    auto done = TRY(store::confirm(c, t.consent_ids, Via::EmailLink, proof));
    for (const auto& consent : done)
        TRY(record(c, consent.citizen_id, consent.subject, TRY(topic_for(c, consent.topic_id)),
                   "confirmed", Via::EmailLink, clock));
    return info;
}

Result<bool> resend_confirmation(db::Connection& c, std::string_view token,
                                 const ConfirmationMailer& mailer, const std::string& base_url,
                                 const Clock& clock) {
    auto t = TRY(store::find_token(c, token));
    if (!t)
        return false;
    if (TRY(store::is_restricted(c, t->citizen_id)))
        return false;
    auto citizen = TRY(citizens::store::find_citizen(c, t->citizen_id));
    if (!citizen)
        return false;
    std::string language = citizens::to_string(citizen->language);
    auto pending = TRY(describe(c, t->citizen_id, t->consent_ids, language));
    if (pending.ids.empty())
        return false;
    if (!t->used_at)
        TRY(store::mark_token_used(c, t->id, clock.now_ms())); // one link at a time
    TRY(send_mail(c, t->citizen_id, language, pending, mailer, base_url, clock));
    return true;
}

Result<bool> withdraw(db::Connection& c, std::int64_t citizen_id, std::string_view subject,
                      Via via, const Proof& proof, const Clock& clock) {
    auto consent = TRY(store::find_consent(c, citizen_id, subject));
    if (!consent || !TRY(store::withdraw(c, citizen_id, subject, via, proof)))
        return false;
    TRY(record(c, citizen_id, subject, TRY(topic_for(c, consent->topic_id)), "withdrawn", via,
               clock));
    return true;
}

Result<int> unsubscribe(db::Connection& c, const UnsubscribeClaim& claim, Scope scope, Via via,
                        const Proof& proof, const Clock& clock) {
    std::vector<std::string> subjects;
    if (scope == Scope::All || claim.topic_ids.empty()) {
        for (const auto& consent : TRY(store::consents_of(c, claim.citizen_id)))
            subjects.push_back(consent.subject);
    } else {
        for (auto id : claim.topic_ids)
            subjects.push_back(topic_subject(id));
    }
    int withdrawn = 0;
    for (const auto& subject : subjects) {
        if (!TRY(store::withdraw(c, claim.citizen_id, subject, via, proof)))
            continue;
        ++withdrawn;
        std::optional<std::int64_t> topic_id;
        if (subject.starts_with("topic:"))
            topic_id = std::stoll(subject.substr(6));
        TRY(record(c, claim.citizen_id, subject, TRY(topic_for(c, topic_id)), "withdrawn", via,
                   clock));
    }
    if (withdrawn > 0 && claim.campaign_id > 0)
        TRY(store::note_campaign_unsubscribe(c, claim.campaign_id, claim.citizen_id, clock));
    return withdrawn;
}

Result<void> set_preferences(db::Connection& c, std::int64_t citizen_id,
                             const std::vector<std::int64_t>& topic_ids, bool tracking, Via via,
                             const Proof& proof, const Clock& clock) {
    std::set<std::int64_t> wanted(topic_ids.begin(), topic_ids.end());
    auto restricted = TRY(store::is_restricted(c, citizen_id));
    auto before = TRY(store::confirmed_topics(c, citizen_id));
    std::set<std::int64_t> had(before.begin(), before.end());
    // Withdrawals first: they always work.
    for (const auto& consent : TRY(store::consents_of(c, citizen_id))) {
        bool keep = consent.topic_id ? wanted.contains(*consent.topic_id)
                                     : (consent.subject == kTrackingSubject && tracking);
        if (keep || consent.status == Status::Withdrawn)
            continue;
        if (TRY(store::withdraw(c, citizen_id, consent.subject, via, proof)))
            TRY(record(c, citizen_id, consent.subject, TRY(topic_for(c, consent.topic_id)),
                       "withdrawn", via, clock));
    }
    if (restricted)
        return {}; // Art. 18: no new processing
    auto text = TRY(store::current_text(c, TextKind::Newsletter));
    for (auto id : wanted) {
        auto topic = TRY(store::find_topic(c, id));
        // Internal topics are kept when held, never taken up from here.
        if (!topic || !topic->active() || (!topic->is_public && !had.contains(id)))
            return fail(Error::invalid("This newsletter cannot be subscribed to.", "topics"));
        if (TRY(store::grant(c, citizen_id, topic_subject(id), id, text.id, via, proof)))
            TRY(record(c, citizen_id, topic_subject(id), topic, "confirmed", via, clock));
    }
    if (tracking) {
        auto tracking_text = TRY(store::current_text(c, TextKind::Tracking));
        if (TRY(store::grant(c, citizen_id, kTrackingSubject, std::nullopt, tracking_text.id, via,
                             proof)))
            TRY(record(c, citizen_id, kTrackingSubject, std::nullopt, "confirmed", via, clock));
    }
    return {};
}

} // namespace teilhabe::consent
