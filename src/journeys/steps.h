#pragma once
// One step of one enrolment, run inside the engine's transaction (engine.cpp). Internal to
// the journeys library.

#include "citizens/citizen.h"
#include "delivery/outbox_store.h"
#include "journeys/engine.h"

#include <set>
#include <unordered_map>

namespace teilhabe::journeys::detail {

// What the mail steps of one batch read, read for the whole batch at once (engine.cpp): the
// profiles, confirmed topics and suppressed addresses of the people whose due step is a mail,
// in six statements instead of about six per person. A person whose profile a step of this batch
// changed (`touched`) is read again, so a mail after a set_field sees the new value.
struct Prefetched {
    std::unordered_map<std::int64_t, citizens::Citizen> people;
    std::unordered_map<std::int64_t, std::vector<std::int64_t>> confirmed; // citizen -> topic ids, sorted
    std::set<std::int64_t> suppressed; // the people whose address is on the list
    std::set<std::int64_t> touched;

    const citizens::Citizen* person(std::int64_t id) const {
        if (touched.contains(id))
            return nullptr;
        auto it = people.find(id);
        return it == people.end() ? nullptr : &it->second;
    }
};
Result<void> prefetch(db::Connection& c, const std::vector<std::int64_t>& citizen_ids, Prefetched& out);

struct Outcome {
    enum class Kind { Next, Exit, Postpone };
    Kind kind{Kind::Next};
    std::string next;   // Next: the step to go to ("" = the journey is done)
    std::string reason; // Exit: why (kept in last_error when it is a problem)
    TimePoint at{};     // Postpone: when to try again
    static Outcome go(std::string n) { return {Kind::Next, std::move(n), {}, {}}; }
    static Outcome exit(std::string r) { return {Kind::Exit, {}, std::move(r), {}}; }
    static Outcome postpone(TimePoint t) { return {Kind::Postpone, {}, {}, t}; }
};

struct StepRun {
    db::Connection& c;
    const Journey& journey;
    const Step& step;
    enrolments::Enrolment& e;
    TimePoint now;
    const Clock& clock;
    const EngineSettings& settings;
    ConditionEvaluator* conditions;
    PointsAwarder* points;
    const mail::CompiledCampaign* mail; // SendEmail: the compiled subject and body
    bool& mail_queued;
    Prefetched* pre{nullptr}; // the batch's reads for mail steps (none: read per person)
    OccasionCheck* occasions{nullptr}; // none: every occasion holds
    // The batch's mails, inserted by the engine with one statement per 100 at the batch's end
    // (engine.cpp); none: the mail step inserts its own row.
    std::vector<delivery::outbox::TransactionalMail>* outbox{nullptr};
};

// The quiet hours that apply to a journey (its own, none, or the town's).
const QuietHours* quiet_hours_of(const Definition& d, const EngineSettings& s);

// When a person who reaches `step` is due there; nothing when the step's moment has passed
// and it says to leave then (if_past: exit).
std::optional<TimePoint> due_on_entry(const Definition& d, const Step& step, const nlohmann::json& context,
                                      TimePoint now, const EngineSettings& s);

Result<Outcome> execute(StepRun& run);

// The mail of a send step, compiled (steps_mail.cpp).
Result<mail::CompiledCampaign> compile_mail(const Step& step, const MailSettings& s);
Result<Outcome> send_mail(StepRun& run);

} // namespace teilhabe::journeys::detail
