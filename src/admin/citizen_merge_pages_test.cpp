// Merging two profiles in the admin through the real dispatcher: the hint on the profile, the
// search for the duplicate, the comparison with a choice per differing value, the confirmation
// behind CSRF, and refusals shown on the comparison.

#include "admin/admin_test_fixture.h"

#include <fmt/format.h>

namespace teilhabe::admin::testing {
namespace {

class MergePages : public AdminPagesTest {
protected:
    void SetUp() override {
        AdminPagesTest::SetUp();
        if (HasFatalFailure())
            return;
        add_field({{"key", "birth_year"},
                   {"type", "number"},
                   {"label", {{"de", "Geburtsjahr"}, {"en", "Year of birth"}}}});
        anna = add_citizen({{"email", "anna@example.org"},
                            {"first_name", "Anna"},
                            {"last_name", "Alt"},
                            {"tags", {"presse"}},
                            {"attributes", {{"birth_year", 1984}}}});
        dupe = add_citizen({{"email", "anna.alt@example.org"},
                            {"first_name", "Anna"},
                            {"last_name", "Alt"},
                            {"district", "Nord"},
                            {"tags", {"vhs"}},
                            {"attributes", {{"birth_year", 1985}}}});
        base = fmt::format("/admin/citizens/{}", anna);
    }
    std::int64_t anna{0}, dupe{0};
    std::string base;
};

TEST_P(MergePages, TheProfileOffersTheMergeAndNamesSameNamedPeople) {
    auto profile = get(base);
    ASSERT_EQ(profile.status, 200) << profile.body;
    EXPECT_TRUE(contains(profile.body, "href=\"" + base + "/merge\">Mit Duplikat zusammenführen"));
    EXPECT_TRUE(contains(profile.body, "Mögliche Duplikate"));
    EXPECT_TRUE(contains(profile.body, fmt::format("href=\"{}/merge?duplicate={}\"", base, dupe)));
    EXPECT_TRUE(contains(profile.body, "anna.alt@example.org, Nord"));
    EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'citizen.listed' AND detail "
                    "LIKE '1 profiles; possible duplicates%'"),
              1)
        << "showing other people's names is audited";
}

TEST_P(MergePages, SearchCompareConfirmAndMerge) {
    auto choose = get(base + "/merge?q=anna");
    ASSERT_EQ(choose.status, 200) << choose.body;
    EXPECT_TRUE(contains(choose.body, fmt::format("{}/merge?duplicate={}", base, dupe)));
    EXPECT_FALSE(contains(choose.body, fmt::format("{}/merge?duplicate={}\"", base, anna)))
        << "the profile itself is not offered";

    auto compare = get(fmt::format("{}/merge?duplicate={}", base, dupe));
    ASSERT_EQ(compare.status, 200) << compare.body;
    EXPECT_TRUE(
        contains(compare.body, "name=\"prefer.attributes.birth_year\" value=\"duplicate\""));
    EXPECT_FALSE(contains(compare.body, "name=\"prefer.first_name\"")) << "the same: no choice";
    EXPECT_TRUE(contains(compare.body, "wird aus dem Duplikat übernommen")) << "the district";
    EXPECT_TRUE(contains(compare.body, "presse, vhs")) << "tags united";
    EXPECT_TRUE(
        contains(compare.body, fmt::format("/admin/citizens/{}/merge?duplicate={}", dupe, anna)))
        << "the other way round";

    auto confirm = get(fmt::format("{}/merge/confirm?duplicate={}&prefer.attributes.birth_year="
                                   "duplicate",
                                   base, dupe));
    ASSERT_EQ(confirm.status, 200) << confirm.body;
    EXPECT_TRUE(contains(confirm.body, "Soll Anna Alt (anna.alt@example.org) in Anna Alt "
                                       "(anna@example.org) zusammengeführt werden?"));
    EXPECT_TRUE(
        contains(confirm.body, "name=\"prefer.attributes.birth_year\" value=\"duplicate\""));
    EXPECT_TRUE(contains(confirm.body, "name=\"csrf\""));

    std::string form = fmt::format("duplicate={}&prefer.attributes.birth_year=duplicate", dupe);
    EXPECT_EQ(post(base + "/merge", form, false).status, 403);
    EXPECT_EQ(count("SELECT count(*) FROM citizens"), 2);
    auto done = post(base + "/merge", form);
    ASSERT_EQ(done.status, 303) << done.body;
    EXPECT_EQ(done.header("location").value_or(""), base + "?merged=1");
    EXPECT_EQ(count("SELECT count(*) FROM citizens"), 1);
    EXPECT_EQ(count("SELECT count(*) FROM citizen_values WHERE citizen_id = ? AND value = '1985'",
                    {anna}),
              1);
    auto after = get(base + "?merged=1");
    EXPECT_TRUE(contains(after.body, "Die Profile wurden zusammengeführt."));
    EXPECT_TRUE(contains(after.body, "citizen.merged"));
    EXPECT_FALSE(contains(after.body, "Mögliche Duplikate"));
    EXPECT_EQ(get(fmt::format("/admin/citizens/{}", dupe)).status, 404);
}

TEST_P(MergePages, RefusalsAreShownOnTheComparison) {
    auto self = get(fmt::format("{}/merge?duplicate={}", base, anna));
    EXPECT_EQ(self.status, 422);
    EXPECT_TRUE(contains(self.body, "nicht mit sich selbst"));
    EXPECT_EQ(get(fmt::format("{}/merge?duplicate=999999", base)).status, 404);

    auto restricted = post(fmt::format("/admin/citizens/{}/restriction", dupe),
                           "restricted=yes&reason=Widerspruch");
    ASSERT_EQ(restricted.status, 303);
    auto compare = get(fmt::format("{}/merge?duplicate={}", base, dupe));
    ASSERT_EQ(compare.status, 200);
    EXPECT_TRUE(contains(compare.body, "DSGVO Art. 18"));
    EXPECT_FALSE(contains(compare.body, "Weiter zur Bestätigung")) << "no way on";
    auto refused = post(base + "/merge", fmt::format("duplicate={}", dupe));
    EXPECT_EQ(refused.status, 409);
    EXPECT_TRUE(contains(refused.body, "role=\"alert\""));
    EXPECT_EQ(count("SELECT count(*) FROM citizens"), 2);
}

INSTANTIATE_TEST_SUITE_P(Backends, MergePages, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::admin::testing
