#include "app/event_mail.h"

#include "base/html.h"
#include "delivery/outbox_store.h"
#include "journeys/calendar.h"

#include <fmt/format.h>

namespace teilhabe::app {

namespace {

struct Texts {
    std::string subject, intro, outro;
};

// What the mail says, by its kind, in German or English.
Texts texts_of(const events::PromotionMail& m, bool en) {
    auto when = journeys::format_local(from_unix_ms(m.starts_at_ms), en);
    auto where = m.place.empty() ? std::string() : " (" + m.place + ")";
    if (m.kind == events::PromotionMail::Kind::EventCancelled)
        return en ? Texts{fmt::format("Cancelled: {}", m.event_title),
                          fmt::format("we are sorry: \"{}\" on {}{} has been cancelled. Your "
                                      "registration (or your place on the waiting list) has "
                                      "lapsed; there is nothing you need to do. Details:",
                                      m.event_title, when, where),
                          "Thank you for your interest. You will find further events in the "
                          "citizen portal."}
                  : Texts{fmt::format("Abgesagt: {}", m.event_title),
                          fmt::format("leider müssen wir „{}“ am {}{} absagen. Ihre Anmeldung "
                                      "(oder Ihr Platz auf der Warteliste) ist damit hinfällig; "
                                      "Sie müssen nichts weiter tun. Einzelheiten:",
                                      m.event_title, when, where),
                          "Vielen Dank für Ihr Interesse. Weitere Veranstaltungen finden Sie im "
                          "Bürgerportal."};
    return en ? Texts{fmt::format("You have a place: {}", m.event_title),
                      fmt::format("a place has become free at \"{}\" on {}{}, and you have moved "
                                  "up from the waiting list: you are now registered. Your ticket "
                                  "is here:",
                                  m.event_title, when, where),
                      "If you cannot come, please cancel in the citizen portal so that the next "
                      "person can take the place."}
              : Texts{fmt::format("Sie haben einen Platz: {}", m.event_title),
                      fmt::format("bei „{}“ am {}{} ist ein Platz frei geworden, und Sie sind von "
                                  "der Warteliste nachgerückt: Sie sind jetzt angemeldet. Ihr "
                                  "Ticket finden Sie hier:",
                                  m.event_title, when, where),
                      "Falls Sie nicht kommen können, sagen Sie bitte im Bürgerportal ab, damit "
                      "die nächste Person nachrücken kann."};
}

} // namespace

Result<std::string> promotion_message(const OutgoingMail& out, const std::string& base_url,
                                      const events::PromotionMail& m, const Clock& clock) {
    bool en = m.language == "en";
    auto url = fmt::format("{}/portal/events/tickets/{}", base_url, m.registration_id);
    std::string hello = en ? fmt::format("Hello{}{},", m.first_name.empty() ? "" : " ", m.first_name)
                           : fmt::format("Guten Tag{}{},", m.first_name.empty() ? "" : " ", m.first_name);
    auto [subject, intro, outro] = texts_of(m, en);
    std::string sign = en ? "Town of " + out.town_name : "Stadt " + out.town_name;
    mail::Message msg;
    msg.from = out.from;
    msg.to = {"", m.to_email};
    msg.subject = subject;
    msg.text = fmt::format("{}\n\n{}\n\n{}\n\n{}\n\n{}\n", hello, intro, url, outro, sign);
    msg.html = fmt::format(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title></head>"
        "<body><p>{}</p><p>{}</p><p><a href=\"{}\">{}</a></p><p>{}</p><p>{}</p></body></html>",
        en ? "en" : "de", html_escape(subject), html_escape(hello), html_escape(intro),
        html_escape(url), html_escape(url), html_escape(outro), html_escape(sign));
    auto now = clock.now();
    auto mime = TRY(mail::to_mime(msg, now));
    if (!out.dkim)
        return mime;
    return out.dkim->sign(mime, now);
}

events::PromotionMailer event_mailer(OutgoingMail out, std::string base_url, const Clock& clock) {
    return [out = std::move(out), base_url = std::move(base_url),
            &clock](db::Connection& c, const events::PromotionMail& m) -> Result<void> {
        auto mime = TRY(promotion_message(out, base_url, m, clock));
        TRY(delivery::outbox::enqueue_transactional(c, m.to_email, mime, m.citizen_id, clock));
        return {};
    };
}

} // namespace teilhabe::app
