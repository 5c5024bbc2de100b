#include "mail/dkim.h"
#include "mail/mail_check.h"
#include "mail/message.h"
#include "mail/template.h"

#include <gtest/gtest.h>
#include <iostream>

using namespace teilhabe;
using namespace teilhabe::mail;

namespace {

LayoutSettings town() {
    LayoutSettings s;
    s.branding.town_name = "Musterstadt";
    s.branding.logo_url = "https://www.musterstadt.de/logo.png";
    s.branding.primary_color = "#0b6e4f";
    s.imprint.organisation = "Stadt Musterstadt";
    s.imprint.street = "Marktplatz 1";
    s.imprint.postcode_city = "12345 Musterstadt";
    s.imprint.represented_by = "Bürgermeisterin Erika Mustermann";
    s.imprint.phone = "+49 1234 5678-0";
    s.imprint.email = "rathaus@musterstadt.de";
    s.imprint.imprint_url = "https://www.musterstadt.de/impressum";
    s.imprint.privacy_url = "https://www.musterstadt.de/datenschutz";
    return s;
}

Recipient anna() {
    Recipient r;
    r.first_name = "Anna";
    r.last_name = "Groß";
    r.email = "anna@example.org";
    r.language = "de";
    r.district = "Nord";
    r.interests = {"familie", "umwelt"};
    r.fields = {{"verein", "Naturfreunde"}};
    r.unsubscribe_url = "https://teilhabe.musterstadt.de/unsubscribe/tok-anna";
    r.preferences_url = "https://teilhabe.musterstadt.de/preferences/tok-anna";
    return r;
}

CompiledCampaign compile(const std::string& body,
                         const std::string& subject = "Hallo {{first_name}}") {
    auto c = CompiledCampaign::compile({subject, "", body, {"Umwelt"}}, town());
    EXPECT_TRUE(c) << (c ? "" : c.error().message);
    return std::move(*c);
}

std::string compile_error(const std::string& body) {
    auto c = CompiledCampaign::compile({"Betreff", "", body, {}}, town());
    return c ? "compiled" : c.error().message;
}

} // namespace

TEST(Template, PersonalisesSubjectBodyAndTextAndUsesFallbacks) {
    auto c = compile(
        "Hallo {{first_name|zusammen}} {{last_name}} aus {{district}}, Verein: {{field.verein}}, "
        "Mail: {{email}}, Alter: {{field.alter|unbekannt}}.");
    auto out = c.render(anna());
    EXPECT_EQ(out.subject, "Hallo Anna");
    EXPECT_NE(
        out.html.find("<p>Hallo Anna Groß aus Nord, Verein: Naturfreunde, Mail: anna@example.org, "
                      "Alter: unbekannt.</p>"),
        std::string::npos)
        << out.html;
    EXPECT_NE(out.text.find("Hallo Anna Groß aus Nord"), std::string::npos) << out.text;
    Recipient nobody;
    auto empty = c.render(nobody);
    EXPECT_NE(empty.html.find("Hallo zusammen"), std::string::npos);
}

TEST(Template, ValuesNeverBecomeMarkupOrMarkdown) {
    auto c = compile("Hallo **{{first_name}}** {{last_name}}", "Hallo {{first_name}}");
    Recipient r = anna();
    r.first_name = "<script>alert(1)</script>";
    r.last_name = "**fett** [link](javascript:alert(1)) & \"quote\"";
    auto out = c.render(r);
    EXPECT_EQ(out.html.find("<script>"), std::string::npos);
    EXPECT_NE(out.html.find("<strong>&lt;script&gt;alert(1)&lt;/script&gt;</strong>"),
              std::string::npos)
        << out.html;
    EXPECT_NE(out.html.find("**fett** [link](javascript:alert(1)) &amp; &quot;quote&quot;"),
              std::string::npos);
    EXPECT_EQ(out.html.find("<a href=\"javascript"), std::string::npos);
    // The text part carries the value verbatim: it is not interpreted there.
    EXPECT_NE(out.text.find("Hallo <script>alert(1)</script> **fett** [link](javascript:alert(1))"),
              std::string::npos)
        << out.text;
    // A line break in a value cannot reach a header.
    r.first_name = "Anna\r\nBcc: x@example.org";
    EXPECT_EQ(c.render(r).subject, "Hallo Anna  Bcc: x@example.org");
}

