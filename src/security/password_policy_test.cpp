#include "security/password_policy.h"

#include <gtest/gtest.h>

namespace teilhabe::security {
namespace {

TEST(PasswordPolicy, TheListIsCompiledInWithAboutTenThousandEntries) {
    EXPECT_GE(common_password_count(), 10000u);
    EXPECT_TRUE(is_common_password("password"));
    EXPECT_TRUE(is_common_password("PassWord"));  // compared in lower case
    EXPECT_TRUE(is_common_password("1qaz2wsx"));  // from the breach corpus
    EXPECT_TRUE(is_common_password("schalke04")); // added German ones
    EXPECT_TRUE(is_common_password("Fußball"));
    EXPECT_FALSE(is_common_password("Rathausplatz 7, dritter Stock"));
}

TEST(PasswordPolicy, LengthInCharactersNotBytes) {
    EXPECT_EQ(password_problem("1234567", ""), PasswordProblem::TooShort);
    // Seven characters, nine bytes: still too short.
    EXPECT_EQ(password_problem("äöüäöü1", ""), PasswordProblem::TooShort);
    EXPECT_EQ(password_problem("Müllabfuhr", ""), PasswordProblem::None);
    EXPECT_EQ(password_problem(std::string(64, 'k') + "x", ""), PasswordProblem::None);
    EXPECT_EQ(password_problem(std::string(128, 'k'), ""), PasswordProblem::None);
    EXPECT_EQ(password_problem(std::string(129, 'k'), ""), PasswordProblem::TooLong);
    // 128 characters of two bytes each are fine.
    std::string umlauts;
    for (int i = 0; i < 128; ++i)
        umlauts += "ä";
    EXPECT_EQ(password_problem(umlauts, ""), PasswordProblem::None);
}

TEST(PasswordPolicy, NoCompositionRulesButNotTheAddress) {
    EXPECT_EQ(password_problem("alllowercaseletters", ""), PasswordProblem::None);
    EXPECT_EQ(password_problem("anna.schmidt", "anna.schmidt@example.org"),
              PasswordProblem::TooCommon);
    EXPECT_EQ(password_problem("ANNA.SCHMIDT@example.org", "anna.schmidt@example.org"),
              PasswordProblem::TooCommon);
    EXPECT_EQ(password_problem("qwertzuiop", ""), PasswordProblem::TooCommon);
    auto r = check_new_password("password1", "");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().field, "password");
}

} // namespace
} // namespace teilhabe::security
