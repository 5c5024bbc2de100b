#include "portal/account_service.h"

#include "activity/activity_store.h"
#include "base/email.h"
#include "citizens/citizen.h"
#include "citizens/citizen_store.h"
#include "consent/consent_store.h"
#include "portal/account_store.h"
#include "portal/accounts.h"
#include "portal/login_service.h"
#include "portal/token_store.h"
#include "security/crypto.h"
#include "security/password_policy.h"

#include <fmt/format.h>

namespace teilhabe::portal {

namespace {

constexpr std::int64_t kHourMs = 3'600'000;

LinkState state_of(std::optional<std::int64_t> used_at, std::int64_t expires_at, std::int64_t now) {
    if (used_at)
        return LinkState::Used;
    if (now >= expires_at)
        return LinkState::Expired;
    return LinkState::Valid;
}

Error link_error(LinkState s) {
    switch (s) {
    case LinkState::Used:
        return Error::precondition("used");
    case LinkState::Expired:
        return Error::precondition("expired");
    default:
        return Error::precondition("unknown");
    }
}

Result<void> valid_email(const std::string& email) {
    return citizens::validate_email(email);
}

} // namespace

Result<void> record_account_activity(db::Connection& c, std::int64_t citizen_id,
                                     const std::string& type, const nlohmann::json& props,
                                     const Clock& clock) {
    activity::Activity a;
    a.type = type;
    a.citizen_id = citizen_id;
    a.actor = fmt::format("citizen:{}", citizen_id);
    a.object = "portal:account";
    a.props = props.dump();
    TRY(activity::append(c, a, clock));
    return {};
}

AccountService::AccountService(db::Database& db, const Clock& clock, PortalMailer mailer,
                               std::string base_url, AccountPolicy policy)
    : m_db(db), m_clock(clock), m_mailer(std::move(mailer)), m_base_url(std::move(base_url)),
      m_policy(policy) {
    while (!m_base_url.empty() && m_base_url.back() == '/')
        m_base_url.pop_back();
}

std::string AccountService::link(std::string_view path, const std::string& token) const {
    return fmt::format("{}{}{}", m_base_url, path, token);
}

// Durable per-address and per-client counts (signup_attempts, as the newsletter sign-up): the
// address is kept as a keyed hash only. Refused attempts count too.
Result<void> AccountService::limit_mails(db::Connection& c, const std::string& email,
                                         const std::string& ip) {
    auto now = m_clock.now_ms();
    auto by_address = "portal-mail:" + security::sha256_hex("portal|" + email);
    auto by_ip = "portal-ip:" + ip;
    auto a = TRY(consent::store::attempts_since(c, by_address, now - kHourMs));
    auto b = TRY(consent::store::attempts_since(c, by_ip, now - kHourMs));
    TRY(consent::store::record_attempt(c, by_address, now, now - 24 * kHourMs));
    TRY(consent::store::record_attempt(c, by_ip, now, now - 24 * kHourMs));
    if (a >= m_policy.mails_per_address_per_hour || b >= m_policy.mails_per_ip_per_hour)
        return fail(Error::exhausted("Too many requests. Please try again in an hour."));
    return {};
}

Result<void> AccountService::register_account(const Registration& in) {
    auto email = normalise_email(in.email);
    TRY(valid_email(email));
    TRY(security::check_new_password(in.password, email));
    std::string language = in.language == "en" ? "en" : "de";
    // Hashed before looking: the answer takes as long whether or not the address is known.
    auto hash = TRY(security::hash_password(in.password));
    auto token = security::random_token(32);
    auto now = m_clock.now_ms();
    // The limit is counted in a transaction of its own, so that a refusal is still counted.
    TRY(m_db.transaction(db::TxMode::Write,
                         [&](db::Connection& c) { return limit_mails(c, email, in.client.ip); }));
    return m_db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<void> {
        if (!m_mailer)
            return fail(Error::unavailable("no portal mailer is configured"));
        if (auto existing = TRY(store::find_account_by_email(c, email)))
            return m_mailer(c, {MailKind::AlreadyRegistered, existing->citizen_id, email,
                                existing->language, m_base_url + "/portal/login", ""});
        TRY(store::insert_registration(c, security::sha256_hex(token), email, hash, language,
                                       in.client.ip, now, now + m_policy.verify_ttl.count()));
        return m_mailer(c, {MailKind::VerifyRegistration, std::nullopt, email, language,
                            link("/portal/verify/", token), ""});
    });
}

Result<LinkState> AccountService::registration_state(const std::string& token) {
    return m_db.transaction(db::TxMode::Read, [&](db::Connection& c) -> Result<LinkState> {
        auto r = TRY(store::find_registration(c, security::sha256_hex(token)));
        if (!r)
            return LinkState::Unknown;
        return state_of(r->used_at, r->expires_at, m_clock.now_ms());
    });
}

