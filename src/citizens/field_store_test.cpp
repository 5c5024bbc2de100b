// Custom field definitions in the database, on SQLite and PostgreSQL: changes that would drop
// people's values need confirmation, and department staff keep to their department's fields.

#include "citizens/test_fixture.h"

namespace teilhabe::citizens {
namespace {

using nlohmann::json;
using testing::StoreTest;

class FieldStore : public StoreTest {
protected:
    Result<FieldDefinition> update(const std::string& key, json body, FieldScope scope = {}) {
        auto in = parse_field_input(body, InputMode::Patch);
        if (!in)
            return fail(in.error());
        return tx([&](db::Connection& c) {
            return store::update_field(c, key, *in, scope, m_who, m_clock);
        });
    }
    Result<void> remove(const std::string& key, Confirm confirm, FieldScope scope = {}) {
        return tx([&](db::Connection& c) {
            return store::delete_field(c, key, confirm, scope, m_who, m_clock);
        });
    }
    std::int64_t department(const std::string& key) {
        return scalar("SELECT id FROM departments WHERE key = ?", {key});
    }
};

TEST_P(FieldStore, CreateListGetAndDuplicateKey) {
    auto all = tx([&](db::Connection& c) { return store::list_fields(c); });
    ASSERT_TRUE(all);
    ASSERT_EQ(all->size(), 3u);
    auto vol = tx([&](db::Connection& c) { return store::find_field(c, "volunteering"); });
    ASSERT_TRUE(vol && *vol);
    EXPECT_EQ((*vol)->options, (std::vector<std::string>{"garden", "library", "sports"}));
    EXPECT_TRUE((*vol)->personal) << "personal unless said otherwise";

    auto in = parse_field_input(
        {{"key", "has_dog"}, {"type", "text"}, {"label", {{"de", "x"}, {"en", "y"}}}},
        InputMode::Create);
    auto dup =
        tx([&](db::Connection& c) { return store::create_field(c, *in, {}, m_who, m_clock); });
    ASSERT_FALSE(dup);
    EXPECT_EQ(dup.error().code, ErrorCode::AlreadyExists);
    EXPECT_EQ(scalar("SELECT count(*) FROM activities WHERE type = 'field.created'"), 3);

    auto typed = make_field({{"key", "moved_in"},
                             {"type", "date"},
                             {"min", "1950-01-01"},
                             {"department", "umwelt"},
                             {"retention_days", 730}});
    auto back = tx([&](db::Connection& c) { return store::find_field(c, "moved_in"); });
    ASSERT_TRUE(back && *back);
    EXPECT_EQ(to_json(**back)["min"], "1950-01-01");
    EXPECT_EQ(*(*back)->department, "umwelt");
    EXPECT_EQ(*(*back)->retention_days, 730);
}

TEST_P(FieldStore, LabelsAndFlagsChangeWithoutTouchingValues) {
    ASSERT_TRUE(create({{"email", "a@example.org"}, {"attributes", {{"has_dog", true}}}}));
    auto d = update("has_dog", {{"label", {{"en", "Owns a dog"}}}, {"ask_in_portal", true}});
    ASSERT_TRUE(d) << d.error().message;
    EXPECT_EQ(d->label_en, "Owns a dog");
    EXPECT_EQ(d->label_de, "Feld");
    EXPECT_TRUE(d->ask_in_portal);
    EXPECT_EQ(scalar("SELECT count(*) FROM citizen_values"), 1);
    auto props = tx([&](db::Connection& c) {
        return c.query_one("SELECT props FROM activities WHERE type = 'field.updated'");
    });
    ASSERT_TRUE(props) << props.error().message;
    EXPECT_EQ(json::parse(props->get_text(0))["changed"], json({"ask_in_portal", "label"}));
    // Sending what is stored changes nothing and records nothing.
    ASSERT_TRUE(update("has_dog", {{"ask_in_portal", true}, {"confirm", true}}));
    EXPECT_EQ(scalar("SELECT count(*) FROM activities WHERE type = 'field.updated'"), 1);
    auto missing = update("nope", {{"required", true}});
    EXPECT_EQ(missing.error().code, ErrorCode::NotFound);
}

TEST_P(FieldStore, DeletingAFieldWithValuesNeedsConfirmation) {
    ASSERT_TRUE(create({{"email", "a@example.org"}, {"attributes", {{"has_dog", true}}}}));
    ASSERT_TRUE(create({{"email", "b@example.org"}, {"attributes", {{"has_dog", false}}}}));
    auto refused = remove("has_dog", Confirm::No);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::FailedPrecondition);
    EXPECT_NE(refused.error().message.find("2 people have a value"), std::string::npos)
        << refused.error().message;
    EXPECT_EQ(scalar("SELECT count(*) FROM fields WHERE key = 'has_dog'"), 1);
    EXPECT_EQ(scalar("SELECT count(*) FROM citizen_values"), 2);

