#pragma once
// Campaign content: compiled once from subject, preheader and a Markdown body, then rendered per
// recipient in microseconds. The personalisation language is described in placeholders.h and
// docs/decisions.md. Values are substituted after Markdown and layout are rendered, HTML-escaped
// in the HTML part and verbatim in the text part, so no value can become markup.

#include "base/error.h"
#include "mail/layout.h"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace teilhabe::mail {

struct CampaignContent {
    std::string subject;       // may use values and blocks, no Markdown
    std::string preheader;     // likewise; shown by mail clients beside the subject
    std::string body_markdown; // CommonMark; raw HTML is not passed through
    // The names of the campaign's topics, for the footer's "why you get this".
    std::vector<std::string> topic_names;
};

struct Recipient {
    std::string first_name;
    std::string last_name;
    std::string email;
    std::string language;                                   // "de" (default) or "en"
    std::map<std::string, std::string, std::less<>> fields; // field key -> display text
    std::set<std::string, std::less<>> interests;           // interest (topic) keys
    std::set<std::string, std::less<>> tags;
    std::string district;
    std::string unsubscribe_url;
    std::string preferences_url;
};

// Called for every link of the body with its target and its topic (the link title
// "topic:KEY"); returns the URL to put in the message, e.g. a /r/{token} redirect for people
// who consented to tracking. The footer's unsubscribe, preference and imprint links are not
// passed: they must work directly and are not campaign content.
using LinkRewriter =
    std::function<std::string(std::string_view url, std::optional<std::string_view> topic)>;

struct RenderedMail {
    std::string subject;
    std::string preheader;
    std::string html; // the whole document, layout included
    std::string text; // the plain-text alternative, layout included
};

struct CampaignLink {
    std::string url;
    std::optional<std::string> topic;
};

class CompiledCampaign {
public:
    // InvalidArgument with "subject|preheader|body, line L, column C: ..." for a malformed
    // placeholder or block, or naming the layout setting that is invalid.
    static Result<CompiledCampaign> compile(const CampaignContent& content,
                                            const LayoutSettings& layout);

    RenderedMail render(const Recipient& recipient, const LinkRewriter& rewrite = {}) const;
    // The same into an existing object, reusing its buffers (the sending loop).
    void render_into(const Recipient& recipient, const LinkRewriter& rewrite,
                     RenderedMail& out) const;

    // The body's links in order of appearance (for reports: clicks per link and topic).
    std::vector<CampaignLink> links() const;

    struct Compiled;

private:
    explicit CompiledCampaign(std::shared_ptr<const Compiled> c) : m_compiled(std::move(c)) {}
    std::shared_ptr<const Compiled> m_compiled; // immutable: one compiled campaign, many threads
};

// A campaign file: "subject: ...", "preheader: ...", "topics: A, B" lines, a line "---", then
// the Markdown body. InvalidArgument when the separator or the subject is missing.
Result<CampaignContent> parse_campaign_file(std::string_view text);

// The demo newsletter (web/templates/mail/demo_campaign.md, compiled in): the clean-up day.
CampaignContent demo_campaign();

} // namespace teilhabe::mail
