// Citizen profiles in the database, on SQLite and PostgreSQL: create, read, change, delete,
// list with filters and pages, and the restriction of processing.

#include "citizens/test_fixture.h"
#include "citizens/text.h"

#include <set>

namespace teilhabe::citizens {
namespace {

using nlohmann::json;
using testing::StoreTest;

class CitizenStore : public StoreTest {
protected:
    std::vector<std::int64_t> ids_of(const CitizenQuery& q) {
        auto page = tx([&](db::Connection& c) { return store::list_citizens(c, q); });
        EXPECT_TRUE(page) << page.error().message;
        std::vector<std::int64_t> out;
        for (const auto& c : page.value_or(CitizenPage{}).items)
            out.push_back(c.id);
        return out;
    }
    // GDPR Art. 18 restriction as gdpr/gdpr_store.cpp sets it.
    void restrict(std::int64_t id) {
        auto r = tx([&](db::Connection& c) {
            return c.query("UPDATE citizens SET restricted_at = ? WHERE id = ?",
                           {m_clock.now_ms(), id});
        });
        ASSERT_TRUE(r) << r.error().message;
    }
    std::vector<std::int64_t> ids(std::vector<std::pair<std::string, std::string>> params) {
        auto q = parse_citizen_query(params);
        EXPECT_TRUE(q) << q.error().message;
        return q ? ids_of(*q) : std::vector<std::int64_t>{};
    }
};

TEST_P(CitizenStore, CreatesAndReadsAFullProfile) {
    auto c = create(
        {{"email", "  Anna.Mueller@Example.org "},
         {"first_name", "Anna"},
         {"last_name", "Müller"},
         {"language", "en"},
         {"preferred_channel", "post"},
         {"district", "Nord"},
         {"tags", {"Ehrenamt", "vhs-dozentin"}},
         {"interests", {"umwelt", "kultur"}},
         {"attributes",
          {{"birth_year", 1984}, {"has_dog", true}, {"volunteering", {"sports", "garden"}}}}});
    ASSERT_TRUE(c) << c.error().message;
    auto read = get(c->id);
    ASSERT_TRUE(read);
    EXPECT_EQ(read->email, "anna.mueller@example.org");
    EXPECT_EQ(read->language, Language::En);
    EXPECT_EQ(read->preferred_channel, Channel::Post);
    EXPECT_EQ(read->tags, (std::vector<std::string>{"ehrenamt", "vhs-dozentin"}));
    EXPECT_EQ(read->interests, (std::vector<std::string>{"kultur", "umwelt"}));
    EXPECT_EQ(
        read->attributes,
        json({{"birth_year", 1984}, {"has_dog", true}, {"volunteering", {"garden", "sports"}}}));
    EXPECT_EQ(read->created_at, m_clock.now_ms());
    EXPECT_EQ(scalar("SELECT count(*) FROM activities WHERE type = 'citizen.created' AND "
                     "citizen_id = ?",
                     {c->id}),
              1);
    EXPECT_EQ(scalar("SELECT count(*) FROM audit_log WHERE action = 'citizen.created' AND subject "
                     "= ? AND actor = 'staff:1' AND ip = '192.0.2.1'",
                     {"citizen:" + std::to_string(c->id)}),
              1);
    EXPECT_EQ(scalar("SELECT count(*) FROM citizen_values WHERE citizen_id = ?", {c->id}), 4)
        << "one row per value and per chosen option";
}

TEST_P(CitizenStore, DuplicateEmailDifferingOnlyInCaseOrSpaceIsRefused) {
    ASSERT_TRUE(create({{"email", "anna@example.org"}}));
    auto again = create({{"email", " ANNA@Example.ORG  "}});
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, ErrorCode::AlreadyExists);
    EXPECT_NE(again.error().message.find("anna@example.org"), std::string::npos);
    EXPECT_EQ(scalar("SELECT count(*) FROM citizens"), 1);

