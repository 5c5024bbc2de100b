#include "delivery/bounce.h"

#include "base/email.h"
#include "delivery/outbox_store.h"
#include "delivery/suppression_store.h"
#include "delivery/verp.h"

#include <fmt/format.h>

namespace teilhabe::delivery {

nlohmann::json to_json(const BounceOutcome& o) {
    return {{"hard", o.hard}, {"soft", o.soft}, {"ignored", o.ignored}, {"bounced_rows", o.rows}};
}

namespace {

std::string detail_of(const DsnRecipient& r) {
    auto d = fmt::format("{} {}", r.status, r.diagnostic_code);
    return d.size() > 500 ? d.substr(0, 500) : d;
}

} // namespace

Result<BounceOutcome> apply_dsn(db::Connection& c, const Dsn& dsn, std::string_view envelope_recipient,
                                std::string_view verp_secret, const Clock& clock) {
    std::optional<OutboxRow> verp_row;
    auto id = parse_verp(envelope_recipient, verp_secret);
    if (!id)
        id = parse_verp(dsn.to, verp_secret);
    if (id)
        verp_row = TRY(outbox::find(c, *id));
    BounceOutcome out;
    for (const auto& r : dsn.recipients) {
        // The VERP row holds when the report is about its recipient (or its address was
        // erased); a report about another address falls back to that address's last message.
        auto row = verp_row;
        if (row && !row->email.empty() && row->email != normalise_email(r.final_recipient) &&
            row->email != normalise_email(r.original_recipient) && dsn.recipients.size() > 1)
            row.reset();
        if (!row)
            row = TRY(outbox::find_last_sent_to(c, r.final_recipient));
        auto address = row && !row->email.empty() ? row->email : r.final_recipient;
        if (r.permanent()) {
            ++out.hard;
            if (row && TRY(outbox::mark_bounced(c, row->id, "bounce: " + detail_of(r), clock)))
                out.rows.push_back(row->id);
            if (!address.empty())
                TRY(suppressions::suppress(c, address, suppressions::Reason::HardBounce,
                                           detail_of(r), clock));
        } else if (r.temporary()) {
            ++out.soft;
            if (!address.empty())
                TRY(suppressions::record_soft_bounce(c, address, detail_of(r), clock));
        } else {
            ++out.ignored;
        }
    }
    return out;
}

} // namespace teilhabe::delivery
