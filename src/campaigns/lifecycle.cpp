#include "campaigns/lifecycle.h"

#include "campaigns/audience.h"
#include "jobs/job_store.h"

#include <fmt/format.h>

namespace teilhabe::campaigns {

namespace {

constexpr auto kWatchEvery = std::chrono::seconds(30);

Result<Campaign> load_for_update(db::Connection& c, std::int64_t id) {
    auto k = TRY(store::find_for_update(c, id));
    if (!k)
        return fail(Error::not_found(fmt::format("There is no campaign {}.", id)));
    return std::move(*k);
}

// One start job per planned time: a campaign moved to another time gets a new job, and the old
// one finds the time no longer matches and does nothing.
Result<void> plan_start(db::Connection& c, const Campaign& k, const Clock& clock) {
    auto at = to_unix_ms(*k.scheduled_at);
    TRY(jobs::enqueue(c,
                      {.kind = kStartJob,
                       .payload = nlohmann::json{{"campaign_id", k.id}, {"at", at}}.dump(),
                       .due_at = *k.scheduled_at,
                       .unique_key = fmt::format("{}:{}:{}", kStartJob, k.id, at)},
                      clock));
    return {};
}

Result<void> plan_watch(db::Connection& c, std::int64_t id, const Clock& clock) {
    auto due = clock.now() + kWatchEvery;
    TRY(jobs::enqueue(c,
                      {.kind = kWatchJob,
                       .payload = nlohmann::json{{"campaign_id", id}}.dump(),
                       .due_at = due,
                       .unique_key = fmt::format("{}:{}:{}", kWatchJob, id, to_unix_ms(due))},
                      clock));
    return {};
}

Result<Campaign> schedule(db::Connection& c, Campaign k, TimePoint at, const store::Actor& who,
                          const Clock& clock) {
    TRY(check_ready(k));
    TRY(check_audience(c, k));
    if (k.state == State::Draft)
        k.state = TRY(next_state(k.state, Action::Schedule));
    k.scheduled_at = at;
    TRY(store::save_state(c, k, who, "scheduled", clock));
    TRY(plan_start(c, k, clock));
    return k;
}

Result<Campaign> start(db::Connection& c, Campaign k, const store::Actor& who, const Clock& clock) {
    TRY(check_ready(k));
    TRY(check_audience(c, k));
    k.state = State::Sending;
    k.started_at = clock.now();
    TRY(store::save_state(c, k, who, "started", clock));
    TRY(queue_recipients(c, k, clock));
    TRY(plan_watch(c, k.id, clock));
    return k;
}

} // namespace

Result<Campaign> create(db::Connection& c, const CampaignInput& in, const store::Actor& who,
                        const Clock& clock) {
    auto k = TRY(store::create(c, in, who, clock));
    if (in.scheduled_at && *in.scheduled_at)
        return schedule(c, std::move(k), **in.scheduled_at, who, clock);
    return k;
}

Result<Campaign> change(db::Connection& c, std::int64_t id, const CampaignInput& in,
                        const store::Actor& who, const Clock& clock) {
    auto k = TRY(load_for_update(c, id));
    bool only_schedule = !in.name && !in.subject && !in.preheader && !in.body && !in.topics && !in.segment_id;
    // A scheduled campaign can be moved or taken back to draft without editing it first.
    if (k.state == State::Scheduled && only_schedule && in.scheduled_at) {
        if (*in.scheduled_at)
            return schedule(c, std::move(k), **in.scheduled_at, who, clock);
        k.state = TRY(next_state(k.state, Action::Unschedule));
        k.scheduled_at.reset();
        TRY(store::save_state(c, k, who, "unscheduled", clock));
        return k;
    }
    if (!only_schedule)
        k = TRY(store::update(c, id, in, who, clock));
    else
        TRY(check_editable(k));
    if (in.scheduled_at && *in.scheduled_at)
        return schedule(c, std::move(k), **in.scheduled_at, who, clock);
    return k;
}

Result<Campaign> send_now(db::Connection& c, std::int64_t id, const store::Actor& who, const Clock& clock) {
    auto k = TRY(load_for_update(c, id));
    if (k.state != State::Draft && k.state != State::Scheduled)
        return fail(Error::conflict(fmt::format(
            "The campaign is {}; only a draft or a scheduled campaign can be sent.", to_string(k.state))));
    return start(c, std::move(k), who, clock);
}

Result<Campaign> act(db::Connection& c, std::int64_t id, Action a, const store::Actor& who, const Clock& clock) {
    auto k = TRY(load_for_update(c, id));
    k.state = TRY(next_state(k.state, a));
    if (a == Action::Unschedule)
        k.scheduled_at.reset();
    if (a == Action::Cancel) {
        k.finished_at = clock.now();
        TRY(cancel_recipients(c, k.id, clock));
    }
    TRY(store::save_state(c, k, who, to_string(a), clock));
    return k;
}

Result<void> run_start(db::Connection& c, std::int64_t id, const Clock& clock) {
    auto k = TRY(store::find_for_update(c, id));
    if (!k || k->state != State::Scheduled || !k->scheduled_at || *k->scheduled_at > clock.now())
        return {}; // unscheduled, cancelled, deleted or moved to a later time meanwhile
    TRY(start(c, std::move(*k), {"system", ""}, clock));
    return {};
}

Result<void> run_watch(db::Connection& c, std::int64_t id, const Clock& clock) {
    auto k = TRY(store::find_for_update(c, id));
    if (!k || (k->state != State::Sending && k->state != State::Paused))
        return {};
    if (TRY(open_recipients(c, id)) > 0)
        return plan_watch(c, id, clock);
    k->state = State::Finished;
    k->finished_at = clock.now();
    return store::save_state(c, *k, {"system", ""}, "finished", clock);
}

} // namespace teilhabe::campaigns