    ASSERT_TRUE(remove("has_dog", Confirm::Yes));
    EXPECT_EQ(scalar("SELECT count(*) FROM fields WHERE key = 'has_dog'"), 0);
    EXPECT_EQ(scalar("SELECT count(*) FROM citizen_values"), 0);
    EXPECT_EQ(scalar("SELECT count(*) FROM audit_log WHERE action = 'field.values_deleted' AND "
                     "detail LIKE '%2 people%'"),
              1);
    EXPECT_EQ(scalar("SELECT count(*) FROM activities WHERE type = 'field.deleted'"), 1);
    // A field nobody has a value for goes without confirmation.
    ASSERT_TRUE(remove("birth_year", Confirm::No));
    EXPECT_EQ(remove("birth_year", Confirm::Yes).error().code, ErrorCode::NotFound);
}

TEST_P(FieldStore, RemovingAnOptionRemovesItFromThosePeopleOnlyWhenConfirmed) {
    auto a = create(
        {{"email", "a@example.org"}, {"attributes", {{"volunteering", {"garden", "library"}}}}});
    auto b = create({{"email", "b@example.org"}, {"attributes", {{"volunteering", {"sports"}}}}});
    ASSERT_TRUE(a && b);
    auto refused = update("volunteering", {{"options", {"library", "sports"}}});
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::FailedPrecondition);
    EXPECT_NE(refused.error().message.find("1 person has"), std::string::npos);
    EXPECT_EQ(get(a->id)->attributes["volunteering"], json({"garden", "library"}));

    auto done =
        update("volunteering", {{"options", {"library", "sports", "music"}}, {"confirm", true}});
    ASSERT_TRUE(done) << done.error().message;
    EXPECT_EQ(get(a->id)->attributes["volunteering"], json({"library"}));
    EXPECT_EQ(get(b->id)->attributes["volunteering"], json({"sports"}));
    // Adding options needs no confirmation.
    EXPECT_TRUE(update("volunteering", {{"options", {"library", "sports", "music", "choir"}}}));
}

TEST_P(FieldStore, ChangingTheTypeOfAFieldWithValuesNeedsConfirmation) {
    auto a = create({{"email", "a@example.org"}, {"attributes", {{"birth_year", 1984}}}});
    ASSERT_TRUE(a);
    auto refused = update("birth_year", {{"type", "text"}});
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::FailedPrecondition);
    EXPECT_NE(refused.error().message.find("1 person has a value for birth_year; changing its "
                                           "type to text converts 1 and deletes 0 of them"),
              std::string::npos)
        << refused.error().message;
    auto kept = tx([&](db::Connection& c) { return store::find_field(c, "birth_year"); });
    EXPECT_EQ((*kept)->type, FieldType::Number);

    auto done = update("birth_year", {{"type", "text"}, {"confirm", true}});
    ASSERT_TRUE(done) << done.error().message;
    EXPECT_EQ(done->type, FieldType::Text);
    EXPECT_FALSE(done->min.has_value()) << "number bounds do not carry over to text";
    EXPECT_EQ(get(a->id)->attributes["birth_year"], "1984") << "the value is carried over";
    EXPECT_EQ(scalar("SELECT count(*) FROM citizen_values WHERE number IS NOT NULL"), 0);
}

