#pragma once
// The portal's mails about an account (verification, reset, change of address and the notices
// that go with them) are handed over inside the transaction that stores their token, as the
// double opt-in mail is (consent/mailer.h): either both happen or neither. The application
// wires this to the delivery outbox (app/mail_setup.h); tests record the calls.

#include "base/error.h"
#include "db/connection.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace teilhabe::portal {

enum class MailKind {
    VerifyRegistration,   // link to confirm a new account
    AlreadyRegistered,    // someone registered with an address that has an account: a notice
    PasswordReset,        // link to set a new password
    PasswordChanged,      // notice after a reset or a change
    ConfirmNewEmail,      // link to the new address
    EmailChangeRequested, // notice to the old address
    EmailTaken,           // to the new address when it has an account already: a notice
};

struct PortalMail {
    MailKind kind{MailKind::VerifyRegistration};
    std::optional<std::int64_t> citizen_id; // none while a registration is not verified
    std::string to_email;
    std::string language{"de"};
    std::string url;       // the link of the mail: to verify, to reset, to log in
    std::string new_email; // EmailChangeRequested: the address asked for
};

using PortalMailer = std::function<Result<void>(db::Connection&, const PortalMail&)>;

} // namespace teilhabe::portal
