#include "mail/template.h"

#include "base/html.h"
#include "mail/markdown.h"
#include "mail/placeholders.h"

#include <fmt/format.h>

namespace teilhabe::mail {

using detail::Slot;
using detail::SlotKind;

namespace {

constexpr std::uint32_t literal_op = UINT32_MAX;

struct Op {
    std::uint32_t slot{literal_op};
    std::uint32_t skip{0}; // BlockBegin: index of its BlockEnd
    std::string literal;
};

using Program = std::vector<Op>;

enum class Escape { Html, Text, Header };

Program tokenise(std::string_view s, const std::vector<Slot>& slots) {
    Program p;
    std::vector<std::size_t> open;
    std::string lit;
    for (std::size_t i = 0; i < s.size();) {
        auto slot = detail::slot_at(s, i, slots.size());
        if (!slot) {
            lit += s[i++];
            continue;
        }
        if (!lit.empty())
            p.push_back({literal_op, 0, std::move(lit)});
        lit.clear();
        auto kind = slots[*slot].kind;
        if (kind == SlotKind::BlockBegin)
            open.push_back(p.size());
        else if (kind == SlotKind::BlockEnd && !open.empty()) {
            p[open.back()].skip = static_cast<std::uint32_t>(p.size());
            open.pop_back();
        }
        p.push_back({static_cast<std::uint32_t>(*slot), 0, {}});
        i += 3;
    }
    if (!lit.empty())
        p.push_back({literal_op, 0, std::move(lit)});
    return p;
}

// Change of element depth in a piece of cmark's HTML (well-formed, attributes escaped), and
// the lowest depth reached on the way.
std::pair<int, int> depth_change(std::string_view html) {
    int depth = 0, lowest = 0;
    for (std::size_t i = 0; i < html.size(); ++i) {
        if (html[i] != '<')
            continue;
        if (html.compare(i, 4, "<!--") == 0) {
            auto end = html.find("-->", i);
            i = end == std::string_view::npos ? html.size() : end;
            continue;
        }
        auto end = html.find('>', i);
        if (end == std::string_view::npos)
            break;
        auto tag = html.substr(i + 1, end - i - 1);
        if (tag.starts_with('/'))
            lowest = std::min(lowest, --depth);
        else if (!tag.ends_with('/') && !tag.starts_with("br") && !tag.starts_with("hr") &&
                 !tag.starts_with("img"))
            ++depth;
        i = end;
    }
    return {depth, lowest};
}

// A block that is hidden must take whole elements with it: its tags either stand on their own
// lines or sit in the same paragraph.
Result<> check_blocks(const Program& body, const std::vector<Slot>& slots) {
    std::vector<std::pair<std::size_t, int>> open; // slot, depth at its start
    int depth = 0;
    for (const auto& op : body) {
        bool unbalanced = false;
        if (op.slot == literal_op) {
            auto [change, lowest] = depth_change(op.literal);
            unbalanced = !open.empty() && depth + lowest < open.back().second;
            depth += change;
        } else if (slots[op.slot].kind == SlotKind::BlockBegin) {
            open.emplace_back(op.slot, depth);
        } else if (slots[op.slot].kind == SlotKind::BlockEnd && !open.empty()) {
            unbalanced = depth != open.back().second;
            if (!unbalanced)
                open.pop_back();
        }
        if (unbalanced) {
            auto begin = open.back().first;
            return fail(Error::invalid(
                fmt::format(
                    "body, line {}, column {}: the block \"{{{{#{}}}}}\" must end in the same "
                    "paragraph, or both its tags must stand on lines of their own",
                    slots[begin].line, slots[begin].column, slots[begin].tag),
                "body"));
        }
    }
    return {};
}

void append_escaped(std::string& out, std::string_view v, Escape esc) {
    switch (esc) {
    case Escape::Text:
        out.append(v);
        return;
    case Escape::Header:
        for (char c : v)
            out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) ? ' ' : c;
        return;
    case Escape::Html:
        append_html_escaped(out, v);
        return;
    }
}

std::string_view value_of(const Slot& s, const Recipient& r) {
    switch (s.value) {
    case detail::ValueKind::FirstName:
        return r.first_name;
    case detail::ValueKind::LastName:
        return r.last_name;
    case detail::ValueKind::Email:
        return r.email;
    case detail::ValueKind::District:
        return r.district;
    case detail::ValueKind::Field: {
        auto it = r.fields.find(s.key);
        return it == r.fields.end() ? std::string_view{} : std::string_view(it->second);
    }
    }
    return {};
}

bool holds(const Slot& s, const Recipient& r) {
    bool result = false;
    switch (s.cond) {
    case detail::CondKind::Interest:
        result = r.interests.contains(s.key);
        break;
    case detail::CondKind::Tag:
        result = r.tags.contains(s.key);
        break;
    case detail::CondKind::Language:
        result = (s.key == "en") == (language_from_tag(r.language) == Language::English);
        break;
    case detail::CondKind::Field:
    case detail::CondKind::District: {
        std::string_view v;
        if (s.cond == detail::CondKind::District)
            v = r.district;
        else if (auto it = r.fields.find(s.key); it != r.fields.end())
            v = it->second;
        result = s.equals ? v == *s.equals : !v.empty();
        break;
    }
    }
    return result != s.inverted;
}

std::string slot_of(std::vector<Slot>& slots, SlotKind kind) {
    Slot s;
    s.kind = kind;
    slots.push_back(std::move(s));
    return detail::slot_char(slots.size() - 1);
}

} // namespace

