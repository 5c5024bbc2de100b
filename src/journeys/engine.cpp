#include "journeys/engine.h"

#include "base/thread_name.h"
#include "journeys/journey_store.h"
#include "journeys/steps.h"

#include <algorithm>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace teilhabe::journeys {

using enrolments::Enrolment;
using enrolments::State;

struct Engine::Compiled {
    Journey journey;
    std::int64_t updated_at{0};
    std::map<std::string, std::shared_ptr<const mail::CompiledCampaign>> mails; // step id ->
};

// Counters of one batch, written once per step at the end (not once per person and step).
struct Engine::Batch {
    struct Counts {
        std::int64_t entered{0}, done{0}, exited{0}, failed{0};
    };
    std::map<std::pair<std::int64_t, std::string>, Counts> counts;
    detail::Prefetched pre;
    // The mails of the batch, inserted together at its end (`bulk`); a refusal of that insert,
    // or a failure of a mail step (not contention), sets `bulk_refused` and the batch runs
    // again with one insert per step, each mail step in its savepoint.
    std::vector<delivery::outbox::TransactionalMail> mails;
    bool bulk{true};
    bool bulk_refused{false};
    bool mail_queued{false};
    int steps{0};
    TimePoint now{};
};

namespace {

void count(std::map<std::pair<std::int64_t, std::string>, Engine::Batch::Counts>& m, std::int64_t j,
           const std::string& step, int entered, int done, int exited) {
    auto& c = m[{j, step}];
    c.entered += entered;
    c.done += done;
    c.exited += exited;
}

// Steps that cannot fail need no savepoint of their own.
bool may_fail(StepKind k) { return k != StepKind::Wait && k != StepKind::Exit; }

} // namespace

std::chrono::milliseconds back_off(const EngineSettings& s, int failures) {
    auto wait = s.first_retry;
    for (int i = 1; i < failures && wait < s.max_retry; ++i)
        wait *= 2;
    return std::min(wait, s.max_retry);
}

Result<bool> enrol(db::Connection& c, const Journey& j, std::int64_t citizen_id, std::string trigger_key,
                   nlohmann::json context, const EngineSettings& settings, TimePoint now) {
    const auto& d = j.definition;
    if (d.steps.empty())
        return false;
    if (!TRY(enrolments::may_enter(c, j.id, citizen_id, d.reentry, now)))
        return false;
    Enrolment e;
    e.journey_id = j.id;
    e.citizen_id = citizen_id;
    e.trigger_key = std::move(trigger_key);
    e.context = std::move(context);
    e.step = d.steps.front().id;
    e.entered_at = e.step_entered_at = to_unix_ms(now);
    auto due = detail::due_on_entry(d, d.steps.front(), e.context, now, settings);
    // A first step whose moment has passed (if_past: exit): the person does not enter.
    if (!due)
        return false;
    e.due_at = to_unix_ms(*due);
    auto id = TRY(enrolments::insert(c, e));
    if (!id)
        return false;
    TRY(store::count(c, j.id, e.step, 1, 0, 0));
    return true;
}

Engine::Engine(db::Database& db, const Clock& clock, EngineSettings settings, ConditionEvaluator* conditions,
               PointsAwarder* points, OccasionCheck* occasions)
    : m_db(db), m_clock(clock), m_settings(std::move(settings)), m_conditions(conditions), m_points(points),
      m_occasions(occasions) {}

Engine::~Engine() { stop(); }

Result<std::shared_ptr<const Engine::Compiled>> Engine::compiled(db::Connection& c, std::int64_t journey_id,
                                                                 std::int64_t updated_at) {
    {
        std::lock_guard lock(m_cache_mutex);
        if (auto it = m_cache.find(journey_id); it != m_cache.end() && it->second->updated_at == updated_at)
            return it->second;
    }
    auto j = TRY(store::find(c, journey_id));
    if (!j)
        return fail(Error::not_found("journey gone"));
    auto made = std::make_shared<Compiled>();
    made->journey = std::move(*j);
    made->updated_at = to_unix_ms(made->journey.updated_at);
    for (const auto& s : made->journey.definition.steps) {
        if (s.kind != StepKind::SendEmail)
            continue;
        auto m = detail::compile_mail(s, m_settings.mail);
        if (m)
            made->mails[s.id] = std::make_shared<const mail::CompiledCampaign>(std::move(*m));
        else
            spdlog::warn("journey {} step {}: {}", journey_id, s.id, m.error().message);
    }
    std::lock_guard lock(m_cache_mutex);
    m_cache[journey_id] = made;
    return std::shared_ptr<const Compiled>(made);
}

