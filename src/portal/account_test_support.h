#pragma once
// For the tests of the account pages: the portal's routes with a mailer that records what it
// would send, and the link of the last mail of a kind. Only for tests.

#include "portal/mailer.h"
#include "portal/routes.h"
#include "portal/test_support.h"

#include <gtest/gtest.h>
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

// The whole portal with a recorded mailer, on each engine, and Anna with a verified account
// ("Sonnenblume 42"): the start of every account test.
class AccountFixture : public ::testing::TestWithParam<db::Backend> {
protected:
    void SetUp() override {
        h = portal_harness(GetParam(), whole_portal(log.mailer()));
        ASSERT_TRUE(h);
        anna = h->add_citizen("anna@musterstadt.example", "Anna");
        account = add_account(*h, anna, "anna@musterstadt.example", "Sonnenblume 42");
    }
    std::int64_t count(const std::string& sql, db::Params params = {}) {
        return h->db().acquire().value()->query_one(sql, params).value().get_int(0);
    }
    MailLog log;
    std::unique_ptr<web::testing::ApiHarness> h;
    std::int64_t anna{0}, account{0};
};

} // namespace teilhabe::portal::testing
