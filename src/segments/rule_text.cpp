#include "segments/rule_text.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fmt/format.h>

namespace teilhabe::segments {

namespace {

struct Token {
    enum class Kind { Word, String, Symbol, End };
    Kind kind{Kind::End};
    std::string text;
    int line{1}, column{1};
};

bool word_char(unsigned char ch) {
    return std::isalnum(ch) || ch == '_' || ch == '.' || ch == ':' || ch == '-' || ch == '+' ||
           ch >= 0x80;
}

std::string lower(std::string s) {
    for (auto& ch : s)
        if (ch >= 'A' && ch <= 'Z')
            ch = static_cast<char>(ch - 'A' + 'a');
    return s;
}

struct Failure {
    TextError error;
};

class Parser {
public:
    explicit Parser(std::string_view text) : m_text(text) { advance(); }

    Rule rule() {
        auto r = parse_or();
        if (m_tok.kind != Token::Kind::End)
            error("expected and, or, or the end of the rule");
        return r;
    }

private:
    [[noreturn]] void error(std::string message) {
        throw Failure{{m_tok.line, m_tok.column, m_tok.text, std::move(message)}};
    }
    [[noreturn]] void error_at(const Token& t, std::string message) {
        throw Failure{{t.line, t.column, t.text, std::move(message)}};
    }

    void skip_space() {
        while (m_pos < m_text.size() && std::isspace(static_cast<unsigned char>(m_text[m_pos]))) {
            if (m_text[m_pos] == '\n') {
                ++m_line;
                m_col = 1;
            } else {
                ++m_col;
            }
            ++m_pos;
        }
    }

    void step(std::size_t n) {
        m_pos += n;
        m_col += static_cast<int>(n);
    }

    void advance() {
        skip_space();
        m_tok = Token{Token::Kind::End, "", m_line, m_col};
        if (m_pos >= m_text.size())
            return;
        char ch = m_text[m_pos];
        if (ch == '"') {
            m_tok.kind = Token::Kind::String;
            step(1);
            while (true) {
                if (m_pos >= m_text.size() || m_text[m_pos] == '\n') {
                    m_tok.text = "\"" + m_tok.text;
                    error("a text in quotes is not closed");
                }
                char c = m_text[m_pos];
                if (c == '"') {
                    step(1);
                    return;
                }
                if (c == '\\' && m_pos + 1 < m_text.size()) {
                    m_tok.text += m_text[m_pos + 1];
                    step(2);
                    continue;
                }
                m_tok.text += c;
                step(1);
            }
        }
        if (ch == '(' || ch == ')' || ch == '=') {
            m_tok = {Token::Kind::Symbol, std::string(1, ch), m_line, m_col};
            step(1);
            return;
        }
        if (ch == '!' || ch == '<' || ch == '>') {
            std::string s(1, ch);
            if (m_pos + 1 < m_text.size() && m_text[m_pos + 1] == '=')
                s += '=';
            m_tok = {Token::Kind::Symbol, s, m_line, m_col};
            if (s == "!") {
                m_tok.text = "!";
                error("expected != (or another comparison)");
            }
            step(s.size());
            return;
        }
        if (!word_char(static_cast<unsigned char>(ch))) {
            m_tok = {Token::Kind::Symbol, std::string(1, ch), m_line, m_col};
            error("this character has no meaning in a rule");
        }
        m_tok.kind = Token::Kind::Word;
        auto start = m_pos;
        while (m_pos < m_text.size() && word_char(static_cast<unsigned char>(m_text[m_pos])))
            ++m_pos;
        m_tok.text = std::string(m_text.substr(start, m_pos - start));
        // Columns count characters, not bytes of UTF-8.
        for (auto c : m_tok.text)
            if ((static_cast<unsigned char>(c) & 0xC0) != 0x80)
                ++m_col;
    }

    bool is_kw(std::initializer_list<const char*> words) const {
        if (m_tok.kind != Token::Kind::Word)
            return false;
        auto w = lower(m_tok.text);
        return std::ranges::any_of(words, [&](const char* k) { return w == k; });
    }
    bool accept(std::initializer_list<const char*> words) {
        if (!is_kw(words))
            return false;
        advance();
        return true;
    }
    void expect(std::initializer_list<const char*> words, const char* what) {
        if (!accept(words))
            error(fmt::format("expected {}", what));
    }

