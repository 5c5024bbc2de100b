#pragma once
// The town's outgoing mail as the settings describe it: sender, DKIM key, the frame of campaign
// e-mails, and the double opt-in mail, which goes into the outbox in the transaction of the
// sign-up it confirms.

#include "app/config.h"
#include "base/clock.h"
#include "consent/mailer.h"
#include "mail/dkim.h"
#include "mail/layout.h"
#include "mail/message.h"

#include <memory>

namespace teilhabe::app {

// "Stadt Musterstadt <info@musterstadt.de>" -> {name, address}.
mail::Address sender_of(const Config& config);
// None when no key is configured; an error names the setting when the key cannot be used.
Result<std::shared_ptr<const mail::DkimSigner>> dkim_of(const Config& config);
mail::LayoutSettings layout_of(const Config& config);

struct OutgoingMail {
    mail::Address from;
    std::string town_name;
    std::shared_ptr<const mail::DkimSigner> dkim;
};
// The confirmation mail (German or English), composed, signed and queued in the caller's
// transaction.
consent::ConfirmationMailer confirmation_mailer(OutgoingMail out, const Clock& clock);
// The message itself (for tests): CRLF MIME, signed when a key is given.
Result<std::string> confirmation_message(const OutgoingMail& out, const consent::ConfirmationMail& m,
                                         const Clock& clock);

} // namespace teilhabe::app