// Runs the enrolment's due step and, while the next one is due at once, the following ones.
Result<void> Engine::advance(db::Connection& c, Batch& b, Enrolment& e, const Compiled& cj) {
    const auto& j = cj.journey;
    const auto& d = j.definition;
    auto now_ms = to_unix_ms(b.now);
    for (int i = 0; i < m_settings.max_steps_per_enrolment; ++i) {
        const Step* step = d.find(e.step);
        if (!step) { // the journey was edited and this step is gone
            e.state = State::Exited;
            e.last_error = fmt::format("the step '{}' no longer exists", e.step);
            break;
        }
        auto mail = cj.mails.find(step->id);
        detail::StepRun run{c, j, *step, e, b.now, m_clock, m_settings, m_conditions, m_points,
                            mail == cj.mails.end() ? nullptr : mail->second.get(), b.mail_queued, &b.pre,
                            m_occasions, b.bulk ? &b.mails : nullptr};
        // Each step that may fail runs in a savepoint: a passing failure (the outbox, the webhook
        // queue, the ledger) rolls back this step of this person only and plans the next attempt,
        // so one person's trouble neither stalls nor repeats the batch.
        // A mail step of a bulk batch writes nothing (its row is inserted with the batch's, see
        // run_batch), so it needs no savepoint: two statements less per mail, two round trips
        // on PostgreSQL. If it fails all the same (not contention), the batch runs again
        // without bulk, where each mail step has its savepoint and the failure its back-off.
        bool bulk_mail = b.bulk && step->kind == StepKind::SendEmail;
        bool guarded = may_fail(step->kind) && !bulk_mail;
        if (guarded)
            TRY(c.execute("SAVEPOINT journey_enrolment"));
        auto ran = detail::execute(run);
        if (!ran) {
            if (bulk_mail && !db::is_contention(ran.error()))
                b.bulk_refused = true;
            // Contention is the batch's, not the person's: the whole batch runs again.
            if (!guarded || db::is_contention(ran.error()))
                return fail(ran.error());
            TRY(c.execute("ROLLBACK TO SAVEPOINT journey_enrolment"));
            TRY(c.execute("RELEASE SAVEPOINT journey_enrolment"));
            back_off_or_give_up(b, e, ran.error());
            break;
        }
        if (guarded)
            TRY(c.execute("RELEASE SAVEPOINT journey_enrolment"));
        auto& out = *ran;
        ++b.steps;
        using K = detail::Outcome::Kind;
        if (out.kind == K::Postpone) {
            e.due_at = to_unix_ms(out.at);
            break;
        }
        if (e.attempts > 0) { // the step ran after earlier failures: its back-off is over
            e.attempts = 0;
            e.last_error.reset();
        }
        if (out.kind == K::Exit) {
            count(b.counts, j.id, step->id, 0, 0, 1);
            e.state = State::Exited;
            if (!out.reason.empty())
                e.last_error = out.reason;
            break;
        }
        count(b.counts, j.id, step->id, 0, 1, 0);
        if (out.next.empty()) {
            e.state = State::Done;
            break;
        }
        if (out.next == kExit) {
            e.state = State::Exited;
            break;
        }
        const Step* next = d.find(out.next);
        e.step = out.next;
        e.step_entered_at = now_ms;
        count(b.counts, j.id, e.step, 1, 0, 0);
        auto due = next ? detail::due_on_entry(d, *next, e.context, b.now, m_settings) : std::optional(b.now);
        if (!due) {
            count(b.counts, j.id, e.step, 0, 0, 1);
            e.state = State::Exited;
            break;
        }
        e.due_at = to_unix_ms(*due);
        if (*due > b.now)
            break;
    }
    return {}; // saved with the batch's others (run_batch)
}

void Engine::back_off_or_give_up(Batch& b, Enrolment& e, const Error& error) {
    e.attempts += 1;
    if (e.attempts >= m_settings.max_attempts) {
        e.state = State::Exited;
        e.last_error = fmt::format("gave up after {} attempts: {}", e.attempts, error.message);
        b.counts[{e.journey_id, e.step}].failed += 1;
        spdlog::warn("journey {} enrolment {} step {}: {}", e.journey_id, e.id, e.step, *e.last_error);
        return;
    }
    auto wait = back_off(m_settings, e.attempts);
    e.last_error = error.message;
    e.due_at = to_unix_ms(b.now + wait);
    spdlog::info("journey {} enrolment {} step {}: attempt {} failed ({}), next in {} s", e.journey_id, e.id, e.step,
                 e.attempts, error.message, std::chrono::duration_cast<std::chrono::seconds>(wait).count());
}

