#include "journeys/consumer.h"

#include "jobs/job_store.h"
#include "journeys/journey_store.h"

#include <fmt/format.h>

namespace teilhabe::journeys {

Result<void> EnrolmentConsumer::handle(db::Connection& c, const activity::Activity& a) {
    if (!a.citizen_id)
        return {};
    auto journeys = TRY(store::active_for_activity(c, a.type));
    if (journeys.empty())
        return {};
    auto props = nlohmann::json::parse(a.props, nullptr, false);
    if (!props.is_object())
        props = nlohmann::json::object();
    for (const auto& j : journeys) {
        if (!trigger_matches(j.definition.trigger, a.type, a.object, props))
            continue;
        TRY(enrol(c, j, *a.citizen_id, fmt::format("activity:{}", a.id), props, m_settings, m_clock.now()));
    }
    return {};
}

Result<std::optional<std::vector<std::string>>> EnrolmentConsumer::wanted_types(db::Connection& c) {
    return std::optional<std::vector<std::string>>(TRY(store::active_trigger_types(c)));
}

namespace {

constexpr std::string_view kDateJob = "journeys.dates";

struct Day {
    int y, m, d;
};

Day add_days(Day day, int n) {
    auto t = from_berlin(day.y, day.m, day.d, 12, 0) + std::chrono::hours(24 * n);
    auto l = to_berlin(t);
    return {l.year, l.month, l.day};
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

Result<void> plan(db::Connection& c, Day day, const Clock& clock) {
    auto payload = nlohmann::json{{"day", fmt::format("{:04}-{:02}-{:02}", day.y, day.m, day.d)}}.dump();
    TRY(jobs::enqueue(c,
                      {.kind = std::string(kDateJob),
                       .payload = payload,
                       .due_at = from_berlin(day.y, day.m, day.d, 0, 5),
                       .unique_key = fmt::format("journeys.dates:{:04}-{:02}-{:02}", day.y, day.m, day.d)},
                      clock));
    return {};
}

} // namespace

Result<int> enrol_date_journeys(db::Connection& c, int year, int month, int day, const EngineSettings& settings,
                                TimePoint now) {
    int entered = 0;
    for (const auto& j : TRY(store::active_date_journeys(c))) {
        const auto& t = j.definition.trigger;
        // offset -2: two days before the date, so today's people have their date in two days.
        auto date = add_days({year, month, day}, -t.offset_days);
        auto md = fmt::format("{:02}-{:02}", date.m, date.d);
        // 29 February is celebrated on 28 February in other years.
        bool also_29 = date.m == 2 && date.d == 28 && !leap(date.y);
        auto rows = TRY(c.query("SELECT cv.citizen_id, cv.value FROM citizen_values cv JOIN fields f ON f.id = "
                                "cv.field_id WHERE f.key = ? AND f.type = 'date' AND (substr(cv.value, 6, 5) = ? "
                                "OR substr(cv.value, 6, 5) = ?) ORDER BY cv.citizen_id",
                                {t.field, md, std::string(also_29 ? "02-29" : md)}));
        auto at = std::max(now, from_berlin(year, month, day, t.at_minutes / 60, t.at_minutes % 60));
        auto occurrence = fmt::format("{:04}-{:02}-{:02}", date.y, date.m, date.d);
        for (const auto& r : rows.rows) {
            nlohmann::json context{{"date", occurrence + "T00:00:00Z"}, {"value", r.get_text(1)}};
            if (TRY(enrol(c, j, r.get_int(0), fmt::format("date:{}:{}:{}", t.field, r.get_int(0), occurrence),
                          context, settings, at)))
                ++entered;
        }
    }
    return entered;
}

Result<void> register_date_job(jobs::Worker& worker, db::Database& db, const Clock& clock, EngineSettings settings,
                               std::function<void()> on_enrolled) {
    worker.register_handler(std::string(kDateJob), [&db, &clock, settings, on_enrolled](const jobs::Job& job)
                                                       -> Result<void> {
        auto p = nlohmann::json::parse(job.payload, nullptr, false);
        Day day{};
        if (!p.is_object() || !p.contains("day") ||
            std::sscanf(p["day"].get<std::string>().c_str(), "%d-%d-%d", &day.y, &day.m, &day.d) != 3)
            return fail(Error::invalid("journeys.dates: a payload without its day"));
        auto n = TRY(db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<int> {
            auto entered = TRY(enrol_date_journeys(c, day.y, day.m, day.d, settings, clock.now()));
            TRY(plan(c, add_days(day, 1), clock));
            return entered;
        }));
        if (n > 0 && on_enrolled)
            on_enrolled();
        return {};
    });
    return db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<void> {
        auto l = to_berlin(clock.now());
        return plan(c, {l.year, l.month, l.day}, clock);
    });
}

} // namespace teilhabe::journeys
