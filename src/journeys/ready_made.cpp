#include "journeys/ready_made.h"

namespace teilhabe::journeys {

namespace {

// Next morning at 9:00 Europe/Berlin, not on a Sunday: from any moment at most 47 hours 59
// minutes away (Saturday 9:01 -> Monday 9:00), so the welcome always arrives within three days
// of the confirmation; 9:00 on a weekday or Saturday is outside the default quiet hours.
nlohmann::json welcome() {
    return {
        {"trigger", {{"type", "activity"}, {"activity", "newsletter.confirmed"}}},
        {"reentry", "never"},
        {"steps",
         {{{"id", "morning"}, {"type", "wait"}, {"until_time", "09:00"}, {"skip_sundays", true}},
          {{"id", "welcome-mail"},
           {"type", "send_email"},
           {"subject", "{{#language.en}}Welcome to our newsletter{{/language.en}}"
                       "{{^language.en}}Willkommen beim Newsletter{{/language.en}}"},
           {"body",
            "{{^language.en}}\nHallo {{first_name|und herzlich willkommen}},\n\n"
            "schön, dass Sie sich für unseren Newsletter angemeldet haben. Ab jetzt erfahren Sie "
            "als Erste, was in Ihrer Stadt los ist: Veranstaltungen, Beteiligung, Neuigkeiten "
            "aus dem Rathaus.\n\n"
            "Welche Themen Sie bekommen, stellen Sie jederzeit über den Link unten ein.\n"
            "{{/language.en}}\n"
            "{{#language.en}}\nHello {{first_name|and welcome}},\n\n"
            "thank you for subscribing to our newsletter. From now on you will be among the first "
            "to hear what is going on in town: events, ways to take part, news from the town hall.\n\n"
            "You can choose your topics at any time with the link below.\n"
            "{{/language.en}}"}}}},
    };
}

// Two days before the event's start (the trigger's props.starts_at), at the earliest moment
// outside the quiet hours. Registering less than two days ahead sends it at once. The events capability (issue 8) will record event.registered with
// props {"starts_at": RFC 3339, "title": "..."}; until then this journey simply never starts.
nlohmann::json event_reminder() {
    return {
        {"trigger", {{"type", "activity"}, {"activity", "event.registered"}}},
        {"reentry", "always"},
        {"steps",
         {{{"id", "two-days-before"}, {"type", "wait"}, {"until_trigger", "starts_at"}, {"offset", "-2d"}},
          {{"id", "reminder-mail"},
           {"type", "send_email"},
           {"subject", "{{^language.en}}Erinnerung: {{field.trigger_title|Ihre Veranstaltung}}{{/language.en}}"
                       "{{#language.en}}Reminder: {{field.trigger_title|your event}}{{/language.en}}"},
           {"body",
            "{{^language.en}}\nHallo {{first_name|zusammen}},\n\n"
            "wir erinnern Sie an **{{field.trigger_title|Ihre Veranstaltung}}** am "
            "{{field.trigger_starts_at_local}}. Wir freuen uns auf Sie!\n\n"
            "Falls Sie doch nicht kommen können, sagen Sie bitte im Bürgerportal ab, damit jemand "
            "von der Warteliste nachrücken kann.\n{{/language.en}}\n"
            "{{#language.en}}\nHello {{first_name|there}},\n\n"
            "this is a reminder of **{{field.trigger_title|your event}}** on "
            "{{field.trigger_starts_at_local}}. We look forward to seeing you!\n\n"
            "If you cannot come after all, please cancel in the citizen portal so that someone "
            "from the waiting list can take your place.\n{{/language.en}}"}}}},
    };
}

} // namespace

const std::vector<ReadyMade>& ready_made() {
    static const std::vector<ReadyMade> all = {
        {"welcome", "Willkommens-E-Mail nach der Newsletter-Anmeldung",
         "Am nächsten Morgen um 9 Uhr (nicht sonntags), immer innerhalb von drei Tagen nach der Bestätigung.",
         welcome()},
        {"event_reminder", "Erinnerung zwei Tage vor einer Veranstaltung",
         "Zwei Tage vor Beginn einer Veranstaltung, für die sich jemand angemeldet hat (Auslöser "
         "event.registered mit props.starts_at).",
         event_reminder()},
    };
    return all;
}

} // namespace teilhabe::journeys
