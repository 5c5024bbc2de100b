#pragma once
// Consent to newsletters and to click tracking, with its proof (GDPR Art. 7(1): the controller
// must be able to demonstrate consent): when it was asked for and confirmed, from which address
// and browser, on which form, under which exact text. Domain types only: no HTTP, no SQL.

#include "base/error.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace teilhabe::consent {

// What a consent is about: one topic, or click tracking in the town's e-mails.
inline constexpr std::string_view kTrackingSubject = "tracking";
std::string topic_subject(std::int64_t topic_id); // "topic:7"

enum class Status { Pending, Confirmed, Withdrawn };
const char* to_string(Status s);
std::optional<Status> parse_status(std::string_view s);

// How a step was taken, recorded with it.
// Portal: signed in to the citizen portal with a verified address (portal/preferences.h).
enum class Via { Form, EmailLink, OneClick, UnsubscribePage, PreferenceCentre, Staff, Portal };
const char* to_string(Via v);

enum class TextKind { Newsletter, Tracking };
const char* to_string(TextKind k);
std::optional<TextKind> parse_text_kind(std::string_view s);

// The exact text shown beside a checkbox. Editing makes a new version; consents keep theirs.
struct ConsentText {
    std::int64_t id{0};
    TextKind kind{TextKind::Newsletter};
    int version{0};
    std::string text_de;
    std::string text_en;
    std::string created_by;
    std::int64_t created_at{0};

    const std::string& text(std::string_view language) const {
        return language == "en" && !text_en.empty() ? text_en : text_de;
    }
};
// Both languages non-empty, at most 5000 characters each.
Result<void> validate_text(const std::string& de, const std::string& en);
nlohmann::json to_json(const ConsentText& t);

// The circumstances of one step: when, from which client address and browser, and for a
// request the address of the form (Referer, or the page the snippet sits on).
struct Proof {
    std::int64_t at{0};
    std::string ip;
    std::string user_agent;
    std::string form_url;
};

struct Consent {
    std::int64_t id{0};
    std::int64_t citizen_id{0};
    std::string subject;
    std::optional<std::int64_t> topic_id;
    Status status{Status::Pending};
    std::int64_t consent_text_id{0};
    std::string via; // how it was requested
    Proof requested;
    std::optional<Proof> confirmed;
    std::optional<Proof> withdrawn;
    std::string withdraw_via;
    std::int64_t updated_at{0};
};
nlohmann::json to_json(const Consent& c);

// One step of the history (consent_events), never changed.
struct ConsentEvent {
    std::int64_t id{0};
    std::string subject;
    std::optional<std::int64_t> topic_id;
    std::string action; // requested, confirmed, withdrawn
    std::optional<std::int64_t> consent_text_id;
    std::string via;
    Proof proof;
};
nlohmann::json to_json(const ConsentEvent& e);

// Proof strings are cut to what is useful so that a client cannot fill the database.
std::string clip(std::string_view s, std::size_t max_bytes = 500);

} // namespace teilhabe::consent
