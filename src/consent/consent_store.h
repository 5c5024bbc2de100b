#pragma once
// SQL of consents: the versioned consent texts, each person's consents with their proof, the
// history of every step, the double opt-in tokens (stored hashed) and the sign-up rate limit.
// Every function runs inside the caller's transaction.
//
// The campaign audience ("confirmed subscribers of topics X", minus restricted people; the
// delivery suppression list is subtracted by its owner):
//   SELECT DISTINCT s.citizen_id FROM consents s JOIN citizens c ON c.id = s.citizen_id
//   WHERE s.topic_id IN (?, ...) AND s.status = 'confirmed' AND c.restricted_at IS NULL
// (index consents_topic (topic_id, status, citizen_id) serves it).

#include "base/clock.h"
#include "consent/consent.h"
#include "db/connection.h"

#include <optional>
#include <vector>

namespace teilhabe::consent::store {

// --- consent texts
Result<ConsentText> current_text(db::Connection& c, TextKind kind);
Result<std::optional<ConsentText>> find_text(db::Connection& c, std::int64_t id);
// Newest first.
Result<std::vector<ConsentText>> text_versions(db::Connection& c, TextKind kind);
// A new version (the old ones stay: consents refer to them). Audited.
Result<ConsentText> add_text_version(db::Connection& c, TextKind kind, const std::string& de,
                                     const std::string& en, const std::string& actor,
                                     const std::string& ip, const Clock& clock);

// --- consents of one person
Result<std::vector<Consent>> consents_of(db::Connection& c, std::int64_t citizen_id);
Result<std::optional<Consent>> find_consent(db::Connection& c, std::int64_t citizen_id,
                                            std::string_view subject);
Result<std::vector<ConsentEvent>> events_of(db::Connection& c, std::int64_t citizen_id);

// A request for consent: pending with this proof and text, unless it is confirmed already
// (then nothing changes and none is returned). A withdrawn or pending one starts again.
Result<std::optional<std::int64_t>> request(db::Connection& c, std::int64_t citizen_id,
                                            std::string_view subject,
                                            std::optional<std::int64_t> topic_id,
                                            std::int64_t text_id, Via via, const Proof& proof);
// Pending -> confirmed with the proof of the confirmation; returns those that changed.
Result<std::vector<Consent>> confirm(db::Connection& c, const std::vector<std::int64_t>& ids,
                                     Via via, const Proof& proof);
// Given and confirmed at once (preference centre reached through a mailed link, staff).
Result<bool> grant(db::Connection& c, std::int64_t citizen_id, std::string_view subject,
                   std::optional<std::int64_t> topic_id, std::int64_t text_id, Via via,
                   const Proof& proof);
// Pending or confirmed -> withdrawn; false when there was nothing to withdraw.
Result<bool> withdraw(db::Connection& c, std::int64_t citizen_id, std::string_view subject,
                      Via via, const Proof& proof);

// --- what the campaign sender asks
// Click tracking allowed: a confirmed tracking consent of a person whose processing is not
// restricted (GDPR Art. 18).
Result<bool> tracking_allowed(db::Connection& c, std::int64_t citizen_id);
// An unsubscribe through a campaign's link, for the campaign's report (campaigns/report.h);
// nothing when the campaign is gone.
Result<void> note_campaign_unsubscribe(db::Connection& c, std::int64_t campaign_id,
                                       std::int64_t citizen_id, const Clock& clock);
// The ids of the topics the person confirmed (active or archived).
Result<std::vector<std::int64_t>> confirmed_topics(db::Connection& c, std::int64_t citizen_id);

// --- double opt-in tokens
// A random token (returned once, stored as SHA-256) for these consents.
Result<std::string> create_token(db::Connection& c, std::int64_t citizen_id,
                                 const std::vector<std::int64_t>& consent_ids,
                                 std::int64_t expires_at, const Clock& clock);
struct Token {
    std::int64_t id{0};
    std::int64_t citizen_id{0};
    std::vector<std::int64_t> consent_ids;
    std::int64_t expires_at{0};
    std::optional<std::int64_t> used_at;
};
// Locked for the transaction on PostgreSQL (two clicks at once: one confirms).
Result<std::optional<Token>> find_token(db::Connection& c, std::string_view token);
Result<void> mark_token_used(db::Connection& c, std::int64_t token_id, std::int64_t at);

// --- rate limit of the sign-up form
Result<std::int64_t> attempts_since(db::Connection& c, std::string_view scope, std::int64_t since);
// Records an attempt and drops those older than `keep_after` (of every scope).
Result<void> record_attempt(db::Connection& c, std::string_view scope, std::int64_t at,
                            std::int64_t keep_after);

// GDPR Art. 18: true while processing of the person is restricted.
Result<bool> is_restricted(db::Connection& c, std::int64_t citizen_id);

} // namespace teilhabe::consent::store