// A type change keeps every value that fits the new type, with the time it was recorded
// (retention counts from it), and deletes the others; the preview says how many of each.
TEST_P(FieldStore, ATypeChangeConvertsWhatFitsAndDeletesTheRest) {
    make_field({{"key", "plz"}, {"type", "text"}});
    auto a = create({{"email", "a@example.org"}, {"attributes", {{"plz", "12345"}}}});
    m_clock.advance(std::chrono::hours(24));
    auto b = create({{"email", "b@example.org"}, {"attributes", {{"plz", "unbekannt"}}}});
    auto c = create({{"email", "c@example.org"}});
    ASSERT_TRUE(a && b && c);
    auto recorded = scalar("SELECT recorded_at FROM citizen_values WHERE citizen_id = ?", {a->id});
    m_clock.advance(std::chrono::hours(24));

    auto in = parse_field_input({{"type", "number"}}, InputMode::Patch);
    auto impact =
        tx([&](db::Connection& conn) { return store::preview_field_change(conn, "plz", *in, {}); });
    ASSERT_TRUE(impact) << impact.error().message;
    EXPECT_TRUE(impact->retyped);
    EXPECT_EQ(impact->people, 2);
    EXPECT_EQ(impact->converted, 1);
    EXPECT_EQ(impact->deleted, 1);
    EXPECT_EQ(scalar("SELECT count(*) FROM citizen_values"), 2) << "the preview changes nothing";

    ASSERT_TRUE(update("plz", {{"type", "number"}, {"confirm", true}}));
    EXPECT_EQ(get(a->id)->attributes["plz"], 12345);
    EXPECT_FALSE(get(b->id)->attributes.contains("plz"));
    EXPECT_EQ(scalar("SELECT recorded_at FROM citizen_values WHERE citizen_id = ?", {a->id}),
              recorded);
    EXPECT_EQ(scalar("SELECT count(*) FROM citizen_values WHERE number = 12345"), 1)
        << "number fields keep the number for range conditions";
    EXPECT_EQ(scalar("SELECT count(*) FROM audit_log WHERE action = 'field.values_converted' AND "
                     "subject = 'field:plz' AND ip = '192.0.2.1' AND detail = 'values of 1 "
                     "people converted from text to number'"),
              1);
    EXPECT_EQ(scalar("SELECT count(*) FROM audit_log WHERE action = 'field.values_deleted' AND "
                     "subject = 'field:plz'"),
              1);

    // A single choice becomes a multiple choice: every value fits, nothing is deleted.
    auto v = create(
        {{"email", "v@example.org"}, {"attributes", {{"volunteering", {"garden", "sports"}}}}});
    auto w = create({{"email", "w@example.org"}, {"attributes", {{"volunteering", {"library"}}}}});
    ASSERT_TRUE(v && w);
    auto single = update("volunteering", {{"type", "choice"}, {"confirm", true}});
    ASSERT_TRUE(single) << single.error().message;
    EXPECT_FALSE(get(v->id)->attributes.contains("volunteering")) << "two options do not fit one";
    EXPECT_EQ(get(w->id)->attributes["volunteering"], "library");
    ASSERT_TRUE(update("volunteering", {{"type", "multichoice"}, {"confirm", true}}));
    EXPECT_EQ(get(w->id)->attributes["volunteering"], json({"library"}));
}