    Rule combine(Rule::Kind kind, Rule first, std::initializer_list<const char*> words,
                 Rule (Parser::*next)()) {
        if (!is_kw(words))
            return first;
        Rule r{.kind = kind};
        r.children.push_back(std::move(first));
        while (accept(words))
            r.children.push_back((this->*next)());
        return r;
    }
    Rule parse_or() { return combine(Rule::Kind::Any, parse_and(), {"or", "oder"}, &Parser::parse_and); }
    Rule parse_and() {
        return combine(Rule::Kind::All, parse_unary(), {"and", "und"}, &Parser::parse_unary);
    }

    Rule parse_unary() {
        if (accept({"not", "nicht"})) {
            Rule r{.kind = Rule::Kind::Not};
            r.children.push_back(parse_unary());
            return r;
        }
        if (m_tok.kind == Token::Kind::Symbol && m_tok.text == "(") {
            advance();
            auto r = parse_or();
            if (!(m_tok.kind == Token::Kind::Symbol && m_tok.text == ")"))
                error("expected ) or and/or");
            advance();
            return r;
        }
        auto start = m_tok;
        auto c = parse_condition();
        if (auto ok = check(c); !ok)
            error_at(start, ok.error().message);
        return Rule{.kind = Rule::Kind::Condition, .condition = std::move(c)};
    }

    std::string word(const char* what) {
        if (m_tok.kind != Token::Kind::Word && m_tok.kind != Token::Kind::String)
            error(fmt::format("expected {}", what));
        auto s = m_tok.text;
        advance();
        return s;
    }
    std::string string(const char* what) {
        if (m_tok.kind != Token::Kind::String)
            error(fmt::format("expected {} in quotes", what));
        auto s = m_tok.text;
        advance();
        return s;
    }

    Op op(bool with_contains) {
        if (m_tok.kind == Token::Kind::Symbol) {
            static const std::pair<const char*, Op> ops[] = {{"=", Op::Eq}, {"!=", Op::Ne},
                                                             {"<", Op::Lt}, {"<=", Op::Le},
                                                             {">", Op::Gt}, {">=", Op::Ge}};
            for (auto [s, o] : ops)
                if (m_tok.text == s) {
                    advance();
                    return o;
                }
        }
        if (with_contains && accept({"contains", "enthält"}))
            return Op::Contains;
        error(with_contains ? "expected =, !=, <, <=, >, >= or contains" : "expected =, !=, <, <=, >, >=");
    }

    Value value() {
        if (m_tok.kind == Token::Kind::String)
            return Value(string("a value"));
        if (m_tok.kind == Token::Kind::Word) {
            double d = 0;
            auto& t = m_tok.text;
            auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), d);
            if (ec == std::errc{} && p == t.data() + t.size() && std::isfinite(d)) {
                advance();
                return Value(d);
            }
        }
        error("expected a value: text in quotes or a number");
    }

    std::int64_t integer(const char* what) {
        if (m_tok.kind == Token::Kind::Word) {
            std::int64_t n = 0;
            auto& t = m_tok.text;
            auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
            if (ec == std::errc{} && p == t.data() + t.size()) {
                advance();
                return n;
            }
        }
        error(fmt::format("expected {}", what));
    }

    Condition parse_activity() {
        ActivityCondition a;
        a.type = word("an activity type");
        if (accept({"object", "objekt"}))
            a.object = string("the object");
        if (accept({"count", "anzahl"})) {
            a.op = op(false);
            a.count = integer("a count (a whole number)");
        }
        if (accept({"within", "innerhalb"})) {
            a.window.kind = Window::Kind::LastDays;
            a.window.days = integer("a number of days");
            expect({"days", "tage", "tagen"}, "days");
        } else if (accept({"from", "von"})) {
            a.window.kind = Window::Kind::Between;
            a.window.from = string("a date");
            expect({"until", "bis"}, "until");
            a.window.until = string("a date");
        }
        return a;
    }

