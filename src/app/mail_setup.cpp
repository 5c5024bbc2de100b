#include "app/mail_setup.h"

#include "base/html.h"
#include "delivery/outbox_store.h"
#include "delivery/verp.h"

#include <fmt/format.h>

namespace teilhabe::app {

namespace {

std::string trim(std::string s) {
    auto b = s.find_first_not_of(" \t\"");
    auto e = s.find_last_not_of(" \t\"");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

std::string joined(const std::vector<std::string>& names, bool english) {
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i > 0)
            out += i + 1 == names.size() ? (english ? " and " : " und ") : ", ";
        out += names[i];
    }
    return out;
}

} // namespace

mail::Address sender_of(const Config& config) {
    auto address = delivery::bare_address(config.mail_from);
    std::string name;
    if (auto lt = config.mail_from.find('<'); lt != std::string::npos)
        name = trim(config.mail_from.substr(0, lt));
    return {name, address};
}

Result<std::shared_ptr<const mail::DkimSigner>> dkim_of(const Config& config) {
    if (config.dkim_key_file.empty())
        return std::shared_ptr<const mail::DkimSigner>{};
    if (config.dkim_domain.empty() || config.dkim_selector.empty())
        return fail(Error::invalid("dkim_key_file needs dkim_domain and dkim_selector as well", "dkim_domain"));
    auto signer = mail::DkimSigner::from_file(config.dkim_key_file, config.dkim_domain, config.dkim_selector);
    if (!signer)
        return fail(Error::invalid(fmt::format("dkim_key_file: {}", signer.error().message), "dkim_key_file"));
    return std::make_shared<const mail::DkimSigner>(std::move(*signer));
}

mail::LayoutSettings layout_of(const Config& config) {
    mail::LayoutSettings s;
    s.branding.town_name = config.town_name;
    s.branding.logo_url = config.town_logo_url;
    s.branding.primary_color = config.town_color;
    s.imprint.organisation = "Stadt " + config.town_name;
    s.imprint.street = config.imprint_street;
    s.imprint.postcode_city = config.imprint_city;
    s.imprint.represented_by = config.imprint_represented_by;
    s.imprint.phone = config.imprint_phone;
    s.imprint.email = config.imprint_email.empty() ? sender_of(config).email : config.imprint_email;
    s.imprint.imprint_url = config.imprint_url;
    s.imprint.privacy_url = config.privacy_url;
    return s;
}

Result<std::string> confirmation_message(const OutgoingMail& out, const consent::ConfirmationMail& m,
                                         const Clock& clock) {
    bool en = m.language == "en";
    auto topics = joined(m.topic_names, en);
    std::string what =
        en ? (m.topic_names.empty() ? std::string("that we may record which links you click in our e-mails")
                                    : "the newsletter" + std::string(m.topic_names.size() > 1 ? "s " : " ") + topics +
                                          (m.tracking ? ", and that we may record which links you click" : ""))
           : (m.topic_names.empty() ? std::string("dass wir auswerten dürfen, welche Links Sie in unseren E-Mails anklicken")
                                    : "den Newsletter " + topics +
                                          (m.tracking ? " sowie die Auswertung, welche Links Sie anklicken" : ""));
    mail::Message msg;
    msg.from = out.from;
    msg.to = {"", m.to_email};
    msg.subject = en ? fmt::format("Please confirm: {} newsletter", out.town_name)
                     : fmt::format("Bitte bestätigen: Newsletter der Stadt {}", out.town_name);
    msg.text = en ? fmt::format("Hello,\n\nsomebody, hopefully you, asked for {} of {} for this address.\n"
                                "Please confirm with this link:\n\n{}\n\nIf it was not you, do nothing: "
                                "without a confirmation you get no newsletter and we delete the request.\n\n"
                                "Town of {}\n",
                                what, out.town_name, m.confirm_url, out.town_name)
                  : fmt::format("Guten Tag,\n\njemand – hoffentlich Sie – hat für diese Adresse {} der Stadt {} "
                                "bestellt.\nBitte bestätigen Sie das über diesen Link:\n\n{}\n\nWenn Sie das nicht "
                                "waren, tun Sie nichts: Ohne Bestätigung erhalten Sie keinen Newsletter, und die "
                                "Anfrage wird gelöscht.\n\nStadt {}\n",
                                what, out.town_name, m.confirm_url, out.town_name);
    msg.html = fmt::format(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title></head><body>"
        "<p>{}</p><p>{}</p><p><a href=\"{}\">{}</a></p><p>{}</p><p>{}</p></body></html>",
        en ? "en" : "de", html_escape(msg.subject), en ? "Hello," : "Guten Tag,",
        html_escape(en ? fmt::format("somebody, hopefully you, asked for {} of {} for this address.", what,
                                     out.town_name)
                       : fmt::format("jemand – hoffentlich Sie – hat für diese Adresse {} der Stadt {} bestellt.",
                                     what, out.town_name)),
        html_escape(m.confirm_url), en ? "Confirm" : "Jetzt bestätigen",
        html_escape(en ? "If it was not you, do nothing: without a confirmation you get no newsletter."
                       : "Wenn Sie das nicht waren, tun Sie nichts: Ohne Bestätigung erhalten Sie keinen Newsletter."),
        html_escape((en ? "Town of " : "Stadt ") + out.town_name));
    auto now = clock.now();
    auto mime = TRY(mail::to_mime(msg, now));
    if (!out.dkim)
        return mime;
    return out.dkim->sign(mime, now);
}

consent::ConfirmationMailer confirmation_mailer(OutgoingMail out, const Clock& clock) {
    return [out = std::move(out), &clock](db::Connection& c, const consent::ConfirmationMail& m) -> Result<void> {
        auto mime = TRY(confirmation_message(out, m, clock));
        TRY(delivery::outbox::enqueue_transactional(c, m.to_email, mime, m.citizen_id, clock));
        return {};
    };
}

} // namespace teilhabe::app
