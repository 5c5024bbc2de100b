// What the account pages keep about a person, seen from the GDPR side on both engines: the
// export shows no hash of a password, token or code; erasure leaves no row of theirs in the
// tables of migration 0012.

#include "gdpr/gdpr_store.h"
#include "portal/account_test_support.h"
#include "portal/login_service.h"
#include "security/totp.h"

#include <gtest/gtest.h>

namespace teilhabe::portal {
namespace {

class AccountGdprTest : public testing::AccountFixture {};

TEST_P(AccountGdprTest, TheExportShowsNoHashAndErasureLeavesNoRow) {
    // A reset link, a change of address waiting, a second factor with recovery codes.
    web::testing::Browser b(*h);
    testing::sign_in(b, "anna@musterstadt.example", "Sonnenblume 42");
    b.get("/portal/security");
    ASSERT_EQ(b.post_form("/portal/security/email",
                          "new_email=anna.neu%40musterstadt.example&email_password=Sonnenblume+42")
                  .status,
              303);
    b.get("/portal/password/forgot");
    ASSERT_EQ(b.post_form("/portal/password/forgot", "email=anna%40musterstadt.example").status,
              200);
    auto secret = security::new_totp_secret();
    ASSERT_TRUE(enable_totp(h->db(), h->clock(), account, secret,
                            security::totp_at(secret, h->clock().now_ms())));
    EXPECT_EQ(count("SELECT COUNT(*) FROM portal_account_tokens WHERE account_id = ?", {account}),
              2);
    EXPECT_EQ(count("SELECT COUNT(*) FROM portal_recovery_codes WHERE account_id = ?", {account}),
              10);

    auto exported = h->db().transaction(db::TxMode::Write, [&](db::Connection& c) {
        return gdpr::export_person(c, anna, {"staff:1", ""}, h->clock());
    });
    ASSERT_TRUE(exported.has_value()) << exported.error().message;
    auto text = exported->dump();
    EXPECT_NE(text.find("anna@musterstadt.example"), std::string::npos);
    EXPECT_EQ(text.find("$argon2id$"), std::string::npos);
    EXPECT_EQ(text.find("password_hash"), std::string::npos);
    EXPECT_EQ(text.find("token_hash"), std::string::npos) << "a token's hash in the export";
    EXPECT_EQ(text.find("code_hash"), std::string::npos);
    EXPECT_EQ(text.find(secret), std::string::npos) << "the second factor's key in the export";

    ASSERT_TRUE(h->db().transaction(db::TxMode::Write, [&](db::Connection& c) {
        return gdpr::erase_person(c, anna, {"staff:1", ""}, h->clock());
    }));
    EXPECT_EQ(count("SELECT COUNT(*) FROM citizen_accounts"), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM citizen_sessions"), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM portal_account_tokens"), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM portal_recovery_codes"), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, AccountGdprTest, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::portal