struct CompiledCampaign::Compiled {
    std::vector<Slot> slots;
    Program subject, preheader;
    Program html[2], text[2]; // German, English

    struct Context {
        const Recipient& r;
        const LinkRewriter& rewrite;
        std::string_view subject, preheader;
    };

    void run(const Program& p, Escape esc, const Context& c, std::string& out) const {
        for (std::size_t i = 0; i < p.size(); ++i) {
            const Op& op = p[i];
            if (op.slot == literal_op) {
                out.append(op.literal);
                continue;
            }
            const Slot& s = slots[op.slot];
            switch (s.kind) {
            case SlotKind::Value: {
                auto v = value_of(s, c.r);
                append_escaped(out, v.empty() ? std::string_view(s.fallback) : v, esc);
                break;
            }
            case SlotKind::BlockBegin:
                if (!holds(s, c.r))
                    i = op.skip;
                break;
            case SlotKind::BlockEnd:
                break;
            case SlotKind::Link:
                if (c.rewrite) {
                    auto topic = s.topic ? std::optional<std::string_view>(*s.topic) : std::nullopt;
                    append_escaped(out, c.rewrite(s.url, topic), esc);
                } else {
                    append_escaped(out, s.url, esc);
                }
                break;
            case SlotKind::Unsubscribe:
                append_escaped(out, c.r.unsubscribe_url, esc);
                break;
            case SlotKind::Preferences:
                append_escaped(out, c.r.preferences_url, esc);
                break;
            case SlotKind::Preheader:
                append_escaped(out, c.preheader, esc);
                break;
            case SlotKind::Subject:
                append_escaped(out, c.subject, esc);
                break;
            }
        }
    }
};

Result<CompiledCampaign> CompiledCampaign::compile(const CampaignContent& content,
                                                   const LayoutSettings& layout) {
    TRY(validate(layout));
    if (content.subject.find_first_of("\r\n") != std::string::npos)
        return fail(Error::invalid("the subject must be a single line", "subject"));
    if (content.subject.empty())
        return fail(Error::invalid("the subject is empty", "subject"));
    auto c = std::make_shared<Compiled>();
    auto subject = TRY(detail::extract_placeholders(content.subject, detail::TextMode::Plain,
                                                    "subject", c->slots));
    auto preheader = TRY(detail::extract_placeholders(content.preheader, detail::TextMode::Plain,
                                                      "preheader", c->slots));
    auto body = TRY(detail::extract_placeholders(content.body_markdown, detail::TextMode::Markdown,
                                                 "body", c->slots));
    auto md = TRY(detail::render_markdown(body, c->slots));
    TRY(check_blocks(tokenise(md.html, c->slots), c->slots));
    if (c->slots.size() + 4 > detail::max_slots)
        return fail(Error::invalid("body: too many placeholders and links", "body"));
    detail::LayoutSlots ls;
    ls.content_html = md.html;
    ls.content_text = md.text;
    ls.unsubscribe = slot_of(c->slots, SlotKind::Unsubscribe);
    ls.preferences = slot_of(c->slots, SlotKind::Preferences);
    ls.preheader = slot_of(c->slots, SlotKind::Preheader);
    ls.subject = slot_of(c->slots, SlotKind::Subject);
    for (auto lang : {Language::German, Language::English}) {
        int i = lang == Language::English ? 1 : 0;
        auto html = TRY(detail::render_layout_html(layout, lang, content.topic_names, ls));
        auto text = TRY(detail::render_layout_text(layout, lang, content.topic_names, ls));
        c->html[i] = tokenise(html, c->slots);
        c->text[i] = tokenise(text, c->slots);
    }
    c->subject = tokenise(subject, c->slots);
    c->preheader = tokenise(preheader, c->slots);
    return CompiledCampaign(std::move(c));
}

void CompiledCampaign::render_into(const Recipient& r, const LinkRewriter& rewrite,
                                   RenderedMail& out) const {
    const Compiled& c = *m_compiled;
    out.subject.clear();
    out.preheader.clear();
    out.html.clear();
    out.text.clear();
    Compiled::Context none{r, rewrite, {}, {}};
    c.run(c.subject, Escape::Header, none, out.subject);
    c.run(c.preheader, Escape::Header, none, out.preheader);
    int lang = language_from_tag(r.language) == Language::English ? 1 : 0;
    Compiled::Context ctx{r, rewrite, out.subject, out.preheader};
    c.run(c.html[lang], Escape::Html, ctx, out.html);
    c.run(c.text[lang], Escape::Text, ctx, out.text);
}

RenderedMail CompiledCampaign::render(const Recipient& r, const LinkRewriter& rewrite) const {
    RenderedMail out;
    render_into(r, rewrite, out);
    return out;
}

std::vector<CampaignLink> CompiledCampaign::links() const {
    std::vector<CampaignLink> out;
    for (const auto& s : m_compiled->slots)
        if (s.kind == SlotKind::Link)
            out.push_back({s.url, s.topic});
    return out;
}

} // namespace teilhabe::mail