Result<PortalSession> AccountService::verify_registration(const std::string& token,
                                                          const std::string& password,
                                                          const Client& client) {
    auto hash = security::sha256_hex(token);
    auto found = TRY(m_db.transaction(
        db::TxMode::Read, [&](db::Connection& c) { return store::find_registration(c, hash); }));
    if (!found)
        return fail(link_error(LinkState::Unknown));
    if (auto s = state_of(found->used_at, found->expires_at, m_clock.now_ms());
        s != LinkState::Valid)
        return fail(link_error(s));
    if (!security::verify_password(found->password_hash, password))
        return fail(Error::unauthenticated("The password is not the one chosen at registration."));
    SessionService sessions(m_db, m_clock);
    return m_db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<PortalSession> {
        auto now = m_clock.now_ms();
        if (!TRY(store::use_registration(c, found->id, now)))
            return fail(link_error(LinkState::Used));
        if (TRY(store::find_account_by_email(c, found->email)))
            return fail(link_error(LinkState::Used)); // an earlier link of the same address won
        // A newsletter subscriber's profile is linked; otherwise open_account makes one.
        bool linked = TRY(citizens::store::find_citizen_id_by_email(c, found->email)).has_value();
        auto account_id = TRY(open_account(c,
                                           {.email = found->email,
                                            .password_hash = found->password_hash,
                                            .language = found->language,
                                            .verified = true,
                                            .actor = "portal:registration"},
                                           m_clock));
        auto account = TRY(store::find_account(c, account_id));
        TRY(record_account_activity(c, account->citizen_id, "portal.registered",
                                    {{"existing_profile", linked}, {"language", found->language}},
                                    m_clock));
        return sessions.start(c, *account, client);
    });
}

Result<void> AccountService::request_password_reset(const std::string& email_in,
                                                    const Client& client) {
    auto email = normalise_email(email_in);
    TRY(valid_email(email));
    TRY(m_db.transaction(db::TxMode::Write,
                         [&](db::Connection& c) { return limit_mails(c, email, client.ip); }));
    auto token = security::random_token(32);
    return m_db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<void> {
        auto account = TRY(store::find_account_by_email(c, email));
        if (!account || !account->verified_at || account->disabled)
            return {}; // the same answer: nothing tells whether the address has an account
        if (!m_mailer)
            return fail(Error::unavailable("no portal mailer is configured"));
        auto now = m_clock.now_ms();
        TRY(store::void_account_tokens(c, account->id, store::Purpose::Reset, now));
        TRY(store::insert_account_token(c, security::sha256_hex(token), account->id,
                                        store::Purpose::Reset, "", now,
                                        now + m_policy.reset_ttl.count()));
        return m_mailer(c, {MailKind::PasswordReset, account->citizen_id, email, account->language,
                            link("/portal/password/reset/", token), ""});
    });
}

Result<LinkState> AccountService::reset_state(const std::string& token) {
    return m_db.transaction(db::TxMode::Read, [&](db::Connection& c) -> Result<LinkState> {
        auto t = TRY(store::find_account_token(c, security::sha256_hex(token)));
        if (!t || t->purpose != store::Purpose::Reset)
            return LinkState::Unknown;
        return state_of(t->used_at, t->expires_at, m_clock.now_ms());
    });
}

Result<void> AccountService::reset_password(const std::string& token,
                                            const std::string& new_password) {
    auto hash = security::sha256_hex(token);
    auto found = TRY(m_db.transaction(
        db::TxMode::Read, [&](db::Connection& c) { return store::find_account_token(c, hash); }));
    if (!found || found->purpose != store::Purpose::Reset)
        return fail(link_error(LinkState::Unknown));
    if (auto s = state_of(found->used_at, found->expires_at, m_clock.now_ms());
        s != LinkState::Valid)
        return fail(link_error(s));
    auto account = TRY(m_db.transaction(db::TxMode::Read, [&](db::Connection& c) {
        return store::find_account(c, found->account_id);
    }));
    if (!account)
        return fail(link_error(LinkState::Unknown));
    TRY(security::check_new_password(new_password, account->email));
    auto password_hash = TRY(security::hash_password(new_password));
    return m_db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<void> {
        auto now = m_clock.now_ms();
        if (!TRY(store::use_account_token(c, hash, now)))
            return fail(link_error(LinkState::Used));
        TRY(store::update_password_hash(c, account->id, password_hash, now));
        TRY(store::void_account_tokens(c, account->id, store::Purpose::Reset, now));
        // Whoever knew the old password is signed out everywhere (OWASP Forgot Password).
        TRY(store::delete_account_sessions(c, account->id));
        TRY(record_account_activity(c, account->citizen_id, "portal.password_reset",
                                    nlohmann::json::object(), m_clock));
        if (m_mailer)
            TRY(m_mailer(c, {MailKind::PasswordChanged, account->citizen_id, account->email,
                             account->language, m_base_url + "/portal/password/forgot", ""}));
        return {};
    });
}

