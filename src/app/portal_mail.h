#pragma once
// The portal's mails about an account (portal/mailer.h), composed in German or English, signed
// and queued in the outbox in the caller's transaction, as the double opt-in mail is.

#include "app/mail_setup.h"
#include "portal/mailer.h"

namespace teilhabe::app {

portal::PortalMailer portal_mailer(OutgoingMail out, const Clock& clock);
// The message itself (for tests): CRLF MIME, signed when a key is given.
Result<std::string> portal_message(const OutgoingMail& out, const portal::PortalMail& m,
                                   const Clock& clock);

} // namespace teilhabe::app