TEST(Template, StaffMarkdownCannotInjectRawHtml) {
    auto c = compile("Hallo <img src=x "
                     "onerror=alert(1)>\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))");
    auto out = c.render(anna());
    EXPECT_EQ(out.html.find("onerror"), std::string::npos);
    EXPECT_EQ(out.html.find("<script>alert"), std::string::npos);
    EXPECT_EQ(out.html.find("javascript:"), std::string::npos);
}

TEST(Template, BlocksShowOnlyForMatchingInterestsAndAttributes) {
    auto c =
        compile("Start\n\n{{#interest.kultur}}\n## Kultur\n\nTheater!\n{{/interest.kultur}}\n\n"
                "{{#district=Nord}}\nNord-Treffpunkt\n{{/district}}\n\n"
                "{{^interest.kultur}}\nKeine Kultur.\n{{/interest.kultur}}\n\n"
                "Inline {{#field.verein=Naturfreunde}}NF{{/field.verein}} und "
                "{{#tag.ehrenamt}}EA{{/tag.ehrenamt}}.\n");
    auto plain = c.render(anna());
    EXPECT_EQ(plain.html.find("Theater"), std::string::npos);
    EXPECT_EQ(plain.text.find("Theater"), std::string::npos);
    EXPECT_NE(plain.html.find("Nord-Treffpunkt"), std::string::npos);
    EXPECT_NE(plain.html.find("<p>Keine Kultur.</p>"), std::string::npos);
    EXPECT_NE(plain.html.find("<p>Inline NF und .</p>"), std::string::npos) << plain.html;
    EXPECT_EQ(plain.html.find("<p></p>"), std::string::npos);
    auto r = anna();
    r.interests.insert("kultur");
    r.district = "Süd";
    r.tags.insert("ehrenamt");
    auto k = c.render(r);
    EXPECT_NE(k.html.find("<h2>Kultur</h2>\n<p>Theater!</p>"), std::string::npos) << k.html;
    EXPECT_NE(k.text.find("Kultur\n------\n\nTheater!"), std::string::npos) << k.text;
    EXPECT_EQ(k.html.find("Nord-Treffpunkt"), std::string::npos);
    EXPECT_EQ(k.html.find("Keine Kultur"), std::string::npos);
    EXPECT_NE(k.html.find("Inline NF und EA."), std::string::npos);
}

TEST(Template, InvalidTemplatesNameLineAndColumn) {
    EXPECT_EQ(compile_error("a\nb {{vorname}}"),
              "body, line 2, column 3: unknown placeholder \"{{vorname}}\"; known are first_name, "
              "last_name, "
              "email, district and field.KEY");
    EXPECT_EQ(compile_error("x\n\n{{#interest.kultur}}\ny"),
              "body, line 3, column 1: \"{{#interest.kultur}}\" is never closed");
    EXPECT_EQ(compile_error("{{#interest.a}}x{{/interest.b}}"),
              "body, line 1, column 17: \"{{/interest.b}}\" does not close \"{{#interest.a}}\" of "
              "line 1");
    EXPECT_EQ(compile_error("x {{/tag.a}}"),
              "body, line 1, column 3: \"{{/tag.a}}\" closes no open block");
    EXPECT_EQ(compile_error("Hallo {{first_name"),
              "body, line 1, column 7: \"{{\" is not closed by \"}}\" on the same line");
    EXPECT_EQ(compile_error("{{#hobby.x}}a{{/hobby.x}}"),
              "body, line 1, column 1: unknown condition \"hobby\"");
    EXPECT_EQ(compile_error("Absatz {{#interest.a}} eins\n\nzwei {{/interest.a}}"),
              "body, line 1, column 8: the block \"{{#interest.a}}\" must end in the same "
              "paragraph, or both its "
              "tags must stand on lines of their own");
    EXPECT_EQ(compile_error("[x](https://a.de/?m={{email}})"),
              "body, line 1: placeholders are not allowed in a link target");
    auto bad_subject = CompiledCampaign::compile({"Hallo {{name}}", "", "x", {}}, town());
    ASSERT_FALSE(bad_subject);
    EXPECT_TRUE(bad_subject.error().message.starts_with("subject, line 1, column 7"))
        << bad_subject.error().message;
    EXPECT_EQ(bad_subject.error().field, "subject");
}

