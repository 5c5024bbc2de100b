#pragma once
// The frame around every campaign: the town's name, logo and colour, and the footer the law
// asks for (TMG/DDG § 5 imprint; GDPR Art. 21(4) and UWG § 7(3) say why the mail comes and how
// to stop it). Settings are per town and passed in, never global.

#include "base/error.h"

#include <string>
#include <string_view>
#include <vector>

namespace teilhabe::mail {

// The provider identification of § 5 DDG (formerly TMG), as the footer shows it.
struct ImprintSettings {
    std::string organisation;   // "Stadt Musterstadt"
    std::string street;         // "Marktplatz 1"
    std::string postcode_city;  // "12345 Musterstadt"
    std::string represented_by; // "Bürgermeisterin Erika Mustermann"
    std::string phone;
    std::string email;
    std::string imprint_url; // the full imprint on the town's website
    std::string privacy_url; // the privacy notice (GDPR Art. 13)
};

struct Branding {
    std::string town_name = "Musterstadt";
    std::string logo_url;                  // https://...; empty: the name in text
    std::string primary_color = "#005ea8"; // #rrggbb
};

struct LayoutSettings {
    Branding branding;
    ImprintSettings imprint;
};

// InvalidArgument naming the field when the colour is not #rrggbb, a URL is not http(s), or
// the organisation is missing (the imprint is mandatory).
Result<> validate(const LayoutSettings& settings);

enum class Language { German, English };
Language language_from_tag(std::string_view tag); // "en", "en-GB" -> English, else German

namespace detail {
// The layout rendered once with the given slot characters for the per-recipient parts.
struct LayoutSlots {
    std::string content_html, content_text, subject, preheader, unsubscribe, preferences;
};
Result<std::string> render_layout_html(const LayoutSettings& s, Language lang,
                                       const std::vector<std::string>& topic_names,
                                       const LayoutSlots& slots);
Result<std::string> render_layout_text(const LayoutSettings& s, Language lang,
                                       const std::vector<std::string>& topic_names,
                                       const LayoutSlots& slots);
} // namespace detail

// A file compiled in from web/templates/mail/ (layouts, texts, the demo campaign).
std::string_view mail_asset(std::string_view name);

} // namespace teilhabe::mail
