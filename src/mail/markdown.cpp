#include "mail/markdown.h"

#include <cctype>
#include <cmark-gfm.h>
#include <fmt/format.h>
#include <memory>

namespace teilhabe::mail::detail {

namespace {

constexpr std::string_view link_marker = "teilhabe-link:";

struct NodeDeleter {
    void operator()(cmark_node* n) const { cmark_node_free(n); }
};

std::string literal(cmark_node* n) {
    const char* s = cmark_node_get_literal(n);
    return s ? s : "";
}

bool has_slot(std::string_view s, std::size_t slot_count) {
    for (std::size_t i = 0; i < s.size(); ++i)
        if (slot_at(s, i, slot_count))
            return true;
    return false;
}

// cmark's safe mode drops these targets (render/html.c, _scan_dangerous_url); the check must be
// repeated here because the rendered href is a marker and the target is put back afterwards.
bool dangerous_url(std::string_view url) {
    std::string lower;
    for (char c : url.substr(0, 16))
        lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (std::string_view scheme : {"javascript:", "vbscript:", "file:", "data:"})
        if (lower.starts_with(scheme))
            return true;
    return false;
}

std::string plain_children(cmark_node* n) {
    std::string out;
    for (auto* c = cmark_node_first_child(n); c; c = cmark_node_next(c)) {
        auto t = cmark_node_get_type(c);
        if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE)
            out += literal(c);
        else
            out += plain_children(c);
    }
    return out;
}

// Links become Link slots; their target is written as "teilhabe-link:N", which cmark's safe
// mode and URL escaping leave alone, and which is swapped for the slot after rendering.
Result<> collect_links(cmark_node* root, std::vector<Slot>& slots) {
    std::unique_ptr<cmark_iter, decltype(&cmark_iter_free)> it(cmark_iter_new(root),
                                                               cmark_iter_free);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it.get())) != CMARK_EVENT_DONE) {
        cmark_node* n = cmark_iter_get_node(it.get());
        if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(n) != CMARK_NODE_LINK)
            continue;
        std::string url = cmark_node_get_url(n) ? cmark_node_get_url(n) : "";
        std::string title = cmark_node_get_title(n) ? cmark_node_get_title(n) : "";
        if (has_slot(url, slots.size()))
            return fail(Error::invalid(
                fmt::format("body, line {}: placeholders are not allowed in a link target",
                            cmark_node_get_start_line(n)),
                "body"));
        if (slots.size() >= max_slots)
            return fail(Error::invalid("body: too many placeholders and links", "body"));
        Slot s;
        s.kind = SlotKind::Link;
        s.url = dangerous_url(url) ? std::string() : url;
        s.line = cmark_node_get_start_line(n);
        s.column = cmark_node_get_start_column(n);
        if (title.starts_with("topic:")) {
            s.topic = title.substr(6);
            cmark_node_set_title(n, "");
        }
        auto text = plain_children(n);
        s.autolink = text == url || "mailto:" + text == url;
        cmark_node_set_url(n, fmt::format("{}{}", link_marker, slots.size()).c_str());
        slots.push_back(std::move(s));
    }
    return {};
}

// "teilhabe-link:N" -> the slot character; "<p>S</p>\n" of a standalone block tag -> S.
std::string finish_html(std::string html, const std::vector<Slot>& slots) {
    std::string out;
    out.reserve(html.size());
    for (std::size_t i = 0; i < html.size();) {
        if (html.compare(i, link_marker.size(), link_marker) == 0) {
            std::size_t j = i + link_marker.size(), n = 0;
            while (j < html.size() && html[j] >= '0' && html[j] <= '9')
                n = n * 10 + static_cast<std::size_t>(html[j++] - '0');
            out += slot_char(n);
            i = j;
            continue;
        }
        if (html.compare(i, 3, "<p>") == 0) {
            auto slot = slot_at(html, i + 3, slots.size());
            if (slot && slots[*slot].standalone && html.compare(i + 6, 5, "</p>\n") == 0) {
                out += slot_char(*slot);
                i += 11;
                continue;
            }
        }
        out += html[i++];
    }
    return out;
}

struct TextRenderer {
    const std::vector<Slot>& slots;

    void inlines(cmark_node* n, std::string& out) {
        for (auto* c = cmark_node_first_child(n); c; c = cmark_node_next(c))
            inline_node(c, out);
    }