TEST(Template, LinksGoThroughTheRewriterWithTheirTopic) {
    auto c = compile("[Programm](https://x.de/kultur?a=1&b=2 \"topic:kultur\") und "
                     "[Plan](https://x.de/plan \"Titel\") "
                     "und <https://x.de/auto>");
    std::vector<std::pair<std::string, std::string>> seen;
    auto out = c.render(anna(), [&](std::string_view url, std::optional<std::string_view> topic) {
        seen.emplace_back(std::string(url), topic ? std::string(*topic) : "-");
        return "https://t.de/r/" + std::to_string(seen.size()) + "?x=\"<>";
    });
    ASSERT_EQ(seen.size(), 6u) << "three links, each in HTML and text";
    EXPECT_EQ(seen[0],
              (std::pair<std::string, std::string>{"https://x.de/kultur?a=1&b=2", "kultur"}));
    EXPECT_EQ(seen[1], (std::pair<std::string, std::string>{"https://x.de/plan", "-"}));
    EXPECT_NE(out.html.find("<a href=\"https://t.de/r/1?x=&quot;&lt;&gt;\">Programm</a>"),
              std::string::npos)
        << out.html;
    EXPECT_NE(out.html.find("title=\"Titel\""), std::string::npos);
    EXPECT_EQ(out.html.find("topic:"), std::string::npos);
    EXPECT_NE(out.text.find("Programm (https://t.de/r/4?x=\"<>) und Plan (https://t.de/r/5?x=\"<>) "
                            "und https://t.de/r/6"),
              std::string::npos)
        << out.text;
    // Without a rewriter (no consent to tracking) the original targets are used.
    auto direct = c.render(anna());
    EXPECT_NE(direct.html.find("<a href=\"https://x.de/kultur?a=1&amp;b=2\">Programm</a>"),
              std::string::npos);
    EXPECT_NE(direct.text.find("Programm (https://x.de/kultur?a=1&b=2)"), std::string::npos);
    ASSERT_EQ(c.links().size(), 3u);
    EXPECT_EQ(c.links()[0].topic, "kultur");
    // Footer links are not campaign links.
    EXPECT_NE(out.html.find("href=\"https://teilhabe.musterstadt.de/unsubscribe/tok-anna\""),
              std::string::npos);
}

TEST(Template, LayoutCarriesBrandingAndTheLegalFooterInTheRecipientsLanguage) {
    auto c = compile("Text");
    auto de = c.render(anna());
    EXPECT_NE(de.html.find("<html lang=\"de\">"), std::string::npos);
    EXPECT_NE(de.html.find("#0b6e4f"), std::string::npos);
    EXPECT_NE(de.html.find("src=\"https://www.musterstadt.de/logo.png\""), std::string::npos);
    EXPECT_NE(
        de.html.find(
            "Sie erhalten diese E-Mail, weil Sie bei Musterstadt folgende Themen abonniert haben: "
            "„Umwelt“."),
        std::string::npos)
        << de.html;
    EXPECT_NE(de.html.find(">Abmelden</a>"), std::string::npos);
    EXPECT_NE(de.html.find("Marktplatz 1<br>"), std::string::npos);
    EXPECT_NE(de.html.find("Vertreten durch: Bürgermeisterin Erika Mustermann"), std::string::npos);
    EXPECT_NE(de.text.find("Abmelden: https://teilhabe.musterstadt.de/unsubscribe/tok-anna"),
              std::string::npos)
        << de.text;
    EXPECT_NE(
        de.text.find("Einstellungen ändern: https://teilhabe.musterstadt.de/preferences/tok-anna"),
        std::string::npos);
    EXPECT_NE(de.text.find("Impressum: https://www.musterstadt.de/impressum"), std::string::npos);
    auto r = anna();
    r.language = "en";
    auto en = c.render(r);
    EXPECT_NE(en.html.find("<html lang=\"en\">"), std::string::npos);
    EXPECT_NE(en.text.find("Unsubscribe: https://teilhabe.musterstadt.de/unsubscribe/tok-anna"),
              std::string::npos);
    EXPECT_NE(en.html.find("You receive this e-mail because you subscribed"), std::string::npos);
}

TEST(Template, InvalidLayoutSettingsAreRefused) {
    auto s = town();
    s.branding.primary_color = "red;}</style><script>";
    auto c = CompiledCampaign::compile({"x", "", "y", {}}, s);
    ASSERT_FALSE(c);
    EXPECT_EQ(c.error().field, "primary_color");
    s = town();
    s.imprint.organisation.clear();
    EXPECT_FALSE(CompiledCampaign::compile({"x", "", "y", {}}, s));
    s = town();
    s.branding.logo_url = "javascript:alert(1)";
    EXPECT_FALSE(CompiledCampaign::compile({"x", "", "y", {}}, s));
}

