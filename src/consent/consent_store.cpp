#include "consent/consent_store.h"

#include "db/dialect.h"
#include "security/crypto.h"
#include "staff/staff_store.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace teilhabe::consent::store {

namespace {

constexpr const char* kTextColumns =
    "id, kind, version, text_de, text_en, created_by, created_at";
constexpr const char* kConsentColumns =
    "id, citizen_id, subject, topic_id, status, consent_text_id, via, requested_at, request_ip, "
    "request_user_agent, request_form, confirmed_at, confirm_ip, confirm_user_agent, "
    "withdrawn_at, withdraw_ip, withdraw_user_agent, withdraw_via, updated_at";

ConsentText read_text(const db::Row& r) {
    return {r.get_int(0),
            parse_text_kind(r.get_text(1)).value_or(TextKind::Newsletter),
            static_cast<int>(r.get_int(2)),
            r.get_text(3),
            r.get_text(4),
            r.get_text(5),
            r.get_int(6)};
}

Consent read_consent(const db::Row& r) {
    Consent c;
    c.id = r.get_int(0);
    c.citizen_id = r.get_int(1);
    c.subject = r.get_text(2);
    c.topic_id = r.get_opt_int(3);
    c.status = parse_status(r.get_text(4)).value_or(Status::Pending);
    c.consent_text_id = r.get_int(5);
    c.via = r.get_text(6);
    c.requested = {r.get_int(7), r.get_text(8), r.get_text(9), r.get_text(10)};
    if (auto at = r.get_opt_int(11))
        c.confirmed = Proof{*at, r.get_text(12), r.get_text(13), {}};
    if (auto at = r.get_opt_int(14))
        c.withdrawn = Proof{*at, r.get_text(15), r.get_text(16), {}};
    c.withdraw_via = r.get_text(17);
    c.updated_at = r.get_int(18);
    return c;
}

std::optional<std::int64_t> topic_of(std::string_view subject) {
    if (!subject.starts_with("topic:"))
        return std::nullopt;
    return std::stoll(std::string(subject.substr(6)));
}

Result<void> event(db::Connection& c, std::int64_t citizen_id, std::string_view subject,
                   const char* action, std::optional<std::int64_t> text_id, Via via,
                   const Proof& p) {
    TRY(c.query("INSERT INTO consent_events (citizen_id, subject, topic_id, action, "
                "consent_text_id, via, at, ip, user_agent, form_url) VALUES "
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                {citizen_id, std::string(subject), db::opt(topic_of(subject)), action,
                 db::opt(text_id), to_string(via), p.at, clip(p.ip, 100), clip(p.user_agent),
                 clip(p.form_url)}));
    return {};
}

} // namespace

Result<ConsentText> current_text(db::Connection& c, TextKind kind) {
    auto rows = TRY(c.query(fmt::format("SELECT {} FROM consent_texts WHERE kind = ? ORDER BY "
                                        "version DESC LIMIT 1",
                                        kTextColumns),
                            {to_string(kind)}));
    if (rows.empty())
        return fail(Error::internal("no consent text (migration 0009 seeds one)"));
    return read_text(rows.first());
}

Result<std::optional<ConsentText>> find_text(db::Connection& c, std::int64_t id) {
    auto rows = TRY(
        c.query(fmt::format("SELECT {} FROM consent_texts WHERE id = ?", kTextColumns), {id}));
    if (rows.empty())
        return std::optional<ConsentText>{};
    return std::optional<ConsentText>(read_text(rows.first()));
}

Result<std::vector<ConsentText>> text_versions(db::Connection& c, TextKind kind) {
    auto rows = TRY(c.query(
        fmt::format("SELECT {} FROM consent_texts WHERE kind = ? ORDER BY version DESC",
                    kTextColumns),
        {to_string(kind)}));
    std::vector<ConsentText> out;
    for (const auto& r : rows.rows)
        out.push_back(read_text(r));
    return out;
}

