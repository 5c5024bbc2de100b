#include "app/portal_mail.h"

#include "base/html.h"
#include "delivery/outbox_store.h"

#include <fmt/format.h>

namespace teilhabe::app {

namespace {

struct Text {
    std::string subject;
    std::string intro;  // what happened
    std::string action; // the link's label; empty: the link is only mentioned
    std::string outro;  // what to do if it was not you
};

Text german(const OutgoingMail& out, const portal::PortalMail& m) {
    using K = portal::MailKind;
    auto portal = fmt::format("Bürgerportal der Stadt {}", out.town_name);
    switch (m.kind) {
    case K::VerifyRegistration:
        return {"Bitte bestätigen Sie Ihr Konto im " + portal,
                "jemand – hoffentlich Sie – hat mit dieser Adresse ein Konto im " + portal +
                    " angelegt. Bitte bestätigen Sie es innerhalb von 24 Stunden über diesen Link:",
                "Konto bestätigen",
                "Wenn Sie das nicht waren, tun Sie nichts: Ohne Bestätigung entsteht kein Konto."};
    case K::AlreadyRegistered:
        return {"Ihr Konto im " + portal,
                "jemand – vielleicht Sie – wollte mit dieser Adresse ein Konto im " + portal +
                    " anlegen. Zu dieser Adresse besteht schon ein Konto. Sie können sich hier "
                    "anmelden (und dort auch ein neues Passwort anfordern):",
                "Zur Anmeldung",
                "Wenn Sie das nicht waren, können Sie diese E-Mail ignorieren; an Ihrem Konto hat "
                "sich nichts geändert."};
    case K::PasswordReset:
        return {
            "Neues Passwort für das " + portal,
            "für Ihr Konto im " + portal +
                " wurde ein neues Passwort angefordert. Über diesen Link legen Sie es fest; er "
                "gilt eine Stunde und nur einmal:",
            "Neues Passwort festlegen",
            "Wenn Sie das nicht waren, ignorieren Sie diese E-Mail: Ihr Passwort bleibt, wie es "
            "ist."};
    case K::PasswordChanged:
        return {"Ihr Passwort wurde geändert",
                "das Passwort Ihres Kontos im " + portal + " wurde soeben geändert.", "",
                "Wenn Sie das nicht waren, fordern Sie bitte sofort ein neues Passwort an: " +
                    m.url};
    case K::ConfirmNewEmail:
        return {"Bitte bestätigen Sie Ihre neue E-Mail-Adresse",
                "Sie möchten Ihr Konto im " + portal +
                    " künftig mit dieser Adresse nutzen. Bitte bestätigen Sie das innerhalb von 24 "
                    "Stunden über diesen Link:",
                "Adresse bestätigen",
                "Wenn Sie das nicht waren, tun Sie nichts: Ohne Bestätigung ändert sich nichts."};
    case K::EmailChangeRequested:
        return {"Änderung Ihrer E-Mail-Adresse angefordert",
                "für Ihr Konto im " + portal + " wurde die neue Adresse " + m.new_email +
                    " angegeben. Sie gilt erst, wenn der Link an die neue Adresse geöffnet wird.",
                "", "Wenn Sie das nicht waren, ändern Sie bitte Ihr Passwort: " + m.url};
    case K::EmailTaken:
        return {"Ihr Konto im " + portal,
                "jemand wollte ein anderes Konto im " + portal +
                    " auf diese Adresse umstellen. Zu dieser Adresse besteht schon ein Konto; es "
                    "wurde nichts geändert. Ihr Konto erreichen Sie hier:",
                "Zur Anmeldung", "Sie müssen nichts tun."};
    }
    return {};
}

Text english(const OutgoingMail& out, const portal::PortalMail& m) {
    using K = portal::MailKind;
    auto portal = fmt::format("citizen portal of {}", out.town_name);
    switch (m.kind) {
    case K::VerifyRegistration:
        return {"Please confirm your account in the " + portal,
                "somebody, hopefully you, created an account in the " + portal +
                    " with this address. Please confirm it within 24 hours with this link:",
                "Confirm account",
                "If it was not you, do nothing: without a confirmation no account is made."};
    case K::AlreadyRegistered:
        return {"Your account in the " + portal,
                "somebody, perhaps you, tried to create an account in the " + portal +
                    " with this address. This address has an account already. You can sign in "
                    "here (and ask for a new password there):",
                "Sign in", "If it was not you, ignore this e-mail; nothing has changed."};
    case K::PasswordReset:
        return {"New password for the " + portal,
                "a new password was asked for your account in the " + portal +
                    ". Set it with this link; it works once, for one hour:",
                "Set a new password",
                "If it was not you, ignore this e-mail: your password stays as it is."};
    case K::PasswordChanged:
        return {"Your password has been changed",
                "the password of your account in the " + portal + " has just been changed.", "",
                "If it was not you, please ask for a new password at once: " + m.url};
    case K::ConfirmNewEmail:
        return {"Please confirm your new e-mail address",
                "you want to use your account in the " + portal +
                    " with this address. Please confirm within 24 hours with this link:",
                "Confirm address",
                "If it was not you, do nothing: without a confirmation nothing changes."};
    case K::EmailChangeRequested:
        return {"Change of your e-mail address requested",
                "the new address " + m.new_email + " was given for your account in the " + portal +
                    ". It takes effect only when the link sent to it is opened.",
                "", "If it was not you, please change your password: " + m.url};
    case K::EmailTaken:
        return {"Your account in the " + portal,
                "somebody tried to move another account of the " + portal +
                    " to this address. This address has an account already; nothing was changed. "
                    "Your account is here:",
                "Sign in", "You need not do anything."};
    }
    return {};
}

} // namespace

Result<std::string> portal_message(const OutgoingMail& out, const portal::PortalMail& m,
                                   const Clock& clock) {
    bool en = m.language == "en";
    Text t = en ? english(out, m) : german(out, m);
    std::string hello = en ? "Hello," : "Guten Tag,";
    std::string sign = en ? "Town of " + out.town_name : "Stadt " + out.town_name;
    mail::Message msg;
    msg.from = out.from;
    msg.to = {"", m.to_email};
    msg.subject = t.subject;
    std::string link_text = t.action.empty() ? "" : m.url + "\n\n";
    msg.text = fmt::format("{}\n\n{}\n\n{}{}\n\n{}\n", hello, t.intro, link_text, t.outro, sign);
    std::string link_html =
        t.action.empty() ? ""
                         : fmt::format("<p><a href=\"{}\">{}</a></p><p>{}</p>", html_escape(m.url),
                                       html_escape(t.action), html_escape(m.url));
    msg.html =
        fmt::format("<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}"
                    "</title></head><body><p>{}</p><p>{}</p>{}<p>{}</p><p>{}</p></body></html>",
                    en ? "en" : "de", html_escape(msg.subject), hello, html_escape(t.intro),
                    link_html, html_escape(t.outro), html_escape(sign));
    auto now = clock.now();
    auto mime = TRY(mail::to_mime(msg, now));
    if (!out.dkim)
        return mime;
    return out.dkim->sign(mime, now);
}

portal::PortalMailer portal_mailer(OutgoingMail out, const Clock& clock) {
    return [out = std::move(out), &clock](db::Connection& c,
                                          const portal::PortalMail& m) -> Result<void> {
        auto mime = TRY(portal_message(out, m, clock));
        TRY(delivery::outbox::enqueue_transactional(c, m.to_email, mime, m.citizen_id, clock));
        return {};
    };
}

} // namespace teilhabe::app