TEST(Template, PlainTextIsReadable) {
    auto c = compile("# Titel\n\nEin [Link](https://a.de) im *Text*.\n\n- eins\n- zwei\n\n1. "
                     "erstens\n2. zweitens\n\n> Zitat\n");
    auto out = c.render(anna());
    EXPECT_NE(
        out.text.find(
            "Titel\n=====\n\nEin Link (https://a.de) im Text.\n\n- eins\n- zwei\n\n1. erstens\n"
            "2. zweitens\n\n> Zitat\n"),
        std::string::npos)
        << out.text;
}

// The whole chain for the demo campaign: render, compose, sign; then a strict MIME parser,
// DKIM verification and SpamAssassin's local rules judge the result.
TEST(DemoCampaign, IsCorrectSignedMailThatSpamAssassinScoresBelowTwo) {
    auto content = demo_campaign();
    EXPECT_EQ(content.topic_names, std::vector<std::string>{"Umwelt und Klima"});
    auto c = CompiledCampaign::compile(content, town());
    ASSERT_TRUE(c) << c.error().message;
    auto out = c->render(anna());
    EXPECT_EQ(out.subject, "Frühjahrsputz am 21. März: Machen Sie mit, Anna!");
    EXPECT_NE(out.html.find("Schulzentrum Nord</strong> am nächsten"), std::string::npos)
        << "district Nord block";
    EXPECT_NE(out.html.find("Für Familien"), std::string::npos) << "interest block";
    EXPECT_NE(out.text.find("Zur Anmeldung (https://www.musterstadt.de/fruehjahrsputz)"),
              std::string::npos)
        << out.text;

    Message m;
    m.from = {"Stadt Musterstadt – Umweltamt", "umwelt@musterstadt.de"};
    m.to = {"Anna Groß", "anna@example.org"};
    m.subject = out.subject;
    m.text = out.text;
    m.html = out.html;
    m.extra_headers = {
        {"List-Unsubscribe", "<https://teilhabe.musterstadt.de/unsubscribe/tok-anna>"},
        {"List-Unsubscribe-Post", "List-Unsubscribe=One-Click"}};
    auto now = SystemClock().now();
    auto raw = to_mime(m, now);
    ASSERT_TRUE(raw) << raw.error().message;
    auto key = generate_dkim_key(2048);
    ASSERT_TRUE(key);
    auto signer = DkimSigner::from_pem(key->private_pem, "musterstadt.de", "mail");
    auto signed_msg = signer->sign(*raw, now);
    ASSERT_TRUE(signed_msg);

    auto parsed = check::parse_with_python(*signed_msg);
    EXPECT_TRUE(parsed["defects"].empty()) << parsed["defects"];
    ASSERT_EQ(parsed["parts"].size(), 2u);
    EXPECT_EQ(parsed["parts"][0]["content"], out.text);
    EXPECT_EQ(parsed["parts"][1]["content"], out.html);
    EXPECT_LE(parsed["max_line"].get<int>(), 78);
    EXPECT_EQ(check::dkim_verify(*signed_msg, "mail", "musterstadt.de", key->dns_txt()), "ok");

    std::string report;
    double score = check::spamassassin_score(*signed_msg, &report);
    std::cout << "demo campaign: " << report << "\n";
    EXPECT_LT(score, 2.0) << report;
    // The scorer can fail: an obvious spam text scores high with the same rules.
    Message spam = m;
    spam.subject = "FREE VIAGRA!!! 100% GUARANTEED - CLICK NOW $$$";
    spam.text = "Buy cheap viagra now! 100% free, no prescription, act now, limited time offer!!! "
                "Click here: "
                "http://bit.ly/xyz Make money fast, work from home, $$$ guaranteed!!!\n";
    spam.html = "<html><body><font color=\"#ffffff\">viagra cialis</font><p>BUY NOW!!! CLICK HERE "
                "<a href=\"http://bit.ly/xyz\">http://www.paypal.com</a></p></body></html>";
    std::string spam_report;
    double spam_score = check::spamassassin_score(*to_mime(spam, now), &spam_report);
    std::cout << "obvious spam: " << spam_report << "\n";
    EXPECT_GT(spam_score, score + 2.0);
}