Result<ConsentText> add_text_version(db::Connection& c, TextKind kind, const std::string& de,
                                     const std::string& en, const std::string& actor,
                                     const std::string& ip, const Clock& clock) {
    TRY(validate_text(de, en));
    auto current = TRY(current_text(c, kind));
    auto row = TRY(c.query_one(
        "INSERT INTO consent_texts (kind, version, text_de, text_en, created_by, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        {to_string(kind), std::int64_t{current.version + 1}, de, en, actor, clock.now_ms()}));
    TRY(staff::store::audit(c,
                            {.actor = actor,
                             .action = "consent_text.created",
                             .subject = fmt::format("consent_text:{}", row.get_int(0)),
                             .detail = fmt::format("{} v{}", to_string(kind), current.version + 1),
                             .ip = ip},
                            clock));
    return (*TRY(find_text(c, row.get_int(0))));
}

Result<std::vector<Consent>> consents_of(db::Connection& c, std::int64_t citizen_id) {
    auto rows = TRY(c.query(
        fmt::format("SELECT {} FROM consents WHERE citizen_id = ? ORDER BY subject", kConsentColumns),
        {citizen_id}));
    std::vector<Consent> out;
    for (const auto& r : rows.rows)
        out.push_back(read_consent(r));
    return out;
}

Result<std::optional<Consent>> find_consent(db::Connection& c, std::int64_t citizen_id,
                                            std::string_view subject) {
    auto rows = TRY(c.query(fmt::format("SELECT {} FROM consents WHERE citizen_id = ? AND "
                                        "subject = ?{}",
                                        kConsentColumns, db::dialect::for_update(c.backend())),
                            {citizen_id, std::string(subject)}));
    if (rows.empty())
        return std::optional<Consent>{};
    return std::optional<Consent>(read_consent(rows.first()));
}

Result<std::vector<ConsentEvent>> events_of(db::Connection& c, std::int64_t citizen_id) {
    auto rows = TRY(c.query("SELECT id, subject, topic_id, action, consent_text_id, via, at, ip, "
                            "user_agent, form_url FROM consent_events WHERE citizen_id = ? "
                            "ORDER BY at, id",
                            {citizen_id}));
    std::vector<ConsentEvent> out;
    for (const auto& r : rows.rows)
        out.push_back({r.get_int(0),
                       r.get_text(1),
                       r.get_opt_int(2),
                       r.get_text(3),
                       r.get_opt_int(4),
                       r.get_text(5),
                       {r.get_int(6), r.get_text(7), r.get_text(8), r.get_text(9)}});
    return out;
}

Result<std::optional<std::int64_t>> request(db::Connection& c, std::int64_t citizen_id,
                                            std::string_view subject,
                                            std::optional<std::int64_t> topic_id,
                                            std::int64_t text_id, Via via, const Proof& p) {
    auto existing = TRY(find_consent(c, citizen_id, subject));
    if (existing && existing->status == Status::Confirmed)
        return std::optional<std::int64_t>{};
    db::Params proof{to_string(via), p.at, clip(p.ip, 100), clip(p.user_agent), clip(p.form_url)};
    std::int64_t id = 0;
    if (existing) {
        // A new request replaces the proof of an unconfirmed or withdrawn one; the history keeps
        // every earlier step.
        db::Params params{text_id};
        params.insert(params.end(), proof.begin(), proof.end());
        params.push_back(p.at);
        params.push_back(existing->id);
        TRY(c.query("UPDATE consents SET status = 'pending', consent_text_id = ?, via = ?, "
                    "requested_at = ?, request_ip = ?, request_user_agent = ?, request_form = ?, "
                    "confirmed_at = NULL, confirm_ip = '', confirm_user_agent = '', "
                    "withdrawn_at = NULL, withdraw_ip = '', withdraw_user_agent = '', "
                    "withdraw_via = '', updated_at = ? WHERE id = ?",
                    params));
        id = existing->id;
    } else {
        db::Params params{citizen_id, std::string(subject), db::opt(topic_id), text_id};
        params.insert(params.end(), proof.begin(), proof.end());
        params.push_back(p.at);
        auto row = TRY(c.query_one(
            "INSERT INTO consents (citizen_id, subject, topic_id, status, consent_text_id, via, "
            "requested_at, request_ip, request_user_agent, request_form, updated_at) VALUES "
            "(?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            params));
        id = row.get_int(0);
    }
    TRY(event(c, citizen_id, subject, "requested", text_id, via, p));
    return std::optional<std::int64_t>(id);
}

Result<std::vector<Consent>> confirm(db::Connection& c, const std::vector<std::int64_t>& ids,
                                     Via via, const Proof& p) {
    std::vector<Consent> changed;
    for (auto id : ids) {
        auto rows = TRY(c.query(fmt::format("SELECT {} FROM consents WHERE id = ?{}",
                                            kConsentColumns, db::dialect::for_update(c.backend())),
                                {id}));
        if (rows.empty())
            continue;
        auto consent = read_consent(rows.first());
        if (consent.status != Status::Pending)
            continue; // withdrawn meanwhile, or confirmed through another mail
        TRY(c.query("UPDATE consents SET status = 'confirmed', confirmed_at = ?, confirm_ip = ?, "
                    "confirm_user_agent = ?, updated_at = ? WHERE id = ?",
                    {p.at, clip(p.ip, 100), clip(p.user_agent), p.at, id}));
        TRY(event(c, consent.citizen_id, consent.subject, "confirmed", consent.consent_text_id,
                  via, p));
        consent.status = Status::Confirmed;
        consent.confirmed = p;
        changed.push_back(std::move(consent));
    }
    return changed;
}

Result<bool> grant(db::Connection& c, std::int64_t citizen_id, std::string_view subject,
                   std::optional<std::int64_t> topic_id, std::int64_t text_id, Via via,
                   const Proof& p) {
    auto id = TRY(request(c, citizen_id, subject, topic_id, text_id, via, p));
    if (!id)
        return false;
    auto done = TRY(confirm(c, {*id}, via, p));
    return !done.empty();
}

Result<bool> withdraw(db::Connection& c, std::int64_t citizen_id, std::string_view subject,
                      Via via, const Proof& p) {
    auto existing = TRY(find_consent(c, citizen_id, subject));
    if (!existing || existing->status == Status::Withdrawn)
        return false;
    TRY(c.query("UPDATE consents SET status = 'withdrawn', withdrawn_at = ?, withdraw_ip = ?, "
                "withdraw_user_agent = ?, withdraw_via = ?, updated_at = ? WHERE id = ?",
                {p.at, clip(p.ip, 100), clip(p.user_agent), to_string(via), p.at, existing->id}));
    TRY(event(c, citizen_id, subject, "withdrawn", existing->consent_text_id, via, p));
    return true;
}

Result<bool> tracking_allowed(db::Connection& c, std::int64_t citizen_id) {
    auto rows = TRY(c.query("SELECT 1 FROM consents s JOIN citizens c ON c.id = s.citizen_id "
                            "WHERE s.citizen_id = ? AND s.subject = 'tracking' AND "
                            "s.status = 'confirmed' AND c.restricted_at IS NULL",
                            {citizen_id}));
    return !rows.empty();
}

Result<std::vector<std::int64_t>> confirmed_topics(db::Connection& c, std::int64_t citizen_id) {
    auto rows = TRY(c.query("SELECT topic_id FROM consents WHERE citizen_id = ? AND "
                            "topic_id IS NOT NULL AND status = 'confirmed' ORDER BY topic_id",
                            {citizen_id}));
    std::vector<std::int64_t> out;
    for (const auto& r : rows.rows)
        out.push_back(r.get_int(0));
    return out;
}

Result<std::string> create_token(db::Connection& c, std::int64_t citizen_id,
                                 const std::vector<std::int64_t>& consent_ids,
                                 std::int64_t expires_at, const Clock& clock) {
    auto token = security::random_token(32);
    TRY(c.query("INSERT INTO consent_tokens (token_hash, citizen_id, consent_ids, created_at, "
                "expires_at) VALUES (?, ?, ?, ?, ?)",
                {security::sha256_hex(token), citizen_id, nlohmann::json(consent_ids).dump(),
                 clock.now_ms(), expires_at}));
    return token;
}

Result<std::optional<Token>> find_token(db::Connection& c, std::string_view token) {
    if (token.empty() || token.size() > 100)
        return std::optional<Token>{};
    auto rows = TRY(c.query(fmt::format("SELECT id, citizen_id, consent_ids, expires_at, used_at "
                                        "FROM consent_tokens WHERE token_hash = ?{}",
                                        db::dialect::for_update(c.backend())),
                            {security::sha256_hex(token)}));
    if (rows.empty())
        return std::optional<Token>{};
    const auto& r = rows.first();
    Token t{r.get_int(0), r.get_int(1), {}, r.get_int(3), r.get_opt_int(4)};
    auto ids = nlohmann::json::parse(r.get_text(2), nullptr, false);
    if (ids.is_array())
        for (const auto& id : ids)
            if (id.is_number_integer())
                t.consent_ids.push_back(id.get<std::int64_t>());
    return std::optional<Token>(std::move(t));
}

Result<void> mark_token_used(db::Connection& c, std::int64_t token_id, std::int64_t at) {
    TRY(c.query("UPDATE consent_tokens SET used_at = ? WHERE id = ?", {at, token_id}));
    return {};
}

Result<std::int64_t> attempts_since(db::Connection& c, std::string_view scope, std::int64_t since) {
    auto row = TRY(c.query_one("SELECT COUNT(*) FROM signup_attempts WHERE scope = ? AND at >= ?",
                               {std::string(scope), since}));
    return row.get_int(0);
}

Result<void> record_attempt(db::Connection& c, std::string_view scope, std::int64_t at,
                            std::int64_t keep_after) {
    TRY(c.query("DELETE FROM signup_attempts WHERE at < ?", {keep_after}));
    TRY(c.query("INSERT INTO signup_attempts (scope, at) VALUES (?, ?)", {std::string(scope), at}));
    return {};
}

Result<bool> is_restricted(db::Connection& c, std::int64_t citizen_id) {
    auto rows = TRY(c.query("SELECT restricted_at FROM citizens WHERE id = ?", {citizen_id}));
    return !rows.empty() && !rows.first().is_null(0);
}

Result<void> note_campaign_unsubscribe(db::Connection& c, std::int64_t campaign_id,
                                       std::int64_t citizen_id, const Clock& clock) {
    TRY(c.execute("INSERT INTO campaign_unsubscribes (campaign_id, citizen_id, at) "
                  "SELECT id, ?, ? FROM campaigns WHERE id = ?",
                  {citizen_id, clock.now_ms(), campaign_id}));
    return {};
}

} // namespace teilhabe::consent::store
