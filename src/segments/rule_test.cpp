// The rule's two forms: JSON and text, their round trip over many rules (a generator of random
// valid rules), and errors that point at the wrong part.

#include "segments/rule_json.h"
#include "segments/rule_text.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <random>

namespace teilhabe::segments {
namespace {

Rule parsed(std::string_view text) {
    auto r = parse_text(text);
    EXPECT_TRUE(r) << text << ": " << (r ? "" : r.error().message);
    return r ? *r : Rule{};
}

TEST(SegmentRule, TextAndJsonSayTheSame) {
    auto r = parsed("district = \"Nord\" and activity email.clicked object \"topic:kultur\" "
                    "count >= 1 within 30 days");
    auto expected = parse_json(R"({"all": [
        {"field": "district", "op": "eq", "value": "Nord"},
        {"activity": "email.clicked", "object": "topic:kultur", "op": "ge", "count": 1, "within_days": 30}]})");
    ASSERT_TRUE(expected) << expected.error().message;
    EXPECT_EQ(r, *expected);
    EXPECT_EQ(print_text(r), "district = \"Nord\" and activity email.clicked object \"topic:kultur\" "
                             "count >= 1 within 30 days");
}

TEST(SegmentRule, ReadsTheIssuesExamples) {
    // "attended an event in 2026", "no e-mail opened in 90 days"
    auto attended = parsed("activity event.attended from \"2026-01-01\" until \"2027-01-01\"");
    auto& a = std::get<ActivityCondition>(attended.condition);
    EXPECT_EQ(a.window.kind, Window::Kind::Between);
    EXPECT_EQ(a.op, Op::Ge);
    EXPECT_EQ(a.count, 1);
    auto none = parsed("activity email.opened count = 0 within 90 days");
    EXPECT_EQ(std::get<ActivityCondition>(none.condition).count, 0);
    EXPECT_EQ(std::get<ActivityCondition>(none.condition).window.days, 90);
}

TEST(SegmentRule, GermanKeywordsMeanTheSame) {
    auto de = parsed("interesse kultur und nicht (tag \"ehrenamt\" oder einwilligung tracking) und "
                     "aktivität email.clicked objekt \"topic:kultur\" anzahl >= 2 innerhalb 30 tagen "
                     "und feld wohnort enthält \"Nord\"");
    auto en = parsed("interest kultur and not (tag \"ehrenamt\" or consent tracking) and "
                     "activity email.clicked object \"topic:kultur\" count >= 2 within 30 days "
                     "and attribute wohnort contains \"Nord\"");
    EXPECT_EQ(de, en);
}

TEST(SegmentRule, PrecedenceAndParenthesesAreKept) {
    auto r = parsed("tag \"a\" or tag \"b\" and tag \"c\"");
    ASSERT_EQ(r.kind, Rule::Kind::Any);
    EXPECT_EQ(r.children[1].kind, Rule::Kind::All);
    auto nested = parsed("(tag \"a\" and tag \"b\") and tag \"c\"");
    ASSERT_EQ(nested.kind, Rule::Kind::All);
    EXPECT_EQ(nested.children.size(), 2u);
    EXPECT_EQ(print_text(nested), "(tag \"a\" and tag \"b\") and tag \"c\"");
    EXPECT_EQ(print_text(parsed("not not tag \"x\"")), "not not tag \"x\"");
}

TEST(SegmentRule, TextErrorsSayLineColumnAndWord) {
    auto e = parse_text_detailed("district = \"Nord\"\n  adn interest kultur");
    ASSERT_TRUE(std::holds_alternative<TextError>(e));
    auto err = std::get<TextError>(e);
    EXPECT_EQ(err.line, 2);
    EXPECT_EQ(err.column, 3);
    EXPECT_EQ(err.word, "adn");
    EXPECT_EQ(err.describe(), "line 2, column 3 ('adn'): expected and, or, or the end of the rule");

    struct Case {
        std::string text;
        int column;
        std::string word;
    };
    for (const auto& c : std::vector<Case>{
             {"district = Nord", 12, "Nord"},
             {"wohnort = \"x\"", 1, "wohnort"},
             {"activity email.clicked within 0 days", 1, "activity"},
             {"created_at >= \"2026-02-30\"", 1, "created_at"},
             {"tag \"a\" and (tag \"b\"", 21, ""},
             {"activity email.clicked count contains 1", 30, "contains"},
             {"district = \"Nord", 12, "\"Nord"},
         }) {
        auto r = parse_text_detailed(c.text);
        ASSERT_TRUE(std::holds_alternative<TextError>(r)) << c.text;
        EXPECT_EQ(std::get<TextError>(r).column, c.column) << c.text;
        EXPECT_EQ(std::get<TextError>(r).word, c.word) << c.text;
    }
    auto api = parse_text("tag");
    ASSERT_FALSE(api);
    EXPECT_EQ(api.error().field, "rule_text");
    EXPECT_NE(api.error().message.find("line 1, column 4"), std::string::npos);
}

