#include "consent/consent.h"

#include "base/clock.h"

#include <fmt/format.h>

namespace teilhabe::consent {

std::string topic_subject(std::int64_t topic_id) { return fmt::format("topic:{}", topic_id); }

const char* to_string(Status s) {
    switch (s) {
    case Status::Pending: return "pending";
    case Status::Confirmed: return "confirmed";
    case Status::Withdrawn: return "withdrawn";
    }
    return "pending";
}

std::optional<Status> parse_status(std::string_view s) {
    for (Status v : {Status::Pending, Status::Confirmed, Status::Withdrawn})
        if (s == to_string(v))
            return v;
    return std::nullopt;
}

const char* to_string(Via v) {
    switch (v) {
    case Via::Form: return "form";
    case Via::EmailLink: return "email_link";
    case Via::OneClick: return "one_click";
    case Via::UnsubscribePage: return "unsubscribe_page";
    case Via::PreferenceCentre: return "preference_centre";
    case Via::Staff: return "staff";
    case Via::Portal: return "portal";
    }
    return "form";
}

const char* to_string(TextKind k) { return k == TextKind::Tracking ? "tracking" : "newsletter"; }

std::optional<TextKind> parse_text_kind(std::string_view s) {
    if (s == "newsletter")
        return TextKind::Newsletter;
    if (s == "tracking")
        return TextKind::Tracking;
    return std::nullopt;
}

Result<void> validate_text(const std::string& de, const std::string& en) {
    if (de.find_first_not_of(" \t\r\n") == std::string::npos)
        return fail(Error::invalid("The German text is missing.", "text_de"));
    if (en.find_first_not_of(" \t\r\n") == std::string::npos)
        return fail(Error::invalid("The English text is missing.", "text_en"));
    if (de.size() > 5000)
        return fail(Error::invalid("The German text must have at most 5000 characters.", "text_de"));
    if (en.size() > 5000)
        return fail(Error::invalid("The English text must have at most 5000 characters.", "text_en"));
    return {};
}

namespace {

std::string iso(std::int64_t ms) { return format_iso8601(from_unix_ms(ms)); }

nlohmann::json proof_json(const std::optional<Proof>& p) {
    if (!p)
        return nullptr;
    return {{"at", iso(p->at)}, {"ip", p->ip}, {"user_agent", p->user_agent},
            {"form_url", p->form_url}};
}

} // namespace

nlohmann::json to_json(const ConsentText& t) {
    return {{"id", t.id},           {"kind", to_string(t.kind)}, {"version", t.version},
            {"text_de", t.text_de}, {"text_en", t.text_en},      {"created_by", t.created_by},
            {"created_at", iso(t.created_at)}};
}

nlohmann::json to_json(const Consent& c) {
    return {{"id", c.id},
            {"citizen_id", c.citizen_id},
            {"subject", c.subject},
            {"topic_id", c.topic_id ? nlohmann::json(*c.topic_id) : nullptr},
            {"status", to_string(c.status)},
            {"consent_text_id", c.consent_text_id},
            {"via", c.via},
            {"requested", proof_json(c.requested)},
            {"confirmed", proof_json(c.confirmed)},
            {"withdrawn", proof_json(c.withdrawn)},
            {"withdraw_via", c.withdraw_via}};
}

nlohmann::json to_json(const ConsentEvent& e) {
    return {{"id", e.id},
            {"subject", e.subject},
            {"topic_id", e.topic_id ? nlohmann::json(*e.topic_id) : nullptr},
            {"action", e.action},
            {"consent_text_id", e.consent_text_id ? nlohmann::json(*e.consent_text_id) : nullptr},
            {"via", e.via},
            {"proof", proof_json(e.proof)}};
}

std::string clip(std::string_view s, std::size_t max_bytes) {
    if (s.size() <= max_bytes)
        return std::string(s);
    // Do not cut inside a UTF-8 sequence.
    std::size_t n = max_bytes;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80)
        --n;
    return std::string(s.substr(0, n));
}

} // namespace teilhabe::consent
