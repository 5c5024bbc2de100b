#pragma once
// Markdown (CommonMark, cmark-gfm's core) to HTML and to a readable plain text, for text that
// already carries slot characters (placeholders.h). Raw HTML is not passed through (cmark's
// safe mode) and links are replaced by Link slots so they can be rewritten per recipient.

#include "base/error.h"
#include "mail/placeholders.h"

#include <string>
#include <string_view>
#include <vector>

namespace teilhabe::mail::detail {

struct MarkdownOutput {
    std::string html;
    std::string text;
};

// A link's title "topic:KEY" marks the link's topic (and is removed from the output):
//   [Programm](https://example.org/kultur "topic:kultur")
Result<MarkdownOutput> render_markdown(std::string_view markdown, std::vector<Slot>& slots);

} // namespace teilhabe::mail::detail
