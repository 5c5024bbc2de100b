#pragma once
// For the tests of the account pages: the portal's routes with a mailer that records what it
// would send, and the link of the last mail of a kind. Only for tests.

#include "portal/mailer.h"
#include "portal/routes.h"
#include "portal/test_support.h"

#include <memory>
#include <vector>

namespace teilhabe::portal::testing {

struct MailLog {
    std::vector<PortalMail> mails;
    bool refuse{false}; // the outbox is down: the mailer fails

    PortalMailer mailer() {
        return [this](db::Connection&, const PortalMail& m) -> Result<void> {
            if (refuse)
                return fail(Error::unavailable("outbox down"));
            mails.push_back(m);
            return {};
        };
    }
    std::vector<PortalMail> of(MailKind k) const {
        std::vector<PortalMail> out;
        for (const auto& m : mails)
            if (m.kind == k)
                out.push_back(m);
        return out;
    }
    // The path of the last mail of the kind ("/portal/verify/<token>"); "" when none.
    std::string path_of_last(MailKind k) const {
        auto all = of(k);
        if (all.empty())
            return {};
        auto url = all.back().url;
        auto p = url.find("/portal/");
        return p == std::string::npos ? url : url.substr(p);
    }
};

} // namespace teilhabe::portal::testing
