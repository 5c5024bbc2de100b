// SQL of the deliveries and their attempts (the subscriptions are in webhook_store.cpp).

#include "activity/activity_store.h"
#include "jobs/job_store.h"
#include "webhooks/webhook_store.h"

#include <fmt/format.h>
#include <map>

namespace teilhabe::webhooks::store {

namespace {

constexpr const char* kColumns =
    "d.id, d.webhook_id, d.activity_id, d.event_type, d.citizen_id, d.status, d.attempts, "
    "d.response_status, d.last_error, d.created_at, d.last_attempt_at, d.finished_at";
constexpr std::size_t kColumnCount = 12;

std::optional<TimePoint> opt_time(const db::Row& r, std::size_t i) {
    if (r.is_null(i))
        return std::nullopt;
    return from_unix_ms(r.get_int(i));
}

Delivery from_row(const db::Row& r) {
    Delivery d;
    d.id = r.get_int(0);
    d.webhook_id = r.get_int(1);
    d.activity_id = r.get_opt_int(2);
    d.event_type = r.get_text(3);
    d.citizen_id = r.get_opt_int(4);
    d.status = parse_delivery_status(r.get_text(5)).value_or(DeliveryStatus::Pending);
    d.attempts = static_cast<int>(r.get_int(6));
    if (auto s = r.get_opt_int(7))
        d.response_status = static_cast<int>(*s);
    d.last_error = r.get_opt_text(8).value_or("");
    d.created_at = from_unix_ms(r.get_int(9));
    d.last_attempt_at = opt_time(r, 10);
    d.finished_at = opt_time(r, 11);
    return d;
}

std::string job_payload(std::int64_t delivery_id) {
    return nlohmann::json{{"delivery_id", delivery_id}}.dump();
}

} // namespace

Result<std::int64_t> enqueue_event(db::Connection& c, std::int64_t webhook_id,
                                   const activity::Activity& a, const Clock& clock) {
    auto rows = TRY(c.query(
        "INSERT INTO webhook_deliveries (webhook_id, activity_id, event_type, citizen_id, status, "
        "created_at) VALUES (?, ?, ?, ?, 'pending', ?) ON CONFLICT (webhook_id, activity_id) DO "
        "NOTHING RETURNING id",
        {webhook_id, a.id, a.type, db::opt(a.citizen_id), clock.now_ms()}));
    if (rows.empty()) // delivered (or queued) before: nothing doubles
        return TRY(c.query_one("SELECT id FROM webhook_deliveries WHERE webhook_id = ? AND "
                               "activity_id = ?",
                               {webhook_id, a.id}))
            .get_int(0);
    auto id = rows.first().get_int(0);
    TRY(jobs::enqueue(c,
                      {.kind = std::string(kDeliverJob),
                       .payload = job_payload(id),
                       .unique_key = fmt::format("webhook:{}:activity:{}", webhook_id, a.id),
                       .max_attempts = kMaxAttempts},
                      clock));
    return id;
}

Result<Delivery> enqueue_ping(db::Connection& c, std::int64_t webhook_id, const Clock& clock) {
    auto row = TRY(c.query_one("INSERT INTO webhook_deliveries (webhook_id, event_type, status, "
                               "created_at) VALUES (?, ?, 'pending', ?) RETURNING id",
                               {webhook_id, std::string(kPingType), clock.now_ms()}));
    auto id = row.get_int(0);
    TRY(jobs::enqueue(c,
                      {.kind = std::string(kDeliverJob),
                       .payload = job_payload(id),
                       .unique_key = fmt::format("webhook:{}:ping:{}", webhook_id, id),
                       .max_attempts = kPingAttempts},
                      clock));
    auto d = TRY(find_delivery(c, id));
    if (!d)
        return fail(Error::internal("the ping just queued is gone"));
    return *d;
}

Result<std::optional<Pending>> load_pending(db::Connection& c, std::int64_t delivery_id) {
    auto rows = TRY(c.query(fmt::format("SELECT {}, w.url, w.secret, w.active FROM "
                                        "webhook_deliveries d JOIN webhooks w ON w.id = "
                                        "d.webhook_id WHERE d.id = ?",
                                        kColumns),
                            {delivery_id}));
    if (rows.empty())
        return std::optional<Pending>{};
    const auto& r = rows.first();
    Pending p{from_row(r), r.get_text(kColumnCount), r.get_text(kColumnCount + 1),
              r.get_bool(kColumnCount + 2), std::nullopt};
    if (p.delivery.activity_id)
        p.activity = TRY(activity::find(c, *p.delivery.activity_id));
    return std::optional<Pending>(std::move(p));
}

Result<void> record_attempt(db::Connection& c, std::int64_t delivery_id, const Attempt& a,
                            DeliveryStatus status, const Clock& clock) {
    auto now = clock.now_ms();
    bool final = status != DeliveryStatus::Pending;
    auto n = TRY(c.execute(
        "UPDATE webhook_deliveries SET attempts = attempts + 1, response_status = ?, last_error = "
        "?, last_attempt_at = ?, status = ?, finished_at = ? WHERE id = ? AND status = 'pending'",
        {a.response_status ? db::Value(std::int64_t{*a.response_status}) : db::null(),
         a.error.empty() ? db::null() : db::Value(a.error), to_unix_ms(a.at), to_string(status),
         final ? db::Value(now) : db::null(), delivery_id}));
    if (n == 0) {
        // Gone (the webhook was deleted, the person erased) or finished by an earlier run: the
        // attempt is recorded only while its delivery exists.
        if (!TRY(find_delivery(c, delivery_id)))
            return {};
    }
    TRY(c.query("INSERT INTO webhook_attempts (delivery_id, attempted_at, response_status, error, "
                "duration_ms) VALUES (?, ?, ?, ?, ?)",
                {delivery_id, to_unix_ms(a.at),
                 a.response_status ? db::Value(std::int64_t{*a.response_status}) : db::null(),
                 a.error.empty() ? db::null() : db::Value(a.error), a.duration_ms}));
    return {};
}

Result<void> cancel(db::Connection& c, std::int64_t delivery_id, const std::string& reason,
                    const Clock& clock) {
    TRY(c.query("UPDATE webhook_deliveries SET status = 'cancelled', last_error = ?, finished_at "
                "= ? WHERE id = ? AND status = 'pending'",
                {reason, clock.now_ms(), delivery_id}));
    return {};
}

Result<std::optional<Delivery>> find_delivery(db::Connection& c, std::int64_t id) {
    auto rows = TRY(
        c.query(fmt::format("SELECT {} FROM webhook_deliveries d WHERE d.id = ?", kColumns), {id}));
    if (rows.empty())
        return std::optional<Delivery>{};
    return std::optional<Delivery>(from_row(rows.first()));
}

Result<std::vector<Delivery>> recent_deliveries(db::Connection& c, std::int64_t webhook_id,
                                                std::optional<std::int64_t> before, int limit) {
    // Two fixed statements rather than one assembled: both stay in the statement cache.
    auto rows = before ? TRY(c.query(fmt::format("SELECT {} FROM webhook_deliveries d WHERE "
                                                 "d.webhook_id = ? AND d.id < ? ORDER BY d.id "
                                                 "DESC LIMIT ?",
                                                 kColumns),
                                     {webhook_id, *before, std::int64_t{limit}}))
                       : TRY(c.query(fmt::format("SELECT {} FROM webhook_deliveries d WHERE "
                                                 "d.webhook_id = ? ORDER BY d.id DESC LIMIT ?",
                                                 kColumns),
                                     {webhook_id, std::int64_t{limit}}));
    std::vector<Delivery> out;
    for (const auto& r : rows.rows)
        out.push_back(from_row(r));
    if (out.empty())
        return out;
    // The attempts of the whole page in one query: the page is one id range of this webhook.
    auto attempts = TRY(c.query(
        "SELECT a.delivery_id, a.attempted_at, a.response_status, a.error, a.duration_ms FROM "
        "webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id WHERE "
        "d.webhook_id = ? AND d.id BETWEEN ? AND ? ORDER BY a.id",
        {webhook_id, out.back().id, out.front().id}));
    std::map<std::int64_t, Delivery*> by_id;
    for (auto& d : out)
        by_id[d.id] = &d;
    for (const auto& r : attempts.rows) {
        auto it = by_id.find(r.get_int(0));
        if (it == by_id.end())
            continue;
        Attempt a{from_unix_ms(r.get_int(1)), std::nullopt, r.get_opt_text(3).value_or(""),
                  r.get_int(4)};
        if (auto s = r.get_opt_int(2))
            a.response_status = static_cast<int>(*s);
        it->second->history.push_back(std::move(a));
    }
    return out;
}

Result<std::int64_t> prune(db::Connection& c, TimePoint cutoff) {
    return c.execute("DELETE FROM webhook_deliveries WHERE finished_at IS NOT NULL AND "
                     "finished_at < ?",
                     {to_unix_ms(cutoff)});
}

} // namespace teilhabe::webhooks::store
