// Field definitions and values without a database: every rule of a definition, and what each
// type accepts, refuses and stores.

#include "citizens/field.h"
#include "citizens/field_value.h"

#include <gtest/gtest.h>

namespace teilhabe::citizens {
namespace {

using nlohmann::json;

FieldDefinition def(std::string key, FieldType type, std::vector<std::string> options = {}) {
    FieldDefinition d;
    d.key = std::move(key);
    d.type = type;
    d.label_de = "Bezeichnung";
    d.label_en = "Label";
    d.options = std::move(options);
    return d;
}

std::string problem_field(const FieldDefinition& d) {
    auto r = validate_definition(d);
    return r ? "" : r.error().field;
}

TEST(FieldDefinition, KeyHasTheDocumentedForm) {
    EXPECT_EQ(problem_field(def("birth_year", FieldType::Number)), "");
    EXPECT_EQ(problem_field(def("a", FieldType::Number)), "");
    EXPECT_EQ(problem_field(def(std::string(40, 'k'), FieldType::Number)), "");
    for (const char* bad :
         {"", "Birth_year", "1year", "_x", "birth-year", "geburtsjahr!", "straße"})
        EXPECT_EQ(problem_field(def(bad, FieldType::Number)), "key") << bad;
    EXPECT_EQ(problem_field(def(std::string(41, 'k'), FieldType::Number)), "key");
}

TEST(FieldDefinition, LabelsAreRequired) {
    auto d = def("x", FieldType::Text);
    d.label_de = "";
    EXPECT_EQ(problem_field(d), "label.de");
    d = def("x", FieldType::Text);
    d.label_en = "";
    EXPECT_EQ(problem_field(d), "label.en");
    d.label_en = std::string(101, 'l');
    EXPECT_EQ(problem_field(d), "label.en");
}

TEST(FieldDefinition, OptionsOnlyForChoiceTypesAndDistinct) {
    EXPECT_EQ(problem_field(def("c", FieldType::Choice)), "options");
    EXPECT_EQ(problem_field(def("c", FieldType::Multichoice, {"a", "a"})), "options");
    EXPECT_EQ(problem_field(def("c", FieldType::Multichoice, {"a", ""})), "options");
    EXPECT_EQ(problem_field(def("c", FieldType::Text, {"a"})), "options");
    EXPECT_EQ(problem_field(def("c", FieldType::Choice, {"a", "b"})), "");
    std::vector<std::string> many;
    for (int i = 0; i < 101; ++i)
        many.push_back("o" + std::to_string(i));
    EXPECT_EQ(problem_field(def("c", FieldType::Choice, many)), "options");
}

TEST(FieldDefinition, BoundsFitTheType) {
    auto d = def("n", FieldType::Number);
    d.min = 10;
    d.max = 5;
    EXPECT_EQ(problem_field(d), "min");
    d.max = 10;
    EXPECT_EQ(problem_field(d), "");
    auto b = def("b", FieldType::Bool);
    b.max = 1;
    EXPECT_EQ(problem_field(b), "max");
    auto t = def("t", FieldType::Text);
    t.min = 1.5;
    EXPECT_EQ(problem_field(t), "min");
    t.min = 1;
    t.max = 501;
    EXPECT_EQ(problem_field(t), "max");
}

TEST(FieldDefinition, PatternMustCompileAndFitTextOnly) {
    auto t = def("plz", FieldType::Text);
    t.pattern = "[0-9]{5}";
    EXPECT_EQ(problem_field(t), "");
    t.pattern = "[0-9";
    auto r = validate_definition(t);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().field, "pattern");
    EXPECT_NE(r.error().message.find("not a valid regular expression"), std::string::npos);
    auto n = def("n", FieldType::Number);
    n.pattern = "x";
    EXPECT_EQ(problem_field(n), "pattern");
}

TEST(FieldDefinition, RetentionIsAPositiveNumberOfDays) {
    auto d = def("x", FieldType::Bool);
    d.retention_days = 0;
    EXPECT_EQ(problem_field(d), "retention_days");
    d.retention_days = 365;
    EXPECT_EQ(problem_field(d), "");
}

TEST(FieldDefinition, RetentionInMonthsOrDaysNotBoth) {
    auto d = def("x", FieldType::Bool);
    d.retention_months = 0;
    EXPECT_EQ(problem_field(d), "retention_months");
    d.retention_months = 24;
    EXPECT_EQ(problem_field(d), "");
    d.retention_days = 30;
    EXPECT_EQ(problem_field(d), "retention_months");

    // In a patch, a period in one unit replaces the other; both at once is refused.
    FieldDefinition stored = def("x", FieldType::Bool);
    stored.retention_days = 730;
    auto months = apply_field_changes(
        stored, parse_field_input({{"retention_months", 24}}, InputMode::Patch).value(),
        InputMode::Patch);
    ASSERT_TRUE(months) << months.error().message;
    EXPECT_EQ(months->retention_months, 24);
    EXPECT_FALSE(months->retention_days);
    EXPECT_EQ(to_json(*months)["retention_months"], 24);
    EXPECT_EQ(to_json(*months)["retention_days"], nullptr);
    auto both = apply_field_changes(
        stored,
        parse_field_input({{"retention_months", 24}, {"retention_days", 5}}, InputMode::Patch)
            .value(),
        InputMode::Patch);
    ASSERT_FALSE(both);
    EXPECT_EQ(both.error().field, "retention_months");
    auto cleared = apply_field_changes(
        *months,
        parse_field_input({{"retention_months", nullptr}, {"retention_days", nullptr}},
                          InputMode::Patch)
            .value(),
        InputMode::Patch);
    ASSERT_TRUE(cleared);
    EXPECT_FALSE(cleared->retention_months || cleared->retention_days);
    auto too_long = apply_field_changes(
        stored, parse_field_input({{"retention_months", 1201}}, InputMode::Patch).value(),
        InputMode::Patch);
    ASSERT_FALSE(too_long);
    EXPECT_EQ(too_long.error().field, "retention_months");
}

TEST(FieldInput, CreateReadsTheResourceShape) {
    auto in = parse_field_input({{"key", "birth_year"},
                                 {"type", "number"},
                                 {"label", {{"de", " Geburtsjahr "}, {"en", "Year of birth"}}},
                                 {"min", 1900},
                                 {"max", 2030},
                                 {"personal", true},
                                 {"ask_in_portal", true}},
                                InputMode::Create);
    ASSERT_TRUE(in) << in.error().message;
    auto d = apply_field_changes({}, *in, InputMode::Create);
    ASSERT_TRUE(d) << d.error().message;
    EXPECT_EQ(d->label_de, "Geburtsjahr");
    EXPECT_EQ(*d->min, 1900);
    auto j = to_json(*d);
    EXPECT_EQ(j["type"], "number");
    EXPECT_EQ(j["label"]["en"], "Year of birth");
    EXPECT_EQ(j["min"], 1900);
    EXPECT_EQ(j["department"], nullptr);
    EXPECT_EQ(j["ask_in_portal"], true);
}

TEST(FieldInput, DateBoundsAreDates) {
    auto in = parse_field_input({{"key", "moved_in"},
                                 {"type", "date"},
                                 {"label", {{"de", "Zuzug"}, {"en", "Moved in"}}},
                                 {"min", "1990-01-01"}},
                                InputMode::Create);
    auto d = apply_field_changes({}, in.value(), InputMode::Create);
    ASSERT_TRUE(d) << d.error().message;
    EXPECT_EQ(to_json(*d)["min"], "1990-01-01");
    auto bad = parse_field_input({{"min", 1990}}, InputMode::Patch);
    EXPECT_EQ(apply_field_changes(*d, bad.value(), InputMode::Patch).error().field, "min");
}

TEST(FieldInput, RefusesMissingUnknownAndKeyChanges) {
    EXPECT_EQ(parse_field_input({{"key", "x"}, {"type", "bool"}}, InputMode::Create).error().field,
              "label");
    EXPECT_EQ(parse_field_input({{"colour", "red"}}, InputMode::Patch).error().field, "colour");
    auto d = def("has_dog", FieldType::Bool);
    auto rename = parse_field_input({{"key", "has_cat"}}, InputMode::Patch).value();
    EXPECT_EQ(apply_field_changes(d, rename, InputMode::Patch).error().field, "key");
    auto type = parse_field_input({{"type", "colour"}}, InputMode::Patch).value();
    EXPECT_EQ(apply_field_changes(d, type, InputMode::Patch).error().field, "type");
    auto confirm = parse_field_input({{"confirm", true}}, InputMode::Patch);
    EXPECT_TRUE(confirm.value().confirm);
}

TEST(FieldInput, RemovedOptionsAreNamed) {
    auto before = def("v", FieldType::Multichoice, {"a", "b", "c"});
    auto after = def("v", FieldType::Multichoice, {"a", "c", "d"});
    EXPECT_EQ(removed_options(before, after), (std::vector<std::string>{"b"}));
}

std::string value_problem(const FieldDefinition& d, const json& v) {
    auto r = validate_value(d, v);
    if (r)
        return "";
    EXPECT_EQ(r.error().field, "attributes." + d.key);
    return r.error().message;
}

TEST(FieldValue, NumbersAreCanonicalAndBounded) {
    auto d = def("birth_year", FieldType::Number);
    d.min = 1900;
    d.max = 2030;
    auto v = validate_value(d, 1984.0).value();
    EXPECT_EQ(v.texts, (std::vector<std::string>{"1984"}));
    EXPECT_EQ(*v.number, 1984);
    EXPECT_EQ(validate_value(d, 1999.5).value().texts[0], "1999.5");
    EXPECT_NE(value_problem(d, "1984").find("must be a number"), std::string::npos);
    EXPECT_NE(value_problem(d, true).find("must be a number"), std::string::npos);
    EXPECT_NE(value_problem(d, 1899).find("at least 1900"), std::string::npos);
    EXPECT_NE(value_problem(d, 2031).find("at most 2030"), std::string::npos);
    EXPECT_EQ(canonical_number(-0.0), "0");
    EXPECT_EQ(canonical_number(0.1), "0.1");
}

TEST(FieldValue, DatesAreCalendarDates) {
    auto d = def("moved_in", FieldType::Date);
    d.min = static_cast<double>(*parse_date_days("2000-01-01"));
    EXPECT_EQ(validate_value(d, "2024-02-29").value().texts[0], "2024-02-29");
    EXPECT_NE(value_problem(d, "2023-02-29").find("YYYY-MM-DD"), std::string::npos);
    EXPECT_NE(value_problem(d, "24.12.2024").find("YYYY-MM-DD"), std::string::npos);
    EXPECT_NE(value_problem(d, "1999-12-31").find("not be before 2000-01-01"), std::string::npos);
    EXPECT_EQ(format_date_days(*parse_date_days("1969-07-20")), "1969-07-20");
}

TEST(FieldValue, TextLengthAndPattern) {
    auto d = def("plz", FieldType::Text);
    d.pattern = "[0-9]{5}";
    EXPECT_EQ(validate_value(d, " 12345 ").value().texts[0], "12345");
    EXPECT_NE(value_problem(d, "1234").find("expected form"), std::string::npos);
    EXPECT_NE(value_problem(d, "123456").find("expected form"), std::string::npos);
    auto t = def("note", FieldType::Text);
    t.max = 3;
    EXPECT_NE(value_problem(t, "Süße").find("at most 3"), std::string::npos);
    EXPECT_EQ(value_problem(t, "Süß"), "");
    EXPECT_NE(value_problem(t, 12).find("text"), std::string::npos);
    EXPECT_NE(value_problem(def("n", FieldType::Text), std::string(501, 'x')).find("500"),
              std::string::npos);
}

TEST(FieldValue, ChoicesMustBeOptions) {
    auto c = def("format", FieldType::Choice, {"digital", "print"});
    EXPECT_EQ(validate_value(c, "print").value().texts[0], "print");
    EXPECT_NE(value_problem(c, "fax").find("\"digital\", \"print\""), std::string::npos);
    auto m = def("volunteering", FieldType::Multichoice, {"garden", "library", "sports"});
    m.max = 2;
    auto v = validate_value(m, json{"sports", "garden", "sports"}).value();
    EXPECT_EQ(v.texts, (std::vector<std::string>{"garden", "sports"}));
    EXPECT_NE(value_problem(m, json{"garden", "cooking"}).find("only hold options"),
              std::string::npos);
    EXPECT_NE(value_problem(m, json{"garden", "library", "sports"}).find("at most 2"),
              std::string::npos);
    EXPECT_NE(value_problem(m, "garden").find("list"), std::string::npos);
}

TEST(FieldValue, EmptyMeansNoValueAndRequiredRefusesIt) {
    auto d = def("has_dog", FieldType::Bool);
    EXPECT_TRUE(validate_value(d, nullptr).value().texts.empty());
    EXPECT_EQ(validate_value(d, false).value().texts[0], "false");
    EXPECT_NE(value_problem(d, "yes").find("true or false"), std::string::npos);
    d.required = true;
    EXPECT_NE(value_problem(d, nullptr).find("required"), std::string::npos);
    auto m = def("v", FieldType::Multichoice, {"a"});
    m.required = true;
    EXPECT_NE(value_problem(m, json::array()).find("required"), std::string::npos);
}

TEST(FieldValue, TextFormsAndBackToJson) {
    auto n = def("n", FieldType::Number);
    EXPECT_EQ(parse_value_text(n, "1984").value(), json(1984.0));
    EXPECT_FALSE(parse_value_text(n, "19x"));
    auto b = def("b", FieldType::Bool);
    EXPECT_EQ(parse_value_text(b, "Ja").value(), json(true));
    EXPECT_EQ(parse_value_text(b, "0").value(), json(false));
    EXPECT_FALSE(parse_value_text(b, "vielleicht"));
    auto m = def("m", FieldType::Multichoice, {"a"});
    EXPECT_EQ(parse_value_text(m, "a").value(), json::array({"a"}));
    EXPECT_EQ(value_to_json(FieldType::Number, {"1984"}), json(1984));
    EXPECT_EQ(value_to_json(FieldType::Number, {"2.5"}), json(2.5));
    EXPECT_EQ(value_to_json(FieldType::Bool, {"true"}), json(true));
    EXPECT_EQ(value_to_json(FieldType::Multichoice, {"a", "b"}), json({"a", "b"}));
}

TEST(FieldValue, ConvertsToAnotherTypeWhereTheValueFits) {
    auto text = def("t", FieldType::Text);
    auto number = def("n", FieldType::Number);
    number.max = 2030;
    auto choice = def("c", FieldType::Choice, {"Lesen", "Schwimmen"});
    auto multi = def("m", FieldType::Multichoice, {"Lesen", "Schwimmen"});
    auto date = def("d", FieldType::Date);
    auto flag = def("b", FieldType::Bool);

    EXPECT_EQ(convert_value({"1984"}, text)->texts, (std::vector<std::string>{"1984"}));
    auto n = convert_value({"1984"}, number);
    ASSERT_TRUE(n);
    EXPECT_EQ(n->number, 1984);
    EXPECT_FALSE(convert_value({"2031"}, number)) << "out of the new bounds";
    EXPECT_FALSE(convert_value({"viele"}, number));
    EXPECT_EQ(convert_value({"Lesen"}, multi)->texts, (std::vector<std::string>{"Lesen"}));
    EXPECT_EQ(convert_value({"Lesen", "Schwimmen"}, multi)->texts.size(), 2u);
    EXPECT_EQ(convert_value({"Lesen"}, choice)->texts, (std::vector<std::string>{"Lesen"}));
    EXPECT_FALSE(convert_value({"Lesen", "Schwimmen"}, choice)) << "a choice holds one";
    EXPECT_FALSE(convert_value({"Tanzen"}, choice)) << "not an option";
    EXPECT_EQ(convert_value({"2026-11-24"}, date)->texts[0], "2026-11-24");
    EXPECT_FALSE(convert_value({"24.11.2026"}, date));
    EXPECT_EQ(convert_value({"ja"}, flag)->texts[0], "true");
    EXPECT_EQ(convert_value({"true"}, text)->texts[0], "true");
    EXPECT_FALSE(convert_value({}, text));
}

} // namespace
} // namespace teilhabe::citizens
