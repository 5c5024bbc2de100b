#include "campaigns/campaign_source.h"

#include "campaigns/campaign_store.h"
#include "campaigns/tracking.h"
#include "citizens/citizen_store.h"
#include "consent/consent_store.h"
#include "consent/unsubscribe.h"

#include <algorithm>
#include <fmt/format.h>

namespace teilhabe::campaigns {

namespace {

using delivery::OutboxState;
using delivery::Produced;

// A custom field's value as the text a letter shows.
std::string display(const nlohmann::json& v, bool english) {
    if (v.is_string())
        return v.get<std::string>();
    if (v.is_boolean())
        return v.get<bool>() ? (english ? "yes" : "ja") : (english ? "no" : "nein");
    if (v.is_array()) {
        std::string out;
        for (const auto& e : v)
            out += (out.empty() ? "" : ", ") + display(e, english);
        return out;
    }
    if (v.is_null())
        return {};
    return v.dump();
}

mail::Recipient recipient_of(const citizens::Citizen& p) {
    mail::Recipient r;
    r.first_name = p.first_name;
    r.last_name = p.last_name;
    r.email = p.email;
    r.language = p.language == citizens::Language::En ? "en" : "de";
    r.district = p.district;
    for (const auto& [key, value] : p.attributes.items())
        r.fields.emplace(key, display(value, r.language == "en"));
    r.interests.insert(p.interests.begin(), p.interests.end());
    r.tags.insert(p.tags.begin(), p.tags.end());
    return r;
}

std::string full_name(const citizens::Citizen& p) {
    if (p.first_name.empty())
        return p.last_name;
    if (p.last_name.empty())
        return p.first_name;
    return p.first_name + " " + p.last_name;
}

} // namespace

CampaignSource::CampaignSource(db::Database& db, const Clock& clock, SourceSettings settings)
    : m_db(db), m_clock(clock), m_settings(std::move(settings)) {}

Result<std::shared_ptr<const mail::CompiledCampaign>> CampaignSource::compiled(db::Connection& c,
                                                                              std::int64_t id) {
    {
        std::lock_guard lock(m_mutex);
        if (auto it = m_cache.find(id); it != m_cache.end())
            return it->second;
    }
    auto k = TRY(store::find(c, id));
    if (!k)
        return fail(Error::not_found(fmt::format("There is no campaign {}.", id)));
    mail::CampaignContent content{k->subject, k->preheader, k->body, {}};
    auto names = TRY(c.query("SELECT t.name_de, t.name_en FROM campaign_topics ct JOIN topics t ON t.id = ct.topic_id "
                             "WHERE ct.campaign_id = ? ORDER BY ct.position",
                             {id}));
    for (const auto& r : names.rows)
        content.topic_names.push_back(r.get_text(0));
    auto made = std::make_shared<const mail::CompiledCampaign>(
        TRY(mail::CompiledCampaign::compile(content, m_settings.layout)));
    // Only campaigns that cannot change any more are kept (drafts change between previews).
    if (k->state != State::Draft && k->state != State::Scheduled) {
        std::lock_guard lock(m_mutex);
        m_cache.emplace(id, made);
    }
    return made;
}

Result<Personalised> CampaignSource::personalise(db::Connection& c, std::int64_t campaign_id,
                                                 std::int64_t citizen_id) {
    return personalise_for(c, campaign_id, citizen_id, TRY(store::topic_ids(c, campaign_id)));
}

Result<Personalised> CampaignSource::personalise_for(db::Connection& c, std::int64_t campaign_id,
                                                     std::int64_t citizen_id,
                                                     const std::vector<std::int64_t>& topics) {
    auto person = TRY(citizens::store::find_citizen(c, citizen_id));
    if (!person)
        return fail(Error::not_found(fmt::format("There is no person {}.", citizen_id)));
    auto campaign = TRY(compiled(c, campaign_id));
    auto token = consent::unsubscribe_token(m_settings.secret, citizen_id, campaign_id, topics);
    auto r = recipient_of(*person);
    r.unsubscribe_url = consent::unsubscribe_url(m_settings.base_url, token);
    r.preferences_url = r.unsubscribe_url;
    mail::LinkRewriter rewrite;
    if (TRY(consent::store::tracking_allowed(c, citizen_id)))
        rewrite = [&](std::string_view url, std::optional<std::string_view> topic) {
            return click_url(m_settings.base_url, m_settings.secret,
                             {campaign_id, citizen_id, std::string(url), std::string(topic.value_or(""))});
        };
    Personalised out;
    out.rendered = campaign->render(r, rewrite);
    out.message.from = m_settings.from;
    out.message.to = {full_name(*person), person->email};
    out.message.subject = out.rendered.subject;
    out.message.text = out.rendered.text;
    out.message.html = out.rendered.html;
    out.message.extra_headers = {
        {"List-Unsubscribe", fmt::format("<{}>", consent::one_click_url(m_settings.base_url, token))},
        {"List-Unsubscribe-Post", "List-Unsubscribe=One-Click"},
    };
    return out;
}

Result<std::string> CampaignSource::to_bytes(const mail::Message& m) {
    auto now = m_clock.now();
    auto mime = TRY(mail::to_mime(m, now));
    if (!m_settings.dkim)
        return mime;
    return m_settings.dkim->sign(mime, now);
}

Result<Produced> CampaignSource::produce(const delivery::OutboxRow& row) {
    if (!row.campaign_id || !row.citizen_id)
        return Produced::skip(OutboxState::Suppressed, "the person was erased");
    return m_db.transaction(db::TxMode::Read, [&](db::Connection& c) -> Result<Produced> {
        auto state = TRY(store::state_of(c, *row.campaign_id));
        if (!state || *state == State::Cancelled)
            return Produced::skip(OutboxState::Cancelled, "campaign cancelled");
        if (*state == State::Paused)
            return Produced::hold(m_clock.now() + m_settings.pause_recheck, "campaign paused");
        if (*state != State::Sending)
            return Produced::skip(OutboxState::Cancelled, fmt::format("campaign is {}", to_string(*state)));
        auto person = TRY(c.query("SELECT restricted_at FROM citizens WHERE id = ?", {*row.citizen_id}));
        if (person.rows.empty())
            return Produced::skip(OutboxState::Suppressed, "the person was erased");
        if (!person.rows[0].is_null(0))
            return Produced::skip(OutboxState::Suppressed, "processing restricted (GDPR Art. 18)");
        auto confirmed = TRY(consent::store::confirmed_topics(c, *row.citizen_id));
        auto wanted = TRY(store::topic_ids(c, *row.campaign_id));
        // A campaign to a segment alone goes out on the strength of the person's confirmed
        // subscriptions (any topic); its unsubscribe link withdraws them all.
        if (wanted.empty())
            wanted = confirmed;
        bool any = std::any_of(wanted.begin(), wanted.end(), [&](std::int64_t t) {
            return std::find(confirmed.begin(), confirmed.end(), t) != confirmed.end();
        });
        if (!any)
            return Produced::skip(OutboxState::Cancelled, "consent withdrawn");
        auto made = TRY(personalise_for(c, *row.campaign_id, *row.citizen_id, wanted));
        // The address the row was queued for: a changed address waits for the next campaign.
        made.message.to.email = row.email;
        return Produced::send(TRY(to_bytes(made.message)));
    });
}

} // namespace teilhabe::campaigns
