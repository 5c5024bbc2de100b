// /api/v1/fields through the real dispatcher: the definition's life cycle, confirmation before
// values are dropped, and department staff limited to their department's fields.

#include "citizens/api_fixture.h"

namespace teilhabe::citizens {
namespace {

using http::Method;
using nlohmann::json;
using staff::Role;
using testing::ApiTest;

json has_dog() {
    return {{"key", "has_dog"}, {"type", "bool"}, {"label", {{"de", "Hund"}, {"en", "Dog"}}}};
}

using FieldApi = ApiTest;

TEST_P(FieldApi, LifeCycle) {
    auto created = call(Method::Post, "/api/v1/fields", Role::Editor, has_dog());
    ASSERT_EQ(created.status, 201) << created.body;
    EXPECT_EQ(created.location, "/api/v1/fields/has_dog");
    EXPECT_EQ(created.body["type"], "bool");
    EXPECT_EQ(created.body["personal"], true);

    auto list = call(Method::Get, "/api/v1/fields", Role::Department);
    ASSERT_EQ(list.status, 200);
    ASSERT_EQ(list.body["items"].size(), 1u);
    EXPECT_TRUE(list.body["next_cursor"].is_null());
    EXPECT_EQ(call(Method::Get, "/api/v1/fields/has_dog", Role::DataProtection).status, 200);
    EXPECT_EQ(call(Method::Get, "/api/v1/fields/nope", Role::Editor).status, 404);
    EXPECT_EQ(call(Method::Get, "/api/v1/fields", Role::Partner).status, 403);

    auto dup = call(Method::Post, "/api/v1/fields", Role::Editor, has_dog());
    EXPECT_EQ(dup.status, 409);
    auto bad = call(Method::Post, "/api/v1/fields", Role::Editor,
                    {{"key", "Bad-Key"}, {"type", "bool"}, {"label", {{"de", "x"}, {"en", "y"}}}});
    EXPECT_EQ(bad.status, 422);
    EXPECT_EQ(bad.body["errors"][0]["field"], "key");
    auto regex = call(Method::Post, "/api/v1/fields", Role::Editor,
                      {{"key", "plz"},
                       {"type", "text"},
                       {"pattern", "[0-9"},
                       {"label", {{"de", "PLZ"}, {"en", "Postcode"}}}});
    EXPECT_EQ(regex.status, 422);
    EXPECT_EQ(regex.body["errors"][0]["field"], "pattern");
    EXPECT_EQ(call(Method::Post, "/api/v1/fields", Role::Analyst, has_dog()).status, 403);

    auto patched = call(Method::Patch, "/api/v1/fields/has_dog", Role::Editor,
                        {{"label", {{"en", "Owns a dog"}}}, {"ask_in_portal", true}});
    ASSERT_EQ(patched.status, 200) << patched.body;
    EXPECT_EQ(patched.body["label"], json({{"de", "Hund"}, {"en", "Owns a dog"}}));
    EXPECT_EQ(
        call(Method::Patch, "/api/v1/fields/has_dog", Role::Editor, {{"key", "has_cat"}}).status,
        422);
    EXPECT_EQ(call(Method::Delete, "/api/v1/fields/has_dog", Role::Editor).status, 204);
    EXPECT_EQ(call(Method::Get, "/api/v1/fields/has_dog", Role::Editor).status, 404);
}

TEST_P(FieldApi, DroppingValuesNeedsForceOrConfirm) {
    ASSERT_EQ(call(Method::Post, "/api/v1/fields", Role::Editor, has_dog()).status, 201);
    for (const char* e : {"a@example.org", "b@example.org", "c@example.org"})
        ASSERT_EQ(call(Method::Post, "/api/v1/citizens", Role::Editor,
                       {{"email", e}, {"attributes", {{"has_dog", true}}}})
                      .status,
                  201);
    auto refused = call(Method::Delete, "/api/v1/fields/has_dog", Role::Editor);
    EXPECT_EQ(refused.status, 422);
    EXPECT_EQ(refused.content_type, "application/problem+json");
    EXPECT_NE(refused.body["detail"].get<std::string>().find("3 people"), std::string::npos)
        << refused.body;
    auto retype = call(Method::Patch, "/api/v1/fields/has_dog", Role::Editor, {{"type", "text"}});
    EXPECT_EQ(retype.status, 422);
    EXPECT_EQ(
        call(Method::Patch, "/api/v1/fields/has_dog?force=maybe", Role::Editor, {{"type", "text"}})
            .status,
        400);
    auto forced =
        call(Method::Patch, "/api/v1/fields/has_dog?force=true", Role::Editor, {{"type", "text"}});
    ASSERT_EQ(forced.status, 200) << forced.body;
    // Values that fit the new type are carried over ("true" is a text), the rest would go.
    EXPECT_EQ(scalar("SELECT count(*) FROM citizen_values WHERE value = 'true'"), 3);

    EXPECT_EQ(
        call(Method::Patch, "/api/v1/fields/has_dog", Role::Editor, {{"type", "bool"}}).status,
        422);
    ASSERT_EQ(call(Method::Patch, "/api/v1/fields/has_dog", Role::Editor,
                   {{"type", "bool"}, {"confirm", true}})
                  .status,
              200);
    ASSERT_EQ(call(Method::Post, "/api/v1/citizens", Role::Editor,
                   {{"email", "d@example.org"}, {"attributes", {{"has_dog", false}}}})
                  .status,
              201);
    EXPECT_EQ(
        call(Method::Delete, "/api/v1/fields/has_dog", Role::Editor, {{"confirm", true}}).status,
        204);
    EXPECT_EQ(scalar("SELECT count(*) FROM fields"), 0);
}

TEST_P(FieldApi, DepartmentStaffManageOnlyTheirDepartmentsFields) {
    auto [cookie, csrf] = department_session("vhs");
    http::Headers session{{"cookie", cookie}, {"x-csrf-token", csrf}};
    auto own = send(Method::Post, "/api/v1/fields", session,
                    {{"key", "course_level"},
                     {"type", "choice"},
                     {"options", {"A1", "A2"}},
                     {"label", {{"de", "Niveau"}, {"en", "Level"}}}});
    ASSERT_EQ(own.status, 201) << own.body;
    EXPECT_EQ(own.body["department"], "vhs");

    auto theirs = call(Method::Post, "/api/v1/fields", Role::Editor,
                       {{"key", "tree_sponsor"},
                        {"type", "bool"},
                        {"department", "umwelt"},
                        {"label", {{"de", "Baumpate"}, {"en", "Tree sponsor"}}}});
    ASSERT_EQ(theirs.status, 201);
    auto refused =
        send(Method::Patch, "/api/v1/fields/tree_sponsor", session, {{"required", true}});
    EXPECT_EQ(refused.status, 403);
    EXPECT_EQ(refused.content_type, "application/problem+json");
    EXPECT_EQ(send(Method::Delete, "/api/v1/fields/tree_sponsor", session, nullptr).status, 403);
    EXPECT_EQ(send(Method::Post, "/api/v1/fields", session,
                   {{"key", "x"},
                    {"type", "bool"},
                    {"department", "umwelt"},
                    {"label", {{"de", "x"}, {"en", "x"}}}})
                  .status,
              403);
    EXPECT_EQ(send(Method::Patch, "/api/v1/fields/course_level", session,
                   {{"options", {"A1", "A2", "B1"}}})
                  .status,
              200);
    // A session without the CSRF token changes nothing.
    EXPECT_EQ(
        send(Method::Delete, "/api/v1/fields/course_level", {{"cookie", cookie}}, nullptr).status,
        403);
    EXPECT_EQ(scalar("SELECT count(*) FROM fields WHERE key = 'course_level'"), 1);
    // An API key cannot carry a department, so the department role's key manages no field;
    // an unknown field is still 404 for it, as for everyone.
    EXPECT_EQ(
        call(Method::Patch, "/api/v1/fields/nope", Role::Department, {{"required", true}}).status,
        404);
    EXPECT_EQ(
        call(Method::Patch, "/api/v1/fields/course_level", Role::Department, {{"required", true}})
            .status,
        403);
    EXPECT_EQ(call(Method::Post, "/api/v1/fields", Role::Department,
                   {{"key", "y"}, {"type", "bool"}, {"label", {{"de", "y"}, {"en", "y"}}}})
                  .status,
              403);
}

INSTANTIATE_TEST_SUITE_P(Backends, FieldApi, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::citizens
