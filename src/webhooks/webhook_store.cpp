// SQL of the subscriptions (the deliveries are in delivery_store.cpp).

#include "webhooks/webhook_store.h"

#include "db/dialect.h"
#include "db/rows.h"
#include "staff/staff_store.h"
#include "webhooks/signature.h"

#include <fmt/format.h>

namespace teilhabe::webhooks::store {

namespace {

constexpr const char* kColumns =
    "id, url, description, event_types, active, created_by, created_at, updated_at";

Webhook from_row(const db::Row& r) {
    Webhook w;
    w.id = r.get_int(0);
    w.url = r.get_text(1);
    w.description = r.get_text(2);
    auto types = nlohmann::json::parse(r.get_text(3), nullptr, false);
    if (types.is_array())
        for (const auto& t : types)
            if (t.is_string())
                w.event_types.push_back(t.get<std::string>());
    w.active = r.get_bool(4);
    w.created_by = r.get_text(5);
    w.created_at = from_unix_ms(r.get_int(6));
    w.updated_at = from_unix_ms(r.get_int(7));
    return w;
}

Result<std::vector<Webhook>> select(db::Connection& c, const std::string& sql,
                                    const db::Params& params = {}) {
    return db::query_as(c, sql, params, from_row);
}

std::string subject(std::int64_t id) {
    return fmt::format("webhook:{}", id);
}

Result<void> audit(db::Connection& c, const Actor& who, const char* action, std::int64_t id,
                   std::string detail, const Clock& clock) {
    return staff::store::audit(c,
                               {.actor = who.actor,
                                .action = action,
                                .subject = subject(id),
                                .detail = std::move(detail),
                                .ip = who.ip},
                               clock);
}

} // namespace

Result<Created> create(db::Connection& c, const WebhookInput& in, const Actor& who,
                       const Clock& clock) {
    if (!in.url)
        TRY(validate_url(""));
    Created out;
    out.secret = generate_secret();
    auto& w = out.webhook;
    w.url = *in.url;
    w.description = in.description.value_or("");
    w.event_types = in.event_types.value_or(std::vector<std::string>{});
    w.active = in.active.value_or(true);
    w.created_by = who.actor;
    w.created_at = w.updated_at = clock.now();
    auto row = TRY(c.query_one(
        "INSERT INTO webhooks (url, description, event_types, secret, active, created_by, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {w.url, w.description, nlohmann::json(w.event_types).dump(), out.secret,
         std::int64_t{w.active}, w.created_by, to_unix_ms(w.created_at),
         to_unix_ms(w.updated_at)}));
    w.id = row.get_int(0);
    TRY(audit(c, who, "webhook.created", w.id, w.url, clock));
    return out;
}

Result<std::vector<Webhook>> list(db::Connection& c) {
    return select(c, fmt::format("SELECT {} FROM webhooks ORDER BY id", kColumns));
}

Result<std::vector<Webhook>> list_active(db::Connection& c) {
    return select(c, fmt::format("SELECT {} FROM webhooks WHERE active ORDER BY id", kColumns));
}

Result<std::optional<Webhook>> find(db::Connection& c, std::int64_t id) {
    auto found =
        TRY(select(c, fmt::format("SELECT {} FROM webhooks WHERE id = ?", kColumns), {id}));
    if (found.empty())
        return std::optional<Webhook>{};
    return std::optional<Webhook>(std::move(found.front()));
}

Result<Created> update(db::Connection& c, std::int64_t id, const WebhookInput& in, const Actor& who,
                       const Clock& clock) {
    auto found = TRY(select(c,
                            fmt::format("SELECT {} FROM webhooks WHERE id = ?{}", kColumns,
                                        db::dialect::for_update(c.backend())),
                            {id}));
    if (found.empty())
        return fail(Error::not_found(fmt::format("There is no webhook {}.", id)));
    Created out{std::move(found.front()), {}};
    auto& w = out.webhook;
    std::vector<std::string> changed;
    if (in.url && *in.url != w.url) {
        w.url = *in.url;
        changed.push_back("url");
    }
    if (in.description && *in.description != w.description) {
        w.description = *in.description;
        changed.push_back("description");
    }
    if (in.event_types && *in.event_types != w.event_types) {
        w.event_types = *in.event_types;
        changed.push_back("event_types");
    }
    if (in.active && *in.active != w.active) {
        w.active = *in.active;
        changed.push_back("active");
    }
    if (in.rotate_secret) {
        out.secret = generate_secret();
        changed.push_back("secret");
        TRY(c.query("UPDATE webhooks SET secret = ? WHERE id = ?", {out.secret, id}));
    }
    if (changed.empty())
        return out;
    w.updated_at = clock.now();
    TRY(c.query("UPDATE webhooks SET url = ?, description = ?, event_types = ?, active = ?, "
                "updated_at = ? WHERE id = ?",
                {w.url, w.description, nlohmann::json(w.event_types).dump(), std::int64_t{w.active},
                 to_unix_ms(w.updated_at), id}));
    TRY(audit(c, who, "webhook.updated", id, fmt::format("{}", fmt::join(changed, ", ")), clock));
    return out;
}

Result<void> remove(db::Connection& c, std::int64_t id, const Actor& who, const Clock& clock) {
    auto found = TRY(find(c, id));
    if (!found)
        return fail(Error::not_found(fmt::format("There is no webhook {}.", id)));
    // Deliveries and their attempts go by ON DELETE CASCADE.
    TRY(c.query("DELETE FROM webhooks WHERE id = ?", {id}));
    TRY(audit(c, who, "webhook.deleted", id, found->url, clock));
    return {};
}

Result<bool> is_restricted(db::Connection& c, std::int64_t citizen_id) {
    auto rows = TRY(
        c.query("SELECT 1 FROM citizens WHERE id = ? AND restricted_at IS NOT NULL", {citizen_id}));
    return !rows.empty();
}

} // namespace teilhabe::webhooks::store
