#pragma once
// The mails about a person's event registration (events/registration.h): they moved up from the
// waiting list, or the event was cancelled. Composed in German or English, signed and queued in the outbox in the caller's transaction,
// as the portal's account mails are (app/portal_mail.h).

#include "app/mail_setup.h"
#include "events/registration.h"

namespace teilhabe::app {

events::PromotionMailer event_mailer(OutgoingMail out, std::string base_url, const Clock& clock);
// The message itself (for tests): CRLF MIME, signed when a key is given.
Result<std::string> promotion_message(const OutgoingMail& out, const std::string& base_url,
                                      const events::PromotionMail& m, const Clock& clock);

} // namespace teilhabe::app
