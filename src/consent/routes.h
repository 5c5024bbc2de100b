#pragma once
// The routes of newsletters and consent: the topics API (/api/v1/topics), the consent texts
// (/api/v1/consent-texts/{kind}), a person's consents (/api/v1/citizens/{id}/consents), the
// public pages (/subscribe, /confirm/{token}, /unsubscribe/{token}) and the admin screens
// (/admin/topics, /admin/citizens/{id}/consents). The confirmation mail goes through `mailer`
// (consent/mailer.h), which the application wires to the delivery outbox.

#include "consent/mailer.h"
#include "web/route.h"

#include <vector>

namespace teilhabe::consent {

std::vector<web::RouteDef> routes(ConfirmationMailer mailer);

} // namespace teilhabe::consent