    auto ben = create({{"email", "ben@example.org"}});
    ASSERT_TRUE(ben);
    auto clash = patch(ben->id, {{"email", "Anna@example.org"}});
    ASSERT_FALSE(clash);
    EXPECT_EQ(clash.error().code, ErrorCode::AlreadyExists);
    EXPECT_EQ(get(ben->id)->email, "ben@example.org");
    auto same = patch(ben->id, {{"email", " BEN@example.org"}});
    ASSERT_TRUE(same) << same.error().message;
}

TEST_P(CitizenStore, PatchChangesOnlyWhatItNamesAndRecordsTheKeys) {
    auto c = create({{"email", "clara@example.org"},
                     {"first_name", "Clara"},
                     {"district", "Süd"},
                     {"tags", {"a"}},
                     {"attributes", {{"birth_year", 1990}, {"has_dog", false}}}});
    ASSERT_TRUE(c) << c.error().message;
    m_clock.advance(std::chrono::minutes(5));
    auto p = patch(c->id, {{"last_name", "Schmidt"},
                           {"tags", {"a", "b"}},
                           {"attributes", {{"birth_year", 1991}, {"has_dog", nullptr}}}});
    ASSERT_TRUE(p) << p.error().message;
    EXPECT_EQ(p->first_name, "Clara");
    EXPECT_EQ(p->district, "Süd");
    EXPECT_EQ(p->last_name, "Schmidt");
    EXPECT_EQ(p->attributes, json({{"birth_year", 1991}}));
    EXPECT_EQ(p->updated_at, m_clock.now_ms());
    EXPECT_GT(p->updated_at, p->created_at);

    auto props = tx([&](db::Connection& c2) {
        return c2.query_one("SELECT props FROM activities WHERE type = 'citizen.updated' AND "
                            "citizen_id = ?",
                            {c->id});
    });
    ASSERT_TRUE(props) << props.error().message;
    auto changed = json::parse(props->get_text(0))["changed"];
    EXPECT_EQ(changed, json({"last_name", "tags", "attributes.birth_year", "attributes.has_dog"}));
    EXPECT_EQ(props->get_text(0).find("1991"), std::string::npos) << "keys, never values";

    // Sending what is already stored changes nothing and records nothing.
    ASSERT_TRUE(patch(c->id, {{"last_name", "Schmidt"}, {"attributes", {{"birth_year", 1991}}}}));
    EXPECT_EQ(scalar("SELECT count(*) FROM activities WHERE type = 'citizen.updated'"), 1);
    EXPECT_EQ(scalar("SELECT count(*) FROM audit_log WHERE action = 'citizen.updated'"), 1);
}

TEST_P(CitizenStore, AValueFailingValidationLeavesNothingWritten) {
    auto c = create({{"email", "dora@example.org"},
                     {"first_name", "Dora"},
                     {"attributes", {{"birth_year", 1970}}}});
    ASSERT_TRUE(c);
    m_clock.advance(std::chrono::minutes(1));
    // A valid change of the name together with an invalid value: all or nothing.
    auto bad = patch(
        c->id,
        {{"first_name", "Dorothea"}, {"tags", {"neu"}}, {"attributes", {{"birth_year", 1850}}}});
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().field, "attributes.birth_year");
    auto after = get(c->id);
    EXPECT_EQ(after->first_name, "Dora");
    EXPECT_TRUE(after->tags.empty());
    EXPECT_EQ(after->attributes, json({{"birth_year", 1970}}));
    EXPECT_EQ(after->updated_at, c->updated_at);
    EXPECT_EQ(scalar("SELECT count(*) FROM activities WHERE type = 'citizen.updated'"), 0);

    auto unknown = patch(c->id, {{"first_name", "X"}, {"interests", {"kultur", "schach"}}});
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().field, "interests");
    EXPECT_NE(unknown.error().message.find("schach"), std::string::npos);
    auto no_field = patch(c->id, {{"attributes", {{"shoe_size", 42}}}});
    EXPECT_EQ(no_field.error().field, "attributes.shoe_size");
    EXPECT_EQ(get(c->id)->first_name, "Dora");

    auto failed_create = create({{"email", "emil@example.org"},
                                 {"tags", {"x"}},
                                 {"attributes", {{"volunteering", {"garden", "cooking"}}}}});
    ASSERT_FALSE(failed_create);
    EXPECT_EQ(scalar("SELECT count(*) FROM citizens WHERE email = 'emil@example.org'"), 0);
    EXPECT_EQ(scalar("SELECT count(*) FROM citizen_tags"), 0);
}

TEST_P(CitizenStore, RequiredFieldsMustBeGivenOnCreateAndCannotBeRemoved) {
    make_field(
        {{"key", "postcode"}, {"type", "text"}, {"required", true}, {"pattern", "[0-9]{5}"}});
    auto missing = create({{"email", "f@example.org"}});
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().field, "attributes.postcode");
    auto c = create({{"email", "f@example.org"}, {"attributes", {{"postcode", "79098"}}}});
    ASSERT_TRUE(c) << c.error().message;
    auto removed = patch(c->id, {{"attributes", {{"postcode", nullptr}}}});
    ASSERT_FALSE(removed);
    EXPECT_EQ(removed.error().field, "attributes.postcode");
    auto cleared = patch(c->id, {{"attributes", nullptr}});
    EXPECT_FALSE(cleared);
}

