// The send step: rendered as the person gets it, checked against consent and the suppression
// list, and queued in the outbox in the step's transaction (delivery/outbox_store.h). The rules
// are the campaigns': a confirmed subscription (to the step's topic, or to any topic when the
// step names none), processing not restricted (GDPR Art. 18), the address not suppressed.
// Somebody who may not be mailed leaves the journey at this step, with the reason.

#include "journeys/steps.h"

#include "citizens/citizen_batch.h"
#include "citizens/citizen_store.h"
#include "consent/consent_store.h"
#include "consent/topic_store.h"
#include "consent/unsubscribe.h"
#include "delivery/outbox_store.h"
#include "delivery/suppression_store.h"

#include <algorithm>
#include <fmt/format.h>

namespace teilhabe::journeys::detail {

namespace {

std::string display(const nlohmann::json& v) {
    if (v.is_string())
        return v.get<std::string>();
    if (v.is_null())
        return {};
    return v.dump();
}

bool key_ok(std::string_view k) {
    return !k.empty() && std::all_of(k.begin(), k.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
}

mail::Recipient recipient_of(const citizens::Citizen& p, const nlohmann::json& context) {
    mail::Recipient r;
    r.first_name = p.first_name;
    r.last_name = p.last_name;
    r.email = p.email;
    r.language = p.language == citizens::Language::En ? "en" : "de";
    r.district = p.district;
    for (const auto& [key, value] : p.attributes.items())
        r.fields.emplace(key, display(value));
    // The trigger's props as {{field.trigger_KEY}}; a time also in Berlin local time
    // ({{field.trigger_starts_at_local}}).
    for (const auto& [key, value] : context.items()) {
        if (!key_ok(key))
            continue;
        r.fields["trigger_" + key] = display(value);
        if (value.is_string())
            if (auto t = parse_rfc3339(value.get<std::string>()))
                r.fields["trigger_" + key + "_local"] = format_local(*t, r.language == "en");
    }
    r.interests.insert(p.interests.begin(), p.interests.end());
    r.tags.insert(p.tags.begin(), p.tags.end());
    return r;
}

std::string full_name(const citizens::Citizen& p) {
    if (p.first_name.empty() || p.last_name.empty())
        return p.first_name + p.last_name;
    return p.first_name + " " + p.last_name;
}

// The topics the mail is sent for (for the unsubscribe link), or why it may not be sent.
// `pre`: the batch's reads for this person (prefetch), else read here.
Result<std::variant<std::vector<std::int64_t>, std::string>> consented_topics(StepRun& run,
                                                                              const citizens::Citizen& p,
                                                                              const Prefetched* pre) {
    using R = std::variant<std::vector<std::int64_t>, std::string>;
    if (p.restricted_at)
        return R(std::string("processing restricted (GDPR Art. 18)"));
    bool suppressed = pre ? pre->suppressed.contains(p.id)
                          : TRY(delivery::suppressions::is_suppressed(run.c, p.email));
    if (suppressed)
        return R(std::string("address on the suppression list"));
    std::vector<std::int64_t> confirmed;
    if (pre) {
        if (auto it = pre->confirmed.find(p.id); it != pre->confirmed.end())
            confirmed = it->second;
    } else {
        confirmed = TRY(consent::store::confirmed_topics(run.c, p.id));
    }
    if (run.step.topic.empty()) {
        if (confirmed.empty())
            return R(std::string("no confirmed subscription"));
        return R(confirmed);
    }
    auto topic = TRY(consent::store::find_topic_by_key(run.c, run.step.topic));
    if (!topic || std::find(confirmed.begin(), confirmed.end(), topic->id) == confirmed.end())
        return R(fmt::format("no confirmed subscription to {}", run.step.topic));
    return R(std::vector<std::int64_t>{topic->id});
}

} // namespace

Result<mail::CompiledCampaign> compile_mail(const Step& step, const MailSettings& s) {
    return mail::CompiledCampaign::compile({step.subject, "", step.body, {}}, s.layout);
}

Result<void> prefetch(db::Connection& c, const std::vector<std::int64_t>& citizen_ids, Prefetched& out) {
    if (citizen_ids.empty())
        return {};
    db::Params ids(citizen_ids.begin(), citizen_ids.end());
    std::vector<std::string_view> marks(ids.size(), "?");
    // The profiles as citizens::store::find_citizen reads them, for the whole batch.
    for (auto& p : TRY(citizens::store::find_citizens(c, citizen_ids)))
        out.people.emplace(p.id, std::move(p));
    auto topics = TRY(c.query(fmt::format("SELECT citizen_id, topic_id FROM consents WHERE citizen_id IN ({}) AND "
                                          "topic_id IS NOT NULL AND status = 'confirmed' ORDER BY citizen_id, topic_id",
                                          fmt::join(marks, ", ")),
                              ids));
    for (const auto& r : topics.rows)
        out.confirmed[r.get_int(0)].push_back(r.get_int(1));
    // The address hashes of the people, each computed once (SHA-256).
    db::Params hashes;
    std::unordered_map<std::string, std::vector<std::int64_t>> by_hash;
    for (const auto& [id, p] : out.people) {
        auto hash = delivery::suppressions::email_hash(p.email);
        auto& ids_of_hash = by_hash[hash];
        if (ids_of_hash.empty())
            hashes.emplace_back(std::move(hash));
        ids_of_hash.push_back(id);
    }
    if (hashes.empty())
        return {};
    std::vector<std::string_view> hash_marks(hashes.size(), "?");
    auto listed = TRY(c.query(
        fmt::format("SELECT email_hash FROM suppressions WHERE email_hash IN ({})", fmt::join(hash_marks, ", ")),
        hashes));
    for (const auto& r : listed.rows)
        if (auto it = by_hash.find(r.get_text(0)); it != by_hash.end())
            out.suppressed.insert(it->second.begin(), it->second.end());
    return {};
}

Result<Outcome> send_mail(StepRun& run) {
    if (!run.mail)
        return Outcome::exit("the mail of this step does not compile");
    std::optional<citizens::Citizen> read;
    const citizens::Citizen* person = run.pre ? run.pre->person(run.e.citizen_id) : nullptr;
    const Prefetched* pre = person ? run.pre : nullptr;
    if (!person) {
        read = TRY(citizens::store::find_citizen(run.c, run.e.citizen_id));
        if (!read)
            return Outcome::exit("the person is gone");
        person = &*read;
    }
    if (run.occasions)
        if (auto why = TRY(run.occasions->gone(run.c, person->id, run.e.context)))
            return Outcome::exit(*why);
    auto allowed = TRY(consented_topics(run, *person, pre));
    if (auto* why = std::get_if<std::string>(&allowed))
        return Outcome::exit(*why);
    const auto& topics = std::get<std::vector<std::int64_t>>(allowed);
    const auto& ms = run.settings.mail;
    auto token = consent::unsubscribe_token(ms.secret, person->id, 0, topics);
    auto r = recipient_of(*person, run.e.context);
    r.unsubscribe_url = consent::unsubscribe_url(ms.base_url, token);
    r.preferences_url = r.unsubscribe_url;
    auto rendered = run.mail->render(r);
    mail::Message m;
    m.from = ms.from;
    m.to = {full_name(*person), person->email};
    m.subject = rendered.subject;
    m.text = rendered.text;
    m.html = rendered.html;
    m.extra_headers = mail::list_unsubscribe_headers(consent::one_click_url(ms.base_url, token));
    auto mime = mail::to_mime(m, run.now);
    if (!mime)
        return Outcome::exit(mime.error().message);
    std::string bytes = *mime;
    if (ms.dkim)
        bytes = TRY(ms.dkim->sign(bytes, run.now));
    // Checked here as the insert would check it, so that a refusal is this person's (back-off)
    // also when the engine inserts the batch's rows together.
    auto to = TRY(delivery::outbox::check_transactional(person->email, bytes));
    if (run.outbox)
        run.outbox->push_back({std::move(to), std::move(bytes), person->id});
    else
        TRY(delivery::outbox::enqueue_transactional(run.c, to, bytes, person->id, run.clock));
    run.mail_queued = true;
    return Outcome::go(run.step.next);
}

} // namespace teilhabe::journeys::detail
