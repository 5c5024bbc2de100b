#pragma once
// The campaign's messages, made at send time for each outbox row (delivery::MessageSource):
// the state of the campaign decides first (cancelled → cancelled, paused → held), then the
// person (erased or restricted → suppressed; consent to all the campaign's topics withdrawn →
// cancelled), then the message is rendered as that person — personalisation, blocks, tracked
// links only with consent to tracking, the unsubscribe link and RFC 8058 headers — and signed
// with DKIM when a key is configured. Compiled campaigns are kept per campaign (they cannot
// change once sending); the state and the person are read for every message, so a pause, a
// cancellation or a withdrawal takes effect with the next message.

#include "db/database.h"
#include "delivery/sender.h"
#include "mail/dkim.h"
#include "mail/message.h"
#include "mail/template.h"

#include <map>
#include <memory>
#include <mutex>

namespace teilhabe::campaigns {

struct SourceSettings {
    std::string base_url;           // for /r/, /unsubscribe/ links
    std::string secret;             // signs click and unsubscribe tokens
    mail::Address from;             // From of every campaign
    mail::LayoutSettings layout;    // logo, colour, imprint
    std::shared_ptr<const mail::DkimSigner> dkim; // none: unsigned
    std::chrono::milliseconds pause_recheck{std::chrono::seconds(30)};
};

// A campaign's message for one person, as the outbox row will carry it: shared by the sender
// and by preview and test sends.
struct Personalised {
    mail::RenderedMail rendered;
    mail::Message message;
};

class CampaignSource final : public delivery::MessageSource {
public:
    CampaignSource(db::Database& db, const Clock& clock, SourceSettings settings);
    Result<delivery::Produced> produce(const delivery::OutboxRow& row) override;

    // The message of campaign `campaign_id` as person `citizen_id` would get it, for previews
    // and test sends (no consent check; tracking as that person's consent says).
    Result<Personalised> personalise(db::Connection& c, std::int64_t campaign_id, std::int64_t citizen_id);
    // The complete MIME bytes (signed when configured).
    Result<std::string> to_bytes(const mail::Message& m);

private:
    // The same with the campaign's topic ids already read (the sender reads them per message).
    Result<Personalised> personalise_for(db::Connection& c, std::int64_t campaign_id, std::int64_t citizen_id,
                                         const std::vector<std::int64_t>& topics);
    Result<std::shared_ptr<const mail::CompiledCampaign>> compiled(db::Connection& c, std::int64_t id);

    db::Database& m_db;
    const Clock& m_clock;
    SourceSettings m_settings;
    std::mutex m_mutex;
    std::map<std::int64_t, std::shared_ptr<const mail::CompiledCampaign>> m_cache;
};

} // namespace teilhabe::campaigns
