#pragma once
// Delivery status notifications (RFC 3464): a multipart/report (RFC 6522) whose
// message/delivery-status part has per-message fields and one block per recipient (Action,
// Status, Diagnostic-Code, Final-Recipient), and usually the returned message or its headers
// (message/rfc822, text/rfc822-headers).

#include "base/error.h"

#include <string>
#include <string_view>
#include <vector>

namespace teilhabe::delivery {

struct DsnRecipient {
    std::string final_recipient;    // the address, without "rfc822;"
    std::string original_recipient; // empty when absent
    std::string action;             // failed, delayed, delivered, relayed, expanded (lower case)
    std::string status;             // "5.1.1"
    std::string diagnostic_code;    // "smtp; 550 5.1.1 no such user", unfolded

    bool permanent() const { return action == "failed" || status.starts_with('5'); }
    bool temporary() const { return !permanent() && (action == "delayed" || status.starts_with('4')); }
};

struct Dsn {
    std::string to;            // the report's To: header (our VERP address, verp.h)
    std::string reporting_mta; // "dns; mail.example.org"
    std::vector<DsnRecipient> recipients;
    std::string original_message_id; // Message-ID of the returned message, when included
    std::string original_return_path;
};

// InvalidArgument when `raw` is not a message with a message/delivery-status part.
Result<Dsn> parse_dsn(std::string_view raw);

} // namespace teilhabe::delivery