    void inline_node(cmark_node* n, std::string& out) {
        switch (cmark_node_get_type(n)) {
        case CMARK_NODE_TEXT:
        case CMARK_NODE_CODE:
            out += literal(n);
            break;
        case CMARK_NODE_SOFTBREAK:
        case CMARK_NODE_LINEBREAK:
            out += '\n';
            break;
        case CMARK_NODE_HTML_INLINE:
            break; // not passed through (safe mode)
        case CMARK_NODE_LINK: {
            std::string url = cmark_node_get_url(n);
            std::size_t index = std::stoul(url.substr(link_marker.size()));
            if (slots[index].autolink) {
                out += slot_char(index);
            } else {
                inlines(n, out);
                out += " (" + slot_char(index) + ")";
            }
            break;
        }
        default:
            inlines(n, out); // emphasis, strong, image (its alt text)
        }
    }

    static std::size_t width(std::string_view s) {
        std::size_t w = 0;
        for (unsigned char c : s)
            w += (c & 0xC0) != 0x80;
        return w;
    }

    static std::string indent(std::string_view text, std::string_view first,
                              std::string_view rest) {
        std::string out;
        bool start = true;
        for (std::size_t i = 0; i < text.size(); ++i) {
            if (start && text[i] != '\n')
                out += out.empty() ? first : rest;
            start = text[i] == '\n';
            out += text[i];
        }
        return out;
    }

    void blocks(cmark_node* n, std::string& out) {
        for (auto* c = cmark_node_first_child(n); c; c = cmark_node_next(c))
            block(c, out);
    }

    void block(cmark_node* n, std::string& out) {
        switch (cmark_node_get_type(n)) {
        case CMARK_NODE_PARAGRAPH: {
            std::string p;
            inlines(n, p);
            auto slot = p.size() == 3 ? slot_at(p, 0, slots.size()) : std::nullopt;
            if (slot && slots[*slot].standalone) {
                out += p; // a block tag: no paragraph of its own
                break;
            }
            out += p + "\n\n";
            break;
        }
        case CMARK_NODE_HEADING: {
            std::string h;
            inlines(n, h);
            int level = cmark_node_get_heading_level(n);
            out += h + "\n";
            if (level <= 2)
                out += std::string(width(h), level == 1 ? '=' : '-') + "\n";
            out += "\n";
            break;
        }
        case CMARK_NODE_LIST: {
            bool ordered = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
            int number = cmark_node_get_list_start(n);
            for (auto* item = cmark_node_first_child(n); item; item = cmark_node_next(item)) {
                std::string body;
                blocks(item, body);
                while (!body.empty() && body.back() == '\n')
                    body.pop_back();
                std::string marker = ordered ? fmt::format("{}. ", number++) : "- ";
                out += indent(body, marker, std::string(marker.size(), ' ')) + "\n";
            }
            out += "\n";
            break;
        }
        case CMARK_NODE_BLOCK_QUOTE: {
            std::string body;
            blocks(n, body);
            while (!body.empty() && body.back() == '\n')
                body.pop_back();
            out += indent(body, "> ", "> ") + "\n\n";
            break;
        }
        case CMARK_NODE_CODE_BLOCK: {
            std::string code = literal(n);
            out += indent(code, "    ", "    ") + "\n";
            break;
        }
        case CMARK_NODE_THEMATIC_BREAK:
            out += "----------------------------------------\n\n";
            break;
        case CMARK_NODE_HTML_BLOCK:
            break; // not passed through (safe mode)
        default:
            blocks(n, out);
        }
    }
};

} // namespace

Result<MarkdownOutput> render_markdown(std::string_view markdown, std::vector<Slot>& slots) {
    // CMARK_OPT_DEFAULT without CMARK_OPT_UNSAFE: raw HTML and javascript:/data: links are
    // dropped, so staff Markdown cannot inject script or styles into the mail.
    std::unique_ptr<cmark_node, NodeDeleter> doc(
        cmark_parse_document(markdown.data(), markdown.size(), CMARK_OPT_DEFAULT));
    if (!doc)
        return fail(Error::internal("cmark could not parse the body"));
    TRY(collect_links(doc.get(), slots));
    char* html = cmark_render_html(doc.get(), CMARK_OPT_DEFAULT, nullptr);
    MarkdownOutput out;
    out.html = finish_html(html, slots);
    free(html);
    TextRenderer text{slots};
    text.blocks(doc.get(), out.text);
    while (!out.text.empty() && out.text.back() == '\n')
        out.text.pop_back();
    return out;
}

} // namespace teilhabe::mail::detail
