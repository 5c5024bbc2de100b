#pragma once
// A citizen's account, from registration to a new e-mail address (OWASP Authentication,
// Forgot Password and Session Management cheat sheets): e-mail verification by a single-use,
// expiring link; the same answer whether or not an address has an account (the owner gets a
// notice instead); a password reset that ends every session; changes of password and address
// that ask for the current password, the new address confirmed by a link mailed to it and the
// old one told. Tokens are 256-bit random and stored as SHA-256 only. No HTTP here.

#include "base/clock.h"
#include "db/database.h"
#include "portal/account.h"
#include "portal/mailer.h"
#include "portal/session_service.h"

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace teilhabe::portal {

struct AccountPolicy {
    std::chrono::milliseconds verify_ttl{std::chrono::hours(24)};
    std::chrono::milliseconds reset_ttl{std::chrono::hours(1)};
    std::chrono::milliseconds email_ttl{std::chrono::hours(24)};
    // Mails asked for (registration, reset, change of address), counted per address and per
    // client address in an hour, so nobody can use the portal to flood a mailbox.
    int mails_per_address_per_hour{5};
    int mails_per_ip_per_hour{20};
};

struct Registration {
    std::string email;
    std::string password;
    std::string language{"de"};
    Client client;
};

enum class LinkState { Valid, Used, Expired, Unknown };

class AccountService {
public:
    AccountService(db::Database& db, const Clock& clock, PortalMailer mailer, std::string base_url,
                   AccountPolicy policy = {});

    // InvalidArgument naming "email" or "password" for input no one could use;
    // ResourceExhausted when too many mails were asked for. Otherwise the same outcome whether
    // the address is new or has an account (then its owner gets a notice, nothing else).
    Result<void> register_account(const Registration& in);
    Result<LinkState> registration_state(const std::string& token);
    // Checks the password chosen at registration (so that only who registered can complete
    // it: a stranger's link cannot hand over somebody else's address), creates the account —
    // linked to the profile with that address when there is one (a newsletter subscriber
    // finds their consents and history), else a new profile — and signs the person in.
    // Unauthenticated for a wrong password; FailedPrecondition with the state when the link
    // cannot be used.
    Result<PortalSession> verify_registration(const std::string& token, const std::string& password,
                                              const Client& client);

    // The same answer whatever the address; a link only to a verified account.
    Result<void> request_password_reset(const std::string& email, const Client& client);
    Result<LinkState> reset_state(const std::string& token);
    // Sets the password, uses the link up and ends every session of the account.
    Result<void> reset_password(const std::string& token, const std::string& new_password);

    // Unauthenticated naming "current_password" when it is wrong. Other sessions end; the one
    // given stays.
    Result<void> change_password(const PortalSession& session, const std::string& current,
                                 const std::string& new_password);
    // Mails a link to the new address (or, when it has an account, a notice) and tells the old
    // one. Unauthenticated naming "current_password" when it is wrong.
    Result<void> request_email_change(const PortalSession& session, const std::string& password,
                                      const std::string& new_email, const Client& client);
    Result<LinkState> email_change_state(const std::string& token);
    // Changes the log-in and the profile's address. AlreadyExists when the address was taken
    // meanwhile (by an account or another profile).
    Result<void> confirm_email_change(const std::string& token);

    const AccountPolicy& policy() const { return m_policy; }

private:
    Result<void> limit_mails(db::Connection& c, const std::string& email, const std::string& ip);
    std::string link(std::string_view path, const std::string& token) const;

    db::Database& m_db;
    const Clock& m_clock;
    PortalMailer m_mailer;
    std::string m_base_url;
    AccountPolicy m_policy;
};

// The activity of a step on the account (portal.registered, portal.password_changed, ...), on
// the person's timeline, by the person.
Result<void> record_account_activity(db::Connection& c, std::int64_t citizen_id,
                                     const std::string& type, const nlohmann::json& props,
                                     const Clock& clock);

} // namespace teilhabe::portal