    Condition parse_condition() {
        if (m_tok.kind == Token::Kind::Word && is_profile_field(lower(m_tok.text))) {
            auto field = lower(m_tok.text);
            advance();
            auto o = op(true);
            return FieldCondition{field, o, value()};
        }
        if (accept({"attribute", "feld"})) {
            auto key = word("a field key");
            auto o = op(true);
            return AttributeCondition{key, o, value()};
        }
        if (accept({"interest", "interesse"}))
            return InterestCondition{word("a topic key")};
        if (accept({"tag"}))
            return TagCondition{word("a tag")};
        if (accept({"consent", "einwilligung"})) {
            if (accept({"tracking"}))
                return ConsentCondition{ConsentCondition::Kind::Tracking, ""};
            expect({"topic", "thema"}, "topic or tracking");
            return ConsentCondition{ConsentCondition::Kind::Topic, word("a topic key")};
        }
        if (accept({"activity", "aktivität"}))
            return parse_activity();
        error("expected a condition: a profile field (email, first_name, last_name, language, "
              "district, created_at), attribute, interest, tag, consent, activity, not or (");
    }

    std::string_view m_text;
    std::size_t m_pos{0};
    int m_line{1}, m_col{1};
    Token m_tok;
};

std::string quote(std::string_view s) {
    std::string out = "\"";
    for (char ch : s) {
        if (ch == '"' || ch == '\\')
            out += '\\';
        out += ch;
    }
    return out + "\"";
}

std::string number(double d) {
    char buf[64];
    auto [p, ec] = std::to_chars(buf, buf + sizeof buf, d);
    return std::string(buf, p);
}

std::string value_text(const Value& v) {
    if (auto* s = std::get_if<std::string>(&v))
        return quote(*s);
    return number(std::get<double>(v));
}

std::string condition_text(const Condition& c) {
    return std::visit(
        [](const auto& x) -> std::string {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, FieldCondition>)
                return fmt::format("{} {} {}", x.field, op_symbol(x.op), value_text(x.value));
            else if constexpr (std::is_same_v<T, AttributeCondition>)
                return fmt::format("attribute {} {} {}", x.key, op_symbol(x.op), value_text(x.value));
            else if constexpr (std::is_same_v<T, InterestCondition>)
                return "interest " + x.topic;
            else if constexpr (std::is_same_v<T, TagCondition>)
                return "tag " + quote(x.tag);
            else if constexpr (std::is_same_v<T, ConsentCondition>)
                return x.kind == ConsentCondition::Kind::Tracking ? "consent tracking"
                                                                  : "consent topic " + x.topic;
            else {
                auto s = "activity " + x.type;
                if (!x.object.empty())
                    s += " object " + quote(x.object);
                s += fmt::format(" count {} {}", op_symbol(x.op), x.count);
                if (x.window.kind == Window::Kind::LastDays)
                    s += fmt::format(" within {} days", x.window.days);
                else if (x.window.kind == Window::Kind::Between)
                    s += fmt::format(" from {} until {}", quote(x.window.from), quote(x.window.until));
                return s;
            }
        },
        c);
}

} // namespace

std::string TextError::describe() const {
    if (word.empty())
        return fmt::format("line {}, column {} (at the end): {}", line, column, message);
    return fmt::format("line {}, column {} ('{}'): {}", line, column, word, message);
}

std::variant<Rule, TextError> parse_text_detailed(std::string_view text) {
    try {
        Parser p(text);
        return p.rule();
    } catch (const Failure& f) {
        return f.error;
    }
}

Result<Rule> parse_text(std::string_view text) {
    auto r = parse_text_detailed(text);
    if (auto* e = std::get_if<TextError>(&r))
        return fail(Error::invalid(e->describe(), "rule_text"));
    return std::get<Rule>(std::move(r));
}

std::string print_text(const Rule& r) {
    auto child = [](const Rule& c) {
        auto s = print_text(c);
        return c.kind == Rule::Kind::All || c.kind == Rule::Kind::Any ? "(" + s + ")" : s;
    };
    switch (r.kind) {
    case Rule::Kind::Condition:
        return condition_text(r.condition);
    case Rule::Kind::Not:
        return "not " + child(r.children.at(0));
    case Rule::Kind::All:
    case Rule::Kind::Any: {
        std::string out;
        for (const auto& c : r.children) {
            if (!out.empty())
                out += r.kind == Rule::Kind::All ? " and " : " or ";
            out += child(c);
        }
        return out;
    }
    }
    return {};
}

} // namespace teilhabe::segments
