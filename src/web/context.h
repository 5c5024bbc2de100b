#pragma once
// What a request handler may use: the town's database, clock, settings and services. One
// AppContext per town (DESIGN.md "One town = one database"); nothing global.

#include "base/clock.h"
#include "base/metrics.h"
#include "db/database.h"
#include "staff/auth_service.h"
#include "web/i18n.h"

#include <cstddef>
#include <functional>
#include <optional>
#include <string>

namespace teilhabe::jobs {
class Worker;
}
namespace teilhabe::campaigns {
class CampaignSource;
class ClickRecorder;
}
namespace teilhabe::delivery {
class Wakeup;
}

namespace teilhabe::web {

struct WebSettings {
    std::string base_url{"http://127.0.0.1:8080"};
    std::string town_name{"Musterstadt"};
    // Secure cookies (and the __Host- prefix) when the public address is https.
    bool secure_cookies{false};
    std::size_t max_body_bytes{10 * 1024 * 1024};
};

// A citizen signed in to the portal, as the portal's session store resolves the cookie.
struct CitizenIdentity {
    std::int64_t account_id{0};
    std::int64_t citizen_id{0};
    std::string email;
    std::string csrf_token;
    std::string token; // the cookie value (only its hash is stored)
};
// Resolves a portal session cookie: nothing when it is unknown, expired or idle too long.
using CitizenSessionResolver =
    std::function<Result<std::optional<CitizenIdentity>>(const std::string& token)>;

struct AppContext {
    db::Database& db;
    const Clock& clock;
    WebSettings settings;
    staff::AuthService& auth;
    Metrics& metrics;
    std::string secret; // signs the anonymous CSRF cookie
    jobs::Worker* worker{nullptr};
    // Renders campaigns as a person gets them (previews, test sends); none: answered with 503.
    campaigns::CampaignSource* campaign_mail{nullptr};
    // Writes clicks on tracked links in batches; none: each click is written at once.
    campaigns::ClickRecorder* clicks{nullptr};
    // Portal sessions (portal/session_service.h); none: nobody is signed in to the portal.
    CitizenSessionResolver citizen_sessions;
    // Tells the outbox sender that mail was queued (delivery/wakeup.h); call it after the
    // transaction committed. None: the sender finds the rows at its next poll.
    delivery::Wakeup* mail_wakeup{nullptr};
    // Run first in the transaction of a GDPR erasure (gdpr::BeforeErasure: connection, citizen
    // id, actor): the events free the person's places in future events. None: nothing.
    std::function<Result<void>(db::Connection&, std::int64_t, const std::string&)> before_erasure;
};

struct Principal {
    enum class Kind { Anonymous, Staff, ApiKey, Citizen };
    Kind kind{Kind::Anonymous};
    std::int64_t id{0}; // staff user, API key, or (Citizen) the citizen's profile id
    std::string name; // e-mail of staff, name of the key
    staff::Role role{staff::Role::Partner};
    std::optional<staff::Session> session;
    std::optional<CitizenIdentity> citizen; // Kind::Citizen: the portal session

    // Signed in as staff or with an API key: the staff permissions apply. A citizen signed in
    // to the portal is not (see is_citizen()).
    bool signed_in() const { return kind == Kind::Staff || kind == Kind::ApiKey; }
    bool is_citizen() const { return kind == Kind::Citizen; }
    // For audit and activity records: "staff:3", "apikey:2", "citizen:17", "anonymous".
    std::string actor() const;
};

struct RouteContext {
    http::Request& req;
    AppContext& app;
    Principal who;
    Locale locale{Locale::De};
    std::string csrf_token;               // to put into forms
    std::vector<std::string> set_cookies; // Set-Cookie headers to add to the response
};

} // namespace teilhabe::web