Result<int> Engine::run_once() {
    Batch b;
    auto attempt = [&](bool bulk) {
        return m_db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<int> {
            b = Batch{};
            b.bulk = bulk;
            return run_batch(c, b);
        });
    };
    auto ran = attempt(true);
    // The outbox refused the batch's rows together, or a mail step failed outside a savepoint:
    // once more with one insert per mail step, each in its savepoint, so that the failure lands
    // on the person whose step it is (back-off), not on the batch.
    if (!ran && b.bulk_refused) {
        spdlog::info("journeys: the batch's mails were refused together ({}); one by one", ran.error().message);
        ran = attempt(false);
    }
    if (ran && b.mail_queued && m_mail_queued)
        m_mail_queued();
    return ran;
}

Result<int> Engine::run_batch(db::Connection& c, Batch& b) {
    b.now = m_clock.now();
    auto due = TRY(enrolments::claim_due(c, b.now, m_settings.batch));
    if (due.empty())
        return 0;
    std::map<std::int64_t, std::int64_t> versions;
    for (const auto& v : TRY(store::versions(c)))
        versions[v.id] = v.updated_at;
    // The people whose due step is a mail: their profiles, consents and suppressions in
    // one read for the batch (steps.h, Prefetched).
    std::vector<std::shared_ptr<const Compiled>> journeys;
    journeys.reserve(due.size());
    std::vector<std::int64_t> mail_people;
    for (const auto& e : due) {
        journeys.push_back(TRY(compiled(c, e.journey_id, versions[e.journey_id])));
        if (const Step* s = journeys.back()->journey.definition.find(e.step); s && s->kind == StepKind::SendEmail)
            mail_people.push_back(e.citizen_id);
    }
    std::sort(mail_people.begin(), mail_people.end());
    mail_people.erase(std::unique(mail_people.begin(), mail_people.end()), mail_people.end());
    TRY(detail::prefetch(c, mail_people, b.pre));
    for (std::size_t i = 0; i < due.size(); ++i)
        TRY(advance(c, b, due[i], *journeys[i]));
    // The enrolments' new state: one UPDATE per 100.
    TRY(enrolments::save_all(c, due, to_unix_ms(b.now)));
    // The batch's mails: one INSERT per 100 rows instead of one per step, in the same
    // transaction as the enrolments' new state.
    if (auto queued = delivery::outbox::enqueue_transactional_many(c, b.mails, m_clock); !queued) {
        b.bulk_refused = !db::is_contention(queued.error());
        return fail(queued.error());
    }
    for (const auto& [key, n] : b.counts)
        TRY(store::count(c, key.first, key.second, n.entered, n.done, n.exited, n.failed));
    return b.steps;
}

Result<int> Engine::run_until_idle(int max_batches) {
    int total = 0;
    for (int i = 0; i < max_batches; ++i) {
        auto n = TRY(run_once());
        if (n == 0)
            break;
        total += n;
    }
    return total;
}

void Engine::start() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = false;
    }
    m_thread = std::thread([this] {
        name_this_thread("th-journeys");
        loop();
    });
}

void Engine::notify() {
    {
        std::lock_guard lock(m_mutex);
        m_notified = true;
    }
    m_wake.notify_all();
}

void Engine::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

void Engine::loop() {
    for (;;) {
        {
            std::lock_guard lock(m_mutex);
            if (m_stopping)
                return;
        }
        auto n = run_once();
        if (!n)
            spdlog::error("journeys: {}", n.error().message);
        else if (*n > 0)
            continue;
        // Sleep until the next enrolment is due (at most idle_poll: other instances and edits).
        auto wait = m_settings.idle_poll;
        auto next = m_db.transaction(db::TxMode::Read, [](db::Connection& c) { return enrolments::next_due(c); });
        if (next && *next) {
            auto until = std::chrono::duration_cast<std::chrono::milliseconds>(**next - m_clock.now());
            wait = std::clamp(until, std::chrono::milliseconds(1), wait);
        }
        std::unique_lock lock(m_mutex);
        m_wake.wait_for(lock, wait, [&] { return m_stopping || m_notified; });
        m_notified = false;
    }
}

} // namespace teilhabe::journeys
