#include "journeys/steps.h"

#include "activity/activity_store.h"
#include "citizens/citizen_store.h"
#include "webhooks/webhook_store.h"

#include <algorithm>
#include <fmt/format.h>

namespace teilhabe::journeys::detail {

namespace {

// Failures that are about this person or this definition end the person's journey with the
// reason; failures of the database roll the batch back and it runs again.
bool retryable(const Error& e) {
    return e.code == ErrorCode::Internal || e.code == ErrorCode::Unavailable || db::is_contention(e);
}

std::string system_actor(const Journey& j) { return fmt::format("system:journey:{}", j.id); }

// A change through another capability's store inside a savepoint, so that a refusal halfway
// (a value the field does not accept) leaves nothing behind.
template <class F> Result<Outcome> guarded(StepRun& run, F&& fn) {
    TRY(run.c.execute("SAVEPOINT journey_step"));
    auto r = fn();
    if (!r) {
        TRY(run.c.execute("ROLLBACK TO SAVEPOINT journey_step"));
        TRY(run.c.execute("RELEASE SAVEPOINT journey_step"));
        if (retryable(r.error()))
            return fail(r.error());
        return Outcome::exit(r.error().message);
    }
    TRY(run.c.execute("RELEASE SAVEPOINT journey_step"));
    return Outcome::go(run.step.next);
}

Result<void> change_citizen(StepRun& run, const citizens::CitizenChanges& changes) {
    if (run.pre)
        run.pre->touched.insert(run.e.citizen_id);
    TRY(citizens::store::update_citizen(run.c, run.e.citizen_id, changes, {system_actor(run.journey), ""},
                                        run.clock));
    return {};
}

Result<Outcome> add_to_set(StepRun& run, bool interest) {
    return guarded(run, [&]() -> Result<void> {
        auto person = TRY(citizens::store::find_citizen(run.c, run.e.citizen_id));
        if (!person)
            return fail(Error::not_found("the person is gone"));
        auto set = interest ? person->interests : person->tags;
        if (std::find(set.begin(), set.end(), run.step.tag) != set.end())
            return {};
        set.push_back(run.step.tag);
        citizens::CitizenChanges ch;
        (interest ? ch.interests : ch.tags) = set;
        return change_citizen(run, ch);
    });
}

Result<Outcome> call_webhook(StepRun& run) {
    return guarded(run, [&]() -> Result<void> {
        if (!TRY(webhooks::store::find(run.c, run.step.webhook_id)))
            return fail(Error::not_found(fmt::format("there is no webhook {}", run.step.webhook_id)));
        activity::Activity a;
        a.type = "journey.webhook";
        a.citizen_id = run.e.citizen_id;
        a.actor = system_actor(run.journey);
        a.object = fmt::format("journey:{}", run.journey.id);
        a.props = nlohmann::json{{"journey", run.journey.id}, {"step", run.step.id}, {"enrolment", run.e.id},
                                 {"trigger", run.e.context}}
                      .dump();
        a.occurred_at = run.now;
        a.idempotency_key = fmt::format("journey:{}:{}", run.e.id, run.step.id);
        auto recorded = TRY(activity::append(run.c, a, run.clock));
        TRY(webhooks::store::enqueue_event(run.c, run.step.webhook_id, recorded,
                                           run.clock));
        return {};
    });
}

} // namespace

const QuietHours* quiet_hours_of(const Definition& d, const EngineSettings& s) {
    if (d.quiet_hours_off)
        return nullptr;
    return d.quiet_hours ? &*d.quiet_hours : &s.quiet_hours;
}

std::optional<TimePoint> due_on_entry(const Definition& d, const Step& step, const nlohmann::json& context,
                                      TimePoint now, const EngineSettings& s) {
    switch (step.kind) {
    case StepKind::Wait: {
        std::optional<TimePoint> target;
        if (step.duration)
            return now + *step.duration;
        if (step.until_minutes)
            return next_time_of_day(now, *step.until_minutes, step.skip_sundays);
        if (step.until_date)
            target = *step.until_date + step.offset;
        if (!step.until_trigger.empty()) {
            auto v = context.is_object() && context.contains(step.until_trigger) && context[step.until_trigger].is_string()
                         ? parse_rfc3339(context[step.until_trigger].get<std::string>())
                         : Result<TimePoint>(fail(Error::invalid("")));
            if (!v)
                return std::nullopt; // the trigger did not say when: nothing to wait for
            target = *v + step.offset;
        }
        if (target && *target <= now)
            return step.exit_if_past ? std::nullopt : std::optional<TimePoint>(now);
        return target.value_or(now);
    }
    case StepKind::SendEmail:
        if (auto* q = quiet_hours_of(d, s))
            return next_allowed(*q, now);
        return now;
    default:
        return now;
    }
}

Result<Outcome> execute(StepRun& run) {
    const auto& s = run.step;
    switch (s.kind) {
    case StepKind::Wait:
        return Outcome::go(s.next);
    case StepKind::Exit:
        return Outcome::exit("");
    case StepKind::Branch: {
        if (!run.conditions)
            return Outcome::exit("branch rules are not set up");
        auto m = run.conditions->matches(run.c, s.rule.dump(), run.e.citizen_id, run.now);
        if (!m)
            return retryable(m.error()) ? Result<Outcome>(fail(m.error())) : Outcome::exit(m.error().message);
        return Outcome::go(*m ? s.then_step : s.else_step);
    }
    case StepKind::SendEmail:
        if (auto* q = quiet_hours_of(run.journey.definition, run.settings); q && in_quiet_hours(*q, run.now))
            return Outcome::postpone(next_allowed(*q, run.now));
        return send_mail(run);
    case StepKind::AwardPoints:
        if (!run.points)
            return Outcome::exit("points are not set up");
        return guarded(run, [&] {
            return run.points->award(run.c, run.e.citizen_id, s.points,
                                     fmt::format("journey:{}:enrolment:{}:{}", run.journey.id, run.e.id, s.id),
                                     s.reason.empty() ? run.journey.name : s.reason, run.now);
        });
    case StepKind::SetField:
        return guarded(run, [&] {
            citizens::CitizenChanges ch;
            ch.attributes.emplace_back(s.field, s.value);
            return change_citizen(run, ch);
        });
    case StepKind::AddTag:
        return add_to_set(run, false);
    case StepKind::AddInterest:
        return add_to_set(run, true);
    case StepKind::Webhook:
        return call_webhook(run);
    }
    return Outcome::exit("unknown step");
}

} // namespace teilhabe::journeys::detail