Result<void> AccountService::change_password(const PortalSession& session,
                                             const std::string& current,
                                             const std::string& new_password) {
    auto account = TRY(
        confirm_password(m_db, m_clock, session.account_id, current, "current_password"));
    TRY(security::check_new_password(new_password, account.email));
    auto hash = TRY(security::hash_password(new_password));
    return m_db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<void> {
        auto now = m_clock.now_ms();
        TRY(store::update_password_hash(c, account.id, hash, now));
        TRY(store::delete_other_sessions(c, account.id, security::sha256_hex(session.token)));
        TRY(store::void_account_tokens(c, account.id, store::Purpose::Reset, now));
        TRY(record_account_activity(c, account.citizen_id, "portal.password_changed",
                                    nlohmann::json::object(), m_clock));
        if (m_mailer)
            TRY(m_mailer(c, {MailKind::PasswordChanged, account.citizen_id, account.email,
                             account.language, m_base_url + "/portal/password/forgot", ""}));
        return {};
    });
}

Result<void> AccountService::request_email_change(const PortalSession& session,
                                                  const std::string& password,
                                                  const std::string& new_email_in,
                                                  const Client& client) {
    auto new_email = normalise_email(new_email_in);
    if (auto v = valid_email(new_email); !v)
        return fail(Error::invalid(v.error().message, "new_email"));
    auto account = TRY(
        confirm_password(m_db, m_clock, session.account_id, password, "current_password"));
    if (new_email == account.email)
        return fail(Error::invalid("This is your address already.", "new_email"));
    TRY(m_db.transaction(db::TxMode::Write,
                         [&](db::Connection& c) { return limit_mails(c, new_email, client.ip); }));
    auto token = security::random_token(32);
    return m_db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<void> {
        if (!m_mailer)
            return fail(Error::unavailable("no portal mailer is configured"));
        auto now = m_clock.now_ms();
        TRY(m_mailer(c, {MailKind::EmailChangeRequested, account.citizen_id, account.email,
                         account.language, m_base_url + "/portal/security", new_email}));
        if (auto other = TRY(store::find_account_by_email(c, new_email)))
            return m_mailer(c, {MailKind::EmailTaken, other->citizen_id, new_email, other->language,
                                m_base_url + "/portal/login", ""});
        TRY(store::void_account_tokens(c, account.id, store::Purpose::Email, now));
        TRY(store::insert_account_token(c, security::sha256_hex(token), account.id,
                                        store::Purpose::Email, new_email, now,
                                        now + m_policy.email_ttl.count()));
        return m_mailer(c, {MailKind::ConfirmNewEmail, account.citizen_id, new_email,
                            account.language, link("/portal/email/confirm/", token), ""});
    });
}

Result<LinkState> AccountService::email_change_state(const std::string& token) {
    return m_db.transaction(db::TxMode::Read, [&](db::Connection& c) -> Result<LinkState> {
        auto t = TRY(store::find_account_token(c, security::sha256_hex(token)));
        if (!t || t->purpose != store::Purpose::Email)
            return LinkState::Unknown;
        return state_of(t->used_at, t->expires_at, m_clock.now_ms());
    });
}

Result<void> AccountService::confirm_email_change(const std::string& token) {
    auto hash = security::sha256_hex(token);
    return m_db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<void> {
        auto now = m_clock.now_ms();
        auto t = TRY(store::find_account_token(c, hash));
        if (!t || t->purpose != store::Purpose::Email)
            return fail(link_error(LinkState::Unknown));
        if (auto s = state_of(t->used_at, t->expires_at, now); s != LinkState::Valid)
            return fail(link_error(s));
        auto account = TRY(store::find_account(c, t->account_id));
        if (!account)
            return fail(link_error(LinkState::Unknown));
        if (TRY(store::find_account_by_email(c, t->new_email)))
            return fail(
                Error{ErrorCode::AlreadyExists, "Another account has this address.", "new_email"});
        auto holder = TRY(citizens::store::find_citizen_id_by_email(c, t->new_email));
        if (holder && *holder != account->citizen_id)
            return fail(
                Error{ErrorCode::AlreadyExists, "Another profile has this address.", "new_email"});
        if (!TRY(store::use_account_token(c, hash, now)))
            return fail(link_error(LinkState::Used));
        std::string old_email = account->email;
        TRY(store::update_account_email(c, account->id, t->new_email, now));
        citizens::CitizenChanges change;
        change.email = t->new_email;
        TRY(citizens::store::update_citizen(c, account->citizen_id, change,
                                            {fmt::format("citizen:{}", account->citizen_id), ""},
                                            m_clock));
        // A reset link sent to the old address must not work any more.
        TRY(store::void_account_tokens(c, account->id, store::Purpose::Reset, now));
        return record_account_activity(c, account->citizen_id, "portal.email_changed",
                                       nlohmann::json::object(), m_clock);
    });
}

} // namespace teilhabe::portal
