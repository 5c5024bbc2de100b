#include "mail/template.h"

#include <cstdlib>

namespace teilhabe::mail {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\r'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

} // namespace

Result<CampaignContent> parse_campaign_file(std::string_view text) {
    CampaignContent c;
    std::size_t pos = 0;
    for (;;) {
        auto nl = text.find('\n', pos);
        if (nl == std::string_view::npos)
            return fail(Error::invalid("the campaign file has no \"---\" line before the body"));
        auto line = trim(text.substr(pos, nl - pos));
        pos = nl + 1;
        if (line == "---")
            break;
        auto colon = line.find(':');
        if (colon == std::string_view::npos)
            continue;
        auto key = trim(line.substr(0, colon)), value = trim(line.substr(colon + 1));
        if (key == "subject")
            c.subject = value;
        else if (key == "preheader")
            c.preheader = value;
        else if (key == "topics") {
            while (!value.empty()) {
                auto comma = value.find(',');
                c.topic_names.emplace_back(trim(value.substr(0, comma)));
                value =
                    comma == std::string_view::npos ? std::string_view{} : value.substr(comma + 1);
            }
        }
    }
    if (c.subject.empty())
        return fail(Error::invalid("the campaign file has no subject"));
    c.body_markdown = text.substr(pos);
    return c;
}

CampaignContent demo_campaign() {
    auto c = parse_campaign_file(mail_asset("demo_campaign.md"));
    if (!c)
        std::abort(); // the file is part of the build and covered by the tests
    return std::move(*c);
}

} // namespace teilhabe::mail
