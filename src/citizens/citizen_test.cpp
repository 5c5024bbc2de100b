// The profile's rules without a database: e-mail, tags, request bodies, list parameters and the
// text helpers behind search and paging.

#include "citizens/citizen.h"
#include "citizens/citizen_query.h"
#include "citizens/text.h"

#include <gtest/gtest.h>

namespace teilhabe::citizens {
namespace {

using nlohmann::json;

std::string email_problem(std::string_view e) {
    auto r = validate_email(normalise_email(e));
    if (r)
        return "";
    EXPECT_EQ(r.error().field, "email");
    EXPECT_EQ(r.error().code, ErrorCode::InvalidArgument);
    return r.error().message;
}

TEST(Email, IsTrimmedAndLowerCased) {
    EXPECT_EQ(normalise_email("  Anna.Mueller@Example.ORG \t"), "anna.mueller@example.org");
    EXPECT_EQ(email_problem(" Anna.Mueller+news@Example.ORG "), "");
    EXPECT_EQ(email_problem("o'brien@sub.example.co.uk"), "");
}

TEST(Email, SaysWhatIsWrong) {
    EXPECT_NE(email_problem("").find("missing"), std::string::npos);
    EXPECT_NE(email_problem("anna.example.org").find("needs an @"), std::string::npos);
    EXPECT_NE(email_problem("a@b@example.org").find("only one @"), std::string::npos);
    EXPECT_NE(email_problem("@example.org").find("before the @ is missing"), std::string::npos);
    EXPECT_NE(email_problem("anna@").find("domain"), std::string::npos);
    EXPECT_NE(email_problem("anna@localhost").find("needs a dot"), std::string::npos);
    EXPECT_NE(email_problem("anna maria@example.org").find("spaces"), std::string::npos);
    EXPECT_NE(email_problem(".anna@example.org").find("dot"), std::string::npos);
    EXPECT_NE(email_problem("an..na@example.org").find("two dots"), std::string::npos);
    EXPECT_NE(email_problem("anna(x)@example.org").find("'('"), std::string::npos);
    EXPECT_NE(email_problem("anna@exa_mple.org").find("'_'"), std::string::npos);
    EXPECT_NE(email_problem("anna@-example.org").find("hyphen"), std::string::npos);
    EXPECT_NE(email_problem("anna@example..org").find("two dots"), std::string::npos);
    EXPECT_NE(email_problem("anna@192.168.0.1").find("end in a name"), std::string::npos);
    EXPECT_NE(email_problem("jürgen@example.org").find("ä, ö or ü"), std::string::npos);
    EXPECT_NE(email_problem(std::string(65, 'a') + "@example.org").find("64"), std::string::npos);
    EXPECT_NE(email_problem("a@" + std::string(250, 'b') + ".de").find("254"), std::string::npos);
}

TEST(Tags, AreNormalisedAndChecked) {
    EXPECT_EQ(normalise_tag("  Ehrenamt ").value(), "ehrenamt");
    EXPECT_EQ(normalise_tag("ÜBUNGSLEITUNG").value(), "übungsleitung");
    EXPECT_FALSE(normalise_tag("   ").has_value());
    EXPECT_FALSE(normalise_tag("a,b").has_value());
    EXPECT_FALSE(normalise_tag(std::string(51, 'x')).has_value());
    EXPECT_EQ(normalise_tag("a\nb").error().field, "tags");
}

TEST(CitizenInput, CreateNeedsAnEmailAndNormalisesEverything) {
    auto missing = parse_citizen_input({{"first_name", "Anna"}}, InputMode::Create);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().field, "email");

