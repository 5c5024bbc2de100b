#pragma once
// The text form of a rule, for staff to type (docs/segments.md has the full syntax):
//   district = "Nord" and activity email.clicked object "topic:kultur" count >= 1 within 30 days
//   interest kultur or (tag "ehrenamt" and not consent tracking)
// German keywords are read as well (und, oder, nicht, feld, interesse, einwilligung, thema,
// aktivität, objekt, anzahl, innerhalb, tagen, von, bis, enthält); the printer writes English.
// print_text is canonical: parse_text(print_text(r)) == r for every valid rule.
// A parse error says where: "line 1, column 19 ('adn'): expected and, or, or the end".

#include "segments/rule.h"

#include <string>

namespace teilhabe::segments {

struct TextError {
    int line{1};
    int column{1};
    std::string word;    // the offending word (empty at the end of the text)
    std::string message; // what was expected
    std::string describe() const;
};

// Error::field is "rule_text"; the message is TextError::describe().
Result<Rule> parse_text(std::string_view text);
// The same with the position apart (the editor marks it).
std::variant<Rule, TextError> parse_text_detailed(std::string_view text);
std::string print_text(const Rule& r);

} // namespace teilhabe::segments
