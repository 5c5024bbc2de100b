#pragma once
// Enrols people on trigger activities (activity/consumer.h): in the consumer's batch
// transaction, so an activity enrols once, also across crashes. The daily date job enrols
// people whose date field (a birthday) comes round: register_date_job().

#include "activity/consumer.h"
#include "jobs/worker.h"
#include "journeys/engine.h"

#include <functional>

namespace teilhabe::journeys {

class EnrolmentConsumer final : public activity::Consumer {
public:
    EnrolmentConsumer(const Clock& clock, EngineSettings settings) : m_clock(clock), m_settings(std::move(settings)) {}
    std::string name() const override { return "journeys"; }
    Result<void> handle(db::Connection& c, const activity::Activity& a) override;
    // The trigger types of the active journeys: other activities are not read at all.
    Result<std::optional<std::vector<std::string>>> wanted_types(db::Connection& c) override;

private:
    const Clock& m_clock;
    EngineSettings m_settings;
};

// "journeys.dates": once a day (00:05 Europe/Berlin) enrols, for each active date-field journey,
// the people whose date falls on today minus the journey's offset (a birthday in two days for
// "offset_days": -2), due at the journey's time of day. The job plans the next day's run; a
// day missed while no instance ran is caught up (each run's day is in its payload).
Result<void> register_date_job(jobs::Worker& worker, db::Database& db, const Clock& clock,
                               EngineSettings settings, std::function<void()> on_enrolled = {});
// The day's enrolments (the job's body; tests call it directly). Returns how many entered.
Result<int> enrol_date_journeys(db::Connection& c, int year, int month, int day,
                                const EngineSettings& settings, TimePoint now);

} // namespace teilhabe::journeys
