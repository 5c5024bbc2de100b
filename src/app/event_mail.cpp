#include "app/event_mail.h"

#include "base/html.h"
#include "delivery/outbox_store.h"
#include "journeys/calendar.h"

#include <fmt/format.h>

namespace teilhabe::app {

Result<std::string> promotion_message(const OutgoingMail& out, const std::string& base_url,
                                      const events::PromotionMail& m, const Clock& clock) {
    bool en = m.language == "en";
    auto when = journeys::format_local(from_unix_ms(m.starts_at_ms), en);
    auto url = fmt::format("{}/portal/events/tickets/{}", base_url, m.registration_id);
    std::string hello = en ? fmt::format("Hello{}{},", m.first_name.empty() ? "" : " ", m.first_name)
                           : fmt::format("Guten Tag{}{},", m.first_name.empty() ? "" : " ", m.first_name);
    std::string subject = en ? fmt::format("You have a place: {}", m.event_title)
                             : fmt::format("Sie haben einen Platz: {}", m.event_title);
    std::string intro =
        en ? fmt::format("a place has become free at \"{}\" on {}{}, and you have moved up from the "
                         "waiting list: you are now registered. Your ticket is here:",
                         m.event_title, when, m.place.empty() ? "" : " (" + m.place + ")")
           : fmt::format("bei „{}“ am {}{} ist ein Platz frei geworden, und Sie sind von der "
                         "Warteliste nachgerückt: Sie sind jetzt angemeldet. Ihr Ticket finden Sie "
                         "hier:",
                         m.event_title, when, m.place.empty() ? "" : " (" + m.place + ")");
    std::string outro = en ? "If you cannot come, please cancel in the citizen portal so that the "
                             "next person can take the place."
                           : "Falls Sie nicht kommen können, sagen Sie bitte im Bürgerportal ab, "
                             "damit die nächste Person nachrücken kann.";
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