    auto in = parse_citizen_input({{"email", " Anna@Example.org"},
                                   {"first_name", " Anna "},
                                   {"language", "en"},
                                   {"tags", {"B", "a", "b"}},
                                   {"interests", {"kultur", "kultur"}},
                                   {"attributes", {{"birth_year", 1984}}},
                                   {"id", 99}},
                                  InputMode::Create);
    ASSERT_TRUE(in) << in.error().message;
    EXPECT_EQ(*in->email, "anna@example.org");
    EXPECT_EQ(*in->first_name, "Anna");
    EXPECT_EQ(*in->language, Language::En);
    EXPECT_EQ(*in->tags, (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(*in->interests, (std::vector<std::string>{"kultur"}));
    ASSERT_EQ(in->attributes.size(), 1u);
    EXPECT_EQ(in->attributes[0].first, "birth_year");
}

TEST(CitizenInput, RefusesWrongMembersByName) {
    auto field_of = [](json body, InputMode mode = InputMode::Patch) {
        auto r = parse_citizen_input(body, mode);
        return r ? std::string("(accepted)") : r.error().field;
    };
    EXPECT_EQ(field_of({{"nickname", "x"}}), "nickname");
    EXPECT_EQ(field_of({{"language", "fr"}}), "language");
    EXPECT_EQ(field_of({{"preferred_channel", "fax"}}), "preferred_channel");
    EXPECT_EQ(field_of({{"first_name", 5}}), "first_name");
    EXPECT_EQ(field_of({{"first_name", std::string(101, 'x')}}), "first_name");
    EXPECT_EQ(field_of({{"district", "Nord\nSüd"}}), "district");
    EXPECT_EQ(field_of({{"tags", "ehrenamt"}}), "tags");
    EXPECT_EQ(field_of({{"interests", {1}}}), "interests");
    EXPECT_EQ(field_of({{"attributes", {1, 2}}}), "attributes");
    EXPECT_EQ(field_of({{"email", nullptr}}), "email");
    EXPECT_EQ(field_of({{"email", "not-an-address"}}), "email");
    EXPECT_EQ(field_of({{"email", "a@example.org"}, {"email2", 1}}, InputMode::Create), "email2");
}

TEST(CitizenInput, MergePatchNullsRemove) {
    auto in = parse_citizen_input(
        {{"first_name", nullptr}, {"tags", nullptr}, {"attributes", {{"has_dog", nullptr}}}},
        InputMode::Patch);
    ASSERT_TRUE(in) << in.error().message;
    EXPECT_EQ(*in->first_name, "");
    EXPECT_TRUE(in->tags->empty());
    EXPECT_FALSE(in->email.has_value());
    EXPECT_TRUE(in->attributes[0].second.is_null());
    auto all = parse_citizen_input({{"attributes", nullptr}}, InputMode::Patch);
    ASSERT_TRUE(all);
    EXPECT_TRUE(all->clear_attributes);
}

TEST(Text, LowerFoldsTheNamesOfATown) {
    EXPECT_EQ(lower("ÖZTÜRK"), "öztürk");
    EXPECT_EQ(lower("ÄRGER Straße"), "ärger straße");
    EXPECT_EQ(lower("İLKER"), "ilker");
    EXPECT_EQ(lower("ŁUKASZ ŻÓŁW"), "łukasz żółw");
    EXPECT_EQ(lower("ДМИТРИЙ"), "дмитрий");
    EXPECT_EQ(lower("ΑΘΗΝΑ"), "αθηνα");
}

TEST(Text, PrefixUpperBoundIsTheNextString) {
    EXPECT_EQ(prefix_upper_bound("anna"), "annb");
    EXPECT_EQ(prefix_upper_bound("mü"), "mý");
    EXPECT_EQ(prefix_upper_bound("a\xF4\x8F\xBF\xBF"), "b"); // trailing U+10FFFF carries over
    EXPECT_EQ(prefix_upper_bound("\xF4\x8F\xBF\xBF"), "");
    EXPECT_EQ(prefix_upper_bound("\xED\x9F\xBF"), "\xEE\x80\x80"); // U+D7FF -> U+E000
    EXPECT_LT(std::string("annz"), prefix_upper_bound("ann"));
    EXPECT_LT(std::string("ann\xF0\x9F\x98\x80"), prefix_upper_bound("ann"));
}

TEST(Text, Utf8Validation) {
    EXPECT_TRUE(valid_utf8("Grüße, Ελλάδα, 😀"));
    EXPECT_FALSE(valid_utf8("\xC3"));         // cut short
    EXPECT_FALSE(valid_utf8("\xC0\xAF"));     // overlong
    EXPECT_FALSE(valid_utf8("\xED\xA0\x80")); // surrogate
    EXPECT_FALSE(valid_utf8("\xFF"));
    EXPECT_EQ(count_chars("Müller"), 6u);
}

TEST(Cursor, RoundTripsAndRefusesForgeries) {
    for (std::int64_t id : {0LL, 1LL, 42LL, 9'000'000'000LL}) {
        auto c = encode_cursor(id);
        EXPECT_EQ(decode_cursor(c).value(), id) << c;
        EXPECT_EQ(
            c.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos);
    }
    EXPECT_FALSE(decode_cursor(""));
    EXPECT_FALSE(decode_cursor("!!"));
    EXPECT_FALSE(decode_cursor("YWJj")); // "abc"
    EXPECT_EQ(decode_cursor("nonsense").error().field, "cursor");
}

TEST(CitizenQuery, ReadsFiltersAndRefusesUnknownParameters) {
    auto q = parse_citizen_query({{"q", " Mü"},
                                  {"district", "Nord"},
                                  {"tag", "Ehrenamt"},
                                  {"tag", "vhs"},
                                  {"interest", "kultur"},
                                  {"field.has_dog", "true"},
                                  {"restricted", "false"},
                                  {"limit", "10"},
                                  {"cursor", encode_cursor(7)}});
    ASSERT_TRUE(q) << q.error().message;
    EXPECT_EQ(q->q, "mü");
    EXPECT_EQ(*q->district, "Nord");
    EXPECT_EQ(q->tags, (std::vector<std::string>{"ehrenamt", "vhs"}));
    EXPECT_EQ(q->fields.at(0).key, "has_dog");
    EXPECT_EQ(*q->restricted, false);
    EXPECT_EQ(q->limit, 10);
    EXPECT_EQ(q->after_id, 7);
    EXPECT_EQ(parse_citizen_query({}).value().limit, 50);

    EXPECT_EQ(parse_citizen_query({{"distrct", "Nord"}}).error().field, "distrct");
    EXPECT_EQ(parse_citizen_query({{"limit", "0"}}).error().field, "limit");
    EXPECT_EQ(parse_citizen_query({{"limit", "201"}}).error().field, "limit");
    EXPECT_EQ(parse_citizen_query({{"limit", "5x"}}).error().field, "limit");
    EXPECT_EQ(parse_citizen_query({{"restricted", "yes"}}).error().field, "restricted");
    EXPECT_FALSE(parse_citizen_query({{"q", "\xFF"}}));
}

TEST(Citizen, JsonHasTheResourceShape) {
    Citizen c;
    c.id = 3;
    c.email = "anna@example.org";
    c.tags = {"ehrenamt"};
    c.attributes = {{"birth_year", 1984}};
    c.created_at = 1'780'000'000'000;
    c.updated_at = c.created_at;
    auto j = to_json(c);
    for (const char* k : {"id", "email", "first_name", "last_name", "language", "district", "tags",
                          "interests", "attributes", "created_at", "updated_at"})
        EXPECT_TRUE(j.contains(k)) << k;
    EXPECT_EQ(j["language"], "de");
    EXPECT_EQ(j["restricted"], false);
    EXPECT_EQ(j["created_at"], "2026-05-28T20:26:40.000Z");
}

} // namespace
} // namespace teilhabe::citizens
