#pragma once
// The personalisation language of campaign texts (documented in docs/decisions.md):
//   {{first_name}} {{last_name}} {{email}} {{district}} {{field.KEY}}   a value; {{x|Text}} gives
//                                                                       "Text" when x is empty
//   {{#interest.KEY}} ... {{/interest.KEY}}     shown when the person has the interest
//   {{#tag.KEY}} {{#field.KEY}} {{#district}} {{#language.en}}           ... has the tag / a value
//   {{#field.KEY=Value}} {{#district=Nord}}     ... when the value is exactly "Value"
//   {{^...}} ... {{/...}}                      the inverse: shown when the condition is false
// Each {{...}} is replaced by one private-use code point (a "slot") before Markdown is rendered,
// so values are substituted into finished HTML/text and can never become markup.

#include "base/error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace teilhabe::mail::detail {

enum class SlotKind : std::uint8_t {
    Value,       // a recipient's value
    BlockBegin,  // {{#cond}} or {{^cond}}
    BlockEnd,    // {{/cond}}
    Link,        // a link target from the Markdown (rewritable per recipient)
    Unsubscribe, // the recipient's unsubscribe URL (layout)
    Preferences, // the recipient's preference-centre URL (layout)
    Preheader,   // the rendered preheader (layout)
    Subject,     // the rendered subject (layout)
};

enum class ValueKind : std::uint8_t { FirstName, LastName, Email, District, Field };
enum class CondKind : std::uint8_t { Interest, Tag, Field, District, Language };

struct Slot {
    SlotKind kind{SlotKind::Value};
    ValueKind value{ValueKind::FirstName};
    CondKind cond{CondKind::Interest};
    bool inverted{false};
    bool standalone{false};            // a block tag alone on its line (its own paragraph)
    std::string key;                   // field/interest/tag key
    std::optional<std::string> equals; // {{#field.KEY=Value}}
    std::string fallback;              // {{first_name|Text}}
    std::string url;                   // Link
    std::optional<std::string> topic;  // Link
    bool autolink{false};              // Link whose text is its URL
    std::string tag;                   // the source text, for error messages
    int line{0}, column{0};
};

inline constexpr char32_t slot_base = 0xE000;
inline constexpr std::size_t max_slots = 0x1800; // up to U+F7FF

std::string slot_char(std::size_t index);
// The slot index when `s` at `pos` starts a slot character (3 bytes), else nullopt.
std::optional<std::size_t> slot_at(std::string_view s, std::size_t pos, std::size_t slot_count);
// `s` without private-use characters (U+E000..U+F8FF), which are reserved for slots.
std::string strip_private_use(std::string_view s);

enum class TextMode : std::uint8_t { Plain, Markdown };

// Replaces every {{...}} of `source` by a slot character, appending slots. In Markdown mode a
// block tag alone on its line becomes its own paragraph. Errors name line and column.
Result<std::string> extract_placeholders(std::string_view source, TextMode mode,
                                         std::string_view what, std::vector<Slot>& slots);

} // namespace teilhabe::mail::detail