TEST(SegmentRule, JsonErrorsPointAtTheWrongPart) {
    struct Case {
        std::string json;
        std::string pointer;
    };
    for (const auto& c : std::vector<Case>{
             {R"({"all": [{"tag": "a"}, {"field": "district", "op": "near", "value": "x"}]})", "/all/1/op"},
             {R"({"any": [{"tag": "a"}, {"not": {"field": "shoe_size", "value": "x"}}]})", "/any/1/not/field"},
             {R"({"activity": "email.clicked", "within_days": 0})", "/within_days"},
             {R"({"activity": "email.clicked", "count": -1})", "/count"},
             {R"({"activity": "email.clicked", "from": "2026-01-01"})", "/until"},
             {R"({"all": []})", "/all"},
             {R"({"tag": "a", "extra": 1})", "/extra"},
             {R"({"interest": 3})", "/interest"},
             {R"({"consent": "sms"})", "/consent"},
             {R"({"frobnicate": 1})", "/"},
             {R"([1])", "/"},
             {R"({"all": )", "/"},
         }) {
        auto r = parse_json(c.json);
        ASSERT_FALSE(r) << c.json;
        EXPECT_EQ(r.error().field, c.pointer) << c.json << ": " << r.error().message;
        EXPECT_EQ(r.error().code, ErrorCode::InvalidArgument);
    }
    EXPECT_TRUE(validate_rule_json(R"({"tag": "x"})"));
    EXPECT_FALSE(validate_rule_json(R"({"tag": ""})"));
}

TEST(SegmentRule, AListOfOneIsThatRule) {
    auto r = parse_json(R"({"all": [{"tag": "a"}]})");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->kind, Rule::Kind::Condition);
}

// A generator of valid rules: every kind of condition, value and window, nested up to depth 4.
class Generator {
public:
    explicit Generator(unsigned seed) : m_rng(seed) {}

    Rule rule(int depth) {
        int pick = depth <= 0 ? 0 : uniform(0, 5);
        if (pick <= 2)
            return {.kind = Rule::Kind::Condition, .condition = condition()};
        if (pick == 3) {
            Rule r{.kind = Rule::Kind::Not};
            r.children.push_back(rule(depth - 1));
            return r;
        }
        Rule r{.kind = pick == 4 ? Rule::Kind::All : Rule::Kind::Any};
        int n = uniform(2, 4);
        for (int i = 0; i < n; ++i)
            r.children.push_back(rule(depth - 1));
        return r;
    }

private:
    int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(m_rng); }
    template <class T> const T& one_of(const std::vector<T>& v) { return v[uniform(0, int(v.size()) - 1)]; }
    Op op(bool contains) { return static_cast<Op>(uniform(0, contains ? 6 : 5)); }
    std::string text() {
        static const std::vector<std::string> texts = {"Nord", "", "a \"quoted\" word", "back\\slash",
                                                       "Müller", "x y", "and", "(", "100%"};
        return one_of(texts);
    }
    Value value() {
        if (uniform(0, 1))
            return text();
        static const std::vector<double> numbers = {0, 1990, -3.5, 0.1, 1e21, 123456789.125};
        return one_of(numbers);
    }
    std::string date() { return fmt::format("20{:02}-{:02}-{:02}", uniform(0, 40), uniform(1, 12), uniform(1, 28)); }

    Condition condition() {
        static const std::vector<std::string> words = {"kultur", "sport_verein", "a.b", "x-1", "topic:7"};
        switch (uniform(0, 6)) {
        case 0: {
            auto field = std::string(one_of(std::vector<std::string>{"email", "first_name", "last_name",
                                                                     "language", "district"}));
            return FieldCondition{field, op(true), text()};
        }
        case 1:
            return FieldCondition{"created_at", op(false), date()};
        case 2: {
            auto v = value();
            auto o = op(std::holds_alternative<std::string>(v));
            return AttributeCondition{one_of(words), o, v};
        }
        case 3:
        {
            auto tag = text();
            return uniform(0, 1) ? Condition(InterestCondition{one_of(words)}) : Condition(TagCondition{tag.empty() ? "t" : tag});
        }
        case 4:
            return uniform(0, 1) ? ConsentCondition{ConsentCondition::Kind::Tracking, ""}
                                 : ConsentCondition{ConsentCondition::Kind::Topic, one_of(words)};
        default: {
            ActivityCondition a;
            a.type = one_of(std::vector<std::string>{"email.clicked", "event.attended", "pool.visit"});
            if (uniform(0, 1))
                a.object = uniform(0, 1) ? "topic:kultur" : text();
            a.op = op(false);
            a.count = uniform(0, 20);
            switch (uniform(0, 2)) {
            case 0:
                break;
            case 1:
                a.window = {Window::Kind::LastDays, uniform(1, 400), "", ""};
                break;
            default:
            {
                int y = uniform(0, 40), m = uniform(1, 12), d = uniform(1, 28);
                a.window = {Window::Kind::Between, 0, fmt::format("20{:02}-{:02}-{:02}", y, m, d),
                            fmt::format("20{:02}-{:02}-{:02}", y + uniform(1, 5), uniform(1, 12), d)};
            }
            }
            return a;
        }
        }
    }

    std::mt19937 m_rng;
};

TEST(SegmentRule, RoundTripsOverManyGeneratedRules) {
    Generator gen(20261126);
    for (int i = 0; i < 3000; ++i) {
        auto r = gen.rule(4);
        auto text = print_text(r);
        auto back = parse_text(text);
        ASSERT_TRUE(back) << text << "\n" << back.error().message;
        ASSERT_EQ(*back, r) << text;
        auto json = dump_json(r);
        auto from = parse_json(json);
        ASSERT_TRUE(from) << json << "\n" << from.error().message;
        ASSERT_EQ(*from, r) << json;
        // And the text form printed again is the same text (canonical).
        ASSERT_EQ(print_text(*back), text);
    }
}

} // namespace
} // namespace teilhabe::segments