TEST_P(CitizenStore, EachFilterNarrowsTheList) {
    auto mk = [&](json body) {
        auto c = create(body);
        EXPECT_TRUE(c) << c.error().message;
        return c ? c->id : 0;
    };
    auto anna =
        mk({{"email", "anna@example.org"},
            {"first_name", "Anna"},
            {"last_name", "Öztürk"},
            {"district", "Nord"},
            {"tags", {"ehrenamt"}},
            {"interests", {"kultur"}},
            {"attributes",
             {{"has_dog", true}, {"birth_year", 1984}, {"volunteering", {"garden", "library"}}}}});
    auto ben = mk({{"email", "ben@example.org"},
                   {"first_name", "Ben"},
                   {"last_name", "Anders"},
                   {"district", "Süd"},
                   {"tags", {"ehrenamt", "vhs"}},
                   {"interests", {"umwelt"}},
                   {"attributes", {{"has_dog", false}, {"volunteering", {"library"}}}}});
    auto clara = mk({{"email", "clara.anna@example.org"},
                     {"first_name", "Clara"},
                     {"district", "Nord"},
                     {"interests", {"kultur", "umwelt"}},
                     {"attributes", {{"birth_year", 1984}}}});
    auto dora = mk({{"email", "dora@beispiel.de"}, {"first_name", "Dörte"}, {"district", "Süd"}});
    restrict(dora);

    using V = std::vector<std::int64_t>;
    EXPECT_EQ(ids({}), (V{anna, ben, clara, dora}));
    EXPECT_EQ(ids({{"q", "ann"}}), (V{anna})) << "e-mail prefix, not infix";
    EXPECT_EQ(ids({{"q", "AND"}}), (V{ben})) << "last name, any case";
    EXPECT_EQ(ids({{"q", "öz"}}), (V{anna}));
    EXPECT_EQ(ids({{"q", "ÖZTÜ"}}), (V{anna})) << "upper-case umlauts fold too";
    EXPECT_EQ(ids({{"q", "DÖR"}}), (V{dora}));
    EXPECT_EQ(ids({{"q", "clara.anna@"}}), (V{clara}));
    EXPECT_EQ(ids({{"q", "zz"}}), V{});
    EXPECT_EQ(ids({{"district", "Nord"}}), (V{anna, clara}));
    EXPECT_EQ(ids({{"tag", "Ehrenamt"}}), (V{anna, ben}));
    EXPECT_EQ(ids({{"tag", "ehrenamt"}, {"tag", "vhs"}}), (V{ben}));
    EXPECT_EQ(ids({{"interest", "kultur"}}), (V{anna, clara}));
    EXPECT_EQ(ids({{"interest", "kultur"}, {"interest", "umwelt"}}), (V{clara}));
    EXPECT_EQ(ids({{"field.has_dog", "true"}}), (V{anna}));
    EXPECT_EQ(ids({{"field.has_dog", "false"}}), (V{ben}));
    EXPECT_EQ(ids({{"field.birth_year", "1984.0"}}), (V{anna, clara}));
    EXPECT_EQ(ids({{"field.volunteering", "library"}}), (V{anna, ben})) << "multichoice: contains";
    EXPECT_EQ(ids({{"field.volunteering", "garden"}}), (V{anna}));
    EXPECT_EQ(ids({{"restricted", "true"}}), (V{dora}));
    EXPECT_EQ(ids({{"restricted", "false"}}), (V{anna, ben, clara}));
    EXPECT_EQ(ids({{"district", "Nord"}, {"field.birth_year", "1984"}, {"q", "cl"}}), (V{clara}));

    auto bad = [&](std::vector<std::pair<std::string, std::string>> p) {
        auto r = tx([&](db::Connection& c) {
            return store::list_citizens(c, parse_citizen_query(p).value());
        });
        return r ? std::string("(accepted)") : r.error().field;
    };
    EXPECT_EQ(bad({{"field.shoe_size", "42"}}), "field.shoe_size");
    EXPECT_EQ(bad({{"field.birth_year", "old"}}), "field.birth_year");
    EXPECT_EQ(bad({{"field.volunteering", "cooking"}}), "field.volunteering");
    EXPECT_EQ(bad({{"interest", "schach"}}), "interest");
}

