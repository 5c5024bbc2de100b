#pragma once
// The double opt-in mail is handed over inside the transaction that records the pending
// consent, so that either both happen or neither (no consent waiting for a mail that was never
// queued, no mail about a request that rolled back). The application wires this to the
// delivery outbox (delivery's enqueue_transactional); tests record the calls.

#include "base/error.h"
#include "db/connection.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace teilhabe::consent {

struct ConfirmationMail {
    std::int64_t citizen_id{0};
    std::string to_email;
    std::string language; // "de" or "en"
    std::string confirm_url;
    std::vector<std::string> topic_names; // in `language`; empty when only tracking is asked
    bool tracking{false};                 // the mail also confirms click tracking
};

using ConfirmationMailer = std::function<Result<void>(db::Connection&, const ConfirmationMail&)>;

} // namespace teilhabe::consent
