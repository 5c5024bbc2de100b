#pragma once
// Runs the journeys: enrols people (the activity consumer and the daily date job call enrol())
// and walks each due enrolment through its steps. One transaction per batch of enrolments: a
// step's effect (the outbox row of its mail, the webhook delivery, the profile change, the
// points) and the enrolment's new state commit together, so each step runs once in effect,
// also when the process is killed at any moment (the batch then rolls back and runs again).
// Several instances share the work through SKIP LOCKED (PostgreSQL); SQLite has one writer.

#include "db/database.h"
#include "journeys/calendar.h"
#include "journeys/enrolment_store.h"
#include "journeys/interfaces.h"
#include "journeys/journey.h"
#include "mail/dkim.h"
#include "mail/layout.h"
#include "mail/message.h"
#include "mail/template.h"

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

namespace teilhabe::journeys {

struct MailSettings {
    std::string base_url{"http://127.0.0.1:8080"}; // for the unsubscribe link
    std::string secret;                            // signs unsubscribe tokens
    mail::Address from{"Stadt Musterstadt", "info@musterstadt.example"};
    mail::LayoutSettings layout{{"Musterstadt", "", "#005ea8"},
                                {"Stadt Musterstadt", "Marktplatz 1", "12345 Musterstadt", "", "", "", "", ""}};
    // Signs each mail at step time when set. `serve` leaves it empty: its outbox sender signs
    // transactional mails at send time (delivery::TransactionalSource), outside the engine's
    // write transaction.
    std::shared_ptr<const mail::DkimSigner> dkim;
};

struct EngineSettings {
    // The town's quiet hours (Europe/Berlin); a journey may set its own or switch them off.
    QuietHours quiet_hours{};
    MailSettings mail;
    int batch{256};                 // enrolments per transaction
    int max_steps_per_enrolment{64}; // steps run at once for one enrolment (jumps go forward)
    // A step that fails for a passing reason (an error of the outbox, the webhook queue, the
    // ledger; not a refusal about the person) is tried again after back_off(attempt): 1 min,
    // 2, 4 ... at most 1 h; the max_attempts-th failure ends the person's journey there
    // ("failed" in the step's statistics, the reason in last_error).
    int max_attempts{10};
    std::chrono::milliseconds first_retry{std::chrono::minutes(1)};
    std::chrono::milliseconds max_retry{std::chrono::hours(1)};
    std::chrono::milliseconds idle_poll{std::chrono::seconds(5)};
};

// The wait before attempt `failures` + 1 of a step that failed `failures` times (>= 1).
std::chrono::milliseconds back_off(const EngineSettings& s, int failures);

// A person's entry into a journey by a trigger, in the caller's transaction (re-entry rule,
// idempotency by trigger_key, counters). Returns whether they entered.
Result<bool> enrol(db::Connection& c, const Journey& j, std::int64_t citizen_id, std::string trigger_key,
                   nlohmann::json context, const EngineSettings& settings, TimePoint now);

class Engine {
public:
    Engine(db::Database& db, const Clock& clock, EngineSettings settings,
           ConditionEvaluator* conditions = nullptr, PointsAwarder* points = nullptr,
           OccasionCheck* occasions = nullptr);
    ~Engine();

    // One batch of due enrolments; returns how many steps ran.
    Result<int> run_once();
    // Batches until nothing is due now (tests).
    Result<int> run_until_idle(int max_batches = 10'000);

    // Called after a batch that queued mail (to wake the outbox sender).
    void on_mail_queued(std::function<void()> f) { m_mail_queued = std::move(f); }

    void start();
    void notify();
    void stop();

    const EngineSettings& settings() const { return m_settings; }

    struct Compiled; // a journey's parsed definition and compiled mails, per version
    struct Batch;    // one transaction's counters

private:
    Result<std::shared_ptr<const Compiled>> compiled(db::Connection& c, std::int64_t journey_id,
                                                     std::int64_t updated_at);
    // One batch in the caller's transaction: claim, prefetch, advance each, insert the mails.
    Result<int> run_batch(db::Connection& c, Batch& b);
    Result<void> advance(db::Connection& c, Batch& b, enrolments::Enrolment& e, const Compiled& j);
    // A step failed for a passing reason (its savepoint rolled back): the next attempt, or the end.
    void back_off_or_give_up(Batch& b, enrolments::Enrolment& e, const Error& error);
    void loop();

    db::Database& m_db;
    const Clock& m_clock;
    EngineSettings m_settings;
    ConditionEvaluator* m_conditions;
    PointsAwarder* m_points;
    OccasionCheck* m_occasions;
    std::function<void()> m_mail_queued;
    std::mutex m_cache_mutex;
    std::map<std::int64_t, std::shared_ptr<const Compiled>> m_cache;
    std::thread m_thread;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping{false}, m_notified{false};
};

} // namespace teilhabe::journeys