TEST_P(CitizenStore, PagesVisitEveryRowExactlyOnce) {
    std::set<std::int64_t> all, tagged;
    for (int i = 0; i < 23; ++i) {
        json body{{"email", "p" + std::to_string(i) + "@example.org"}};
        if (i % 3 == 0)
            body["tags"] = {"drei"};
        auto c = create(body);
        ASSERT_TRUE(c) << c.error().message;
        all.insert(c->id);
        if (i % 3 == 0)
            tagged.insert(c->id);
    }
    auto walk = [&](CitizenQuery q) {
        std::vector<std::int64_t> seen;
        int pages = 0;
        for (;;) {
            auto page = tx([&](db::Connection& c) { return store::list_citizens(c, q); });
            EXPECT_TRUE(page) << page.error().message;
            if (!page)
                break;
            ++pages;
            EXPECT_LE(page->items.size(), static_cast<std::size_t>(q.limit));
            for (const auto& c : page->items)
                seen.push_back(c.id);
            if (!page->next_cursor)
                break;
            q.after_id = decode_cursor(*page->next_cursor).value();
        }
        return std::make_pair(seen, pages);
    };
    CitizenQuery q;
    q.limit = 5;
    auto [seen, pages] = walk(q);
    EXPECT_EQ(seen.size(), 23u) << "no row twice";
    EXPECT_EQ(std::set<std::int64_t>(seen.begin(), seen.end()), all) << "every row";
    EXPECT_EQ(pages, 5);
    EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));

    q.tags = {"drei"};
    q.limit = 2;
    auto [seen_tagged, tagged_pages] = walk(q);
    EXPECT_EQ(std::set<std::int64_t>(seen_tagged.begin(), seen_tagged.end()), tagged);
    EXPECT_EQ(seen_tagged.size(), tagged.size());
    EXPECT_EQ(tagged_pages, 4); // 8 people, 2 a page, the last page full and without a cursor
}

TEST_P(CitizenStore, DeleteCascadesToTagsInterestsAndValues) {
    auto c = create({{"email", "gone@example.org"},
                     {"tags", {"a", "b"}},
                     {"interests", {"kultur"}},
                     {"attributes", {{"has_dog", true}, {"volunteering", {"garden", "sports"}}}}});
    ASSERT_TRUE(c);
    auto keep = create(
        {{"email", "stays@example.org"}, {"tags", {"a"}}, {"attributes", {{"has_dog", true}}}});
    ASSERT_TRUE(keep);
    ASSERT_EQ(scalar("SELECT count(*) FROM citizen_values WHERE citizen_id = ?", {c->id}), 3);
    auto del =
        tx([&](db::Connection& cn) { return store::delete_citizen(cn, c->id, m_who, m_clock); });
    ASSERT_TRUE(del) << del.error().message;
    EXPECT_FALSE(get(c->id).has_value());
    for (const char* table : {"citizen_tags", "citizen_interests", "citizen_values"})
        EXPECT_EQ(
            scalar(std::string("SELECT count(*) FROM ") + table + " WHERE citizen_id = ?", {c->id}),
            0)
            << table;
    EXPECT_EQ(scalar("SELECT count(*) FROM citizen_values WHERE citizen_id = ?", {keep->id}), 1);
    EXPECT_EQ(
        scalar("SELECT count(*) FROM activities WHERE type = 'citizen.deleted' AND citizen_id = ?",
               {c->id}),
        1);
    auto again =
        tx([&](db::Connection& cn) { return store::delete_citizen(cn, c->id, m_who, m_clock); });
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, ErrorCode::NotFound);
}

TEST_P(CitizenStore, RestrictedProfilesCannotBeChanged) {
    auto c = create({{"email", "h@example.org"}});
    ASSERT_TRUE(c);
    restrict(c->id);
    auto blocked = patch(c->id, {{"first_name", "Hanna"}});
    ASSERT_FALSE(blocked);
    EXPECT_EQ(blocked.error().code, ErrorCode::Conflict);
    EXPECT_NE(blocked.error().message.find("Art. 18"), std::string::npos);
    EXPECT_EQ(get(c->id)->first_name, "");
    EXPECT_TRUE(get(c->id)->restricted_at.has_value());
    // Erasure (Art. 17) still works.
    EXPECT_TRUE(
        tx([&](db::Connection& cn) { return store::delete_citizen(cn, c->id, m_who, m_clock); }));
}

INSTANTIATE_TEST_SUITE_P(Backends, CitizenStore, ::testing::ValuesIn(db::testing::backends()),
                         testing::backend_test_name);

} // namespace
} // namespace teilhabe::citizens