// Many people: the conversion walks the values in batches and meets each person once.
TEST_P(FieldStore, ATypeChangeReachesEveryPersonAcrossBatches) {
    auto filled = tx([&](db::Connection& conn) -> Result<void> {
        for (int i = 0; i < 1203; ++i) {
            auto row = TRY(conn.query_one("INSERT INTO citizens (email, created_at, updated_at) "
                                          "VALUES (?, 0, 0) RETURNING id",
                                          {"p" + std::to_string(i) + "@example.org"}));
            TRY(conn.query("INSERT INTO citizen_values (citizen_id, field_id, value, recorded_at) "
                           "SELECT ?, id, ?, 0 FROM fields WHERE key = 'volunteering'",
                           {row.get_int(0), i % 3 == 0 ? "garden" : "library"}));
            if (i % 3 == 0)
                TRY(conn.query("INSERT INTO citizen_values (citizen_id, field_id, value, "
                               "recorded_at) SELECT ?, id, 'sports', 0 FROM fields WHERE key = "
                               "'volunteering'",
                               {row.get_int(0)}));
        }
        return {};
    });
    ASSERT_TRUE(filled) << filled.error().message;
    auto refused = update("volunteering", {{"type", "choice"}});
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find("1203 people have a value for volunteering; changing "
                                           "its type to choice converts 802 and deletes 401"),
              std::string::npos)
        << refused.error().message;
    ASSERT_TRUE(update("volunteering", {{"type", "choice"}, {"confirm", true}}));
    EXPECT_EQ(scalar("SELECT count(*) FROM citizen_values"), 802);
    EXPECT_EQ(scalar("SELECT count(DISTINCT citizen_id) FROM citizen_values WHERE value = "
                     "'library'"),
              802);
}

TEST_P(FieldStore, DepartmentStaffKeepToTheirOwnDepartmentsFields) {
    auto vhs = FieldScope::own_department(department("vhs"));
    auto in = parse_field_input({{"key", "course_level"},
                                 {"type", "choice"},
                                 {"options", {"A1", "A2"}},
                                 {"label", {{"de", "Niveau"}, {"en", "Level"}}}},
                                InputMode::Create);
    auto own =
        tx([&](db::Connection& c) { return store::create_field(c, *in, vhs, m_who, m_clock); });
    ASSERT_TRUE(own) << own.error().message;
    EXPECT_EQ(*own->department, "vhs") << "their department unless they name one";

    auto other_in = parse_field_input({{"key", "tree_sponsor"},
                                       {"type", "bool"},
                                       {"department", "umwelt"},
                                       {"label", {{"de", "B"}, {"en", "T"}}}},
                                      InputMode::Create);
    auto other = tx(
        [&](db::Connection& c) { return store::create_field(c, *other_in, vhs, m_who, m_clock); });
    ASSERT_FALSE(other);
    EXPECT_EQ(other.error().code, ErrorCode::PermissionDenied);

    EXPECT_TRUE(update("course_level", {{"label", {{"en", "Course level"}}}}, vhs));
    EXPECT_EQ(update("course_level", {{"department", "umwelt"}}, vhs).error().code,
              ErrorCode::PermissionDenied);
    EXPECT_EQ(update("has_dog", {{"required", true}}, vhs).error().code,
              ErrorCode::PermissionDenied)
        << "a town-wide field is not theirs";
    EXPECT_EQ(remove("has_dog", Confirm::Yes, vhs).error().code, ErrorCode::PermissionDenied);
    auto none = FieldScope::own_department(std::nullopt);
    EXPECT_EQ(update("course_level", {{"required", true}}, none).error().code,
              ErrorCode::PermissionDenied)
        << "department staff without a department manage no field";
    EXPECT_EQ(update("unknown", {{"required", true}}, none).error().code, ErrorCode::NotFound);
    EXPECT_TRUE(remove("course_level", Confirm::No, vhs));
    EXPECT_EQ(update("has_dog", {{"department", "nope"}}).error().field, "department");
}

INSTANTIATE_TEST_SUITE_P(Backends, FieldStore, ::testing::ValuesIn(db::testing::backends()),
                         testing::backend_test_name);

} // namespace
} // namespace teilhabe::citizens
