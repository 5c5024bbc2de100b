// The second factor of staff accounts: the code step and the set-up step of the log-in, the
// administrators' setting that requires it, and its reset for a lost phone.

#include "security/crypto.h"
#include "security/totp.h"
#include "staff/auth_service.h"
#include "staff/staff_store.h"

#include <fmt/format.h>

namespace teilhabe::staff {

namespace {

constexpr const char* kRequiredSetting = "staff_second_factor_required";
constexpr std::int64_t kTicketMs = 5 * 60 * 1000;

} // namespace

std::string AuthService::make_ticket(std::int64_t user_id) const {
    auto body = fmt::format("{}.{}", user_id, m_clock.now_ms() + kTicketMs);
    return body + "." + security::hmac_sha256_hex(m_secret, "staff-2fa|" + body);
}

std::optional<std::int64_t> AuthService::read_ticket(const std::string& ticket) const {
    auto last = ticket.rfind('.');
    if (last == std::string::npos)
        return std::nullopt;
    auto body = ticket.substr(0, last);
    if (!security::constant_time_equal(ticket.substr(last + 1),
                                       security::hmac_sha256_hex(m_secret, "staff-2fa|" + body)))
        return std::nullopt;
    auto dot = body.find('.');
    try {
        auto id = std::stoll(body.substr(0, dot));
        if (dot == std::string::npos || m_clock.now_ms() >= std::stoll(body.substr(dot + 1)))
            return std::nullopt;
        return id;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

Result<LoginResult> AuthService::second_factor(const std::string& ticket, const std::string& code,
                                               const LoginRequest& r) {
    auto id = read_ticket(ticket);
    if (!id)
        return fail(Error::precondition("The log-in took too long. Please sign in again."));
    std::optional<StaffUser> user;
    std::string scope;
    bool ok = false;
    TRY(m_db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<void> {
        user = TRY(store::find_user(c, *id));
        if (!user || user->disabled)
            return {};
        scope = device_scope(r, user->email);
        TRY(check_throttle(c, scope, r.ip));
        auto totp = TRY(store::find_totp(c, user->id));
        if (!totp.secret)
            return {};
        if (auto step = security::totp_verify(*totp.secret, code, m_clock.now_ms()))
            ok = TRY(store::use_totp_step(c, user->id, *step));
        return {};
    }));
    if (!user || user->disabled)
        return fail(Error::precondition("Please sign in again."));
    if (!ok) {
        TRY(record_failure(scope, r.ip));
        return fail(
            Error{ErrorCode::Unauthenticated, "The code is wrong or was used already.", "code"});
    }
    return start_session(*user, r, scope, "");
}

Result<LoginResult> AuthService::enrol_second_factor(const std::string& ticket,
                                                     const std::string& secret,
                                                     const std::string& code,
                                                     const LoginRequest& r) {
    auto id = read_ticket(ticket);
    if (!id)
        return fail(Error::precondition("The log-in took too long. Please sign in again."));
    auto key = security::base32_decode(secret);
    if (!key || key->size() < 16)
        return fail(Error::precondition("The key is not valid. Please sign in again."));
    auto step = security::totp_verify(secret, code, m_clock.now_ms());
    auto user = TRY(m_db.transaction(db::TxMode::Read,
                                     [&](db::Connection& c) { return store::find_user(c, *id); }));
    if (!user || user->disabled)
        return fail(Error::precondition("Please sign in again."));
    if (!step)
        return fail(Error{ErrorCode::Unauthenticated, "The code does not match.", "code"});
    TRY(m_db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<void> {
        // Set up once per ticket: an account that has one already goes through the code step.
        if (TRY(store::find_totp(c, user->id)).secret)
            return fail(Error::precondition("The second factor is set up already."));
        TRY(store::enable_totp(c, user->id, secret, *step, m_clock));
        return store::audit(c,
                            {"staff:" + std::to_string(user->id), "staff.second_factor.enabled",
                             "staff:" + std::to_string(user->id), "", r.ip},
                            m_clock);
    }));
    return start_session(*user, r, device_scope(r, user->email), "");
}

Result<bool> AuthService::second_factor_required() {
    auto value = TRY(m_db.transaction(db::TxMode::Read, [](db::Connection& c) {
        return store::get_setting(c, kRequiredSetting);
    }));
    return value && *value == "1";
}

Result<void> AuthService::set_second_factor_required(bool required, const std::string& actor) {
    return m_db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<void> {
        TRY(store::put_setting(c, kRequiredSetting, required ? "1" : "0", m_clock));
        return store::audit(
            c, {actor, "staff.second_factor.policy", "", required ? "required" : "optional", ""},
            m_clock);
    });
}

Result<void> AuthService::reset_second_factor(std::int64_t user_id, const std::string& actor) {
    return m_db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<void> {
        if (!TRY(store::disable_totp(c, user_id, m_clock)))
            return fail(Error::not_found(fmt::format("There is no staff account {}.", user_id)));
        TRY(store::delete_user_sessions(c, user_id));
        return store::audit(
            c, {actor, "staff.second_factor.reset", "staff:" + std::to_string(user_id), "", ""},
            m_clock);
    });
}

} // namespace teilhabe::staff
