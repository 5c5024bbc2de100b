#include "events/event.h"

#include <fmt/format.h>

namespace teilhabe::events {

namespace {

using json_input::nullable_number;
using json_input::nullable_time;
using json_input::number_member;
using json_input::text_member;

constexpr std::int64_t kMaxCapacity = 100'000, kMaxPoints = 100'000;

bool known_member(std::string_view key) {
    static constexpr std::string_view kKnown[] = {
        "title",  "description", "place", "starts_at", "ends_at", "capacity", "waiting_list",
        "registration_deadline", "department_id", "points", "status",
        // read-only members of a GET, accepted back unchanged
        "id", "created_at", "updated_at", "registered", "waitlisted", "checked_in", "free_places"};
    for (auto k : kKnown)
        if (k == key)
            return true;
    return false;
}

} // namespace

const char* to_string(Status s) {
    switch (s) {
    case Status::Draft: return "draft";
    case Status::Published: return "published";
    case Status::Cancelled: return "cancelled";
    }
    return "draft";
}

std::optional<Status> status_from(std::string_view s) {
    if (s == "draft")
        return Status::Draft;
    if (s == "published")
        return Status::Published;
    if (s == "cancelled")
        return Status::Cancelled;
    return std::nullopt;
}

std::optional<std::int64_t> Event::free_places() const {
    if (!capacity)
        return std::nullopt;
    return std::max<std::int64_t>(0, *capacity - registered);
}

std::int64_t Event::registration_closes_ms() const {
    return deadline_ms ? std::min(*deadline_ms, starts_at_ms) : starts_at_ms;
}

Result<EventInput> parse_event_input(const nlohmann::json& body, InputMode mode) {
    for (const auto& [key, _] : body.items())
        if (!known_member(key))
            return fail(Error::invalid(fmt::format("unknown member {}", key), key));
    EventInput in;
    if (body.contains("title"))
        in.title = TRY(text_member(body["title"], "title", 1, 200));
    if (body.contains("description"))
        in.description = TRY(text_member(body["description"], "description", 0, 10000));
    if (body.contains("place"))
        in.place = TRY(text_member(body["place"], "place", 0, 300));
    if (body.contains("starts_at"))
        in.starts_at_ms = TRY(parse_time_ms(body["starts_at"], "starts_at"));
    if (body.contains("ends_at"))
        in.ends_at_ms = TRY(parse_time_ms(body["ends_at"], "ends_at"));
    if (body.contains("capacity"))
        in.capacity = TRY(nullable_number(body["capacity"], "capacity", 1, kMaxCapacity));
    if (body.contains("registration_deadline"))
        in.deadline_ms = TRY(nullable_time(body["registration_deadline"], "registration_deadline"));
    if (body.contains("department_id"))
        in.department_id =
            TRY(nullable_number(body["department_id"], "department_id", 1, INT64_MAX));
    if (body.contains("points"))
        in.points = TRY(number_member(body["points"], "points", 0, kMaxPoints));
    if (body.contains("waiting_list")) {
        if (!body["waiting_list"].is_boolean())
            return fail(Error::invalid("waiting_list must be true or false", "waiting_list"));
        in.waiting_list = body["waiting_list"].get<bool>();
    }
    if (body.contains("status")) {
        auto s = body["status"].is_string() ? status_from(body["status"].get<std::string>())
                                            : std::nullopt;
        if (!s)
            return fail(Error::invalid("status must be draft, published or cancelled", "status"));
        in.status = *s;
    }
    if (mode == InputMode::Create) {
        for (auto [present, name] : {std::pair{in.title.has_value(), "title"},
                                     std::pair{in.starts_at_ms.has_value(), "starts_at"},
                                     std::pair{in.ends_at_ms.has_value(), "ends_at"}})
            if (!present)
                return fail(Error::invalid(fmt::format("{} is required", name), name));
    }
    return in;
}

Event apply(Event e, const EventInput& in) {
    if (in.title)
        e.title = *in.title;
    if (in.description)
        e.description = *in.description;
    if (in.place)
        e.place = *in.place;
    if (in.starts_at_ms)
        e.starts_at_ms = *in.starts_at_ms;
    if (in.ends_at_ms)
        e.ends_at_ms = *in.ends_at_ms;
    if (in.capacity)
        e.capacity = *in.capacity;
    if (in.deadline_ms)
        e.deadline_ms = *in.deadline_ms;
    if (in.department_id)
        e.department_id = *in.department_id;
    if (in.points)
        e.points = *in.points;
    if (in.waiting_list)
        e.waiting_list = *in.waiting_list;
    if (in.status)
        e.status = *in.status;
    return e;
}

Result<void> validate(const Event& e) {
    if (e.title.empty() || e.title.size() > 200)
        return fail(Error::invalid("title must have between 1 and 200 characters", "title"));
    if (e.starts_at_ms <= 0)
        return fail(Error::invalid("starts_at is required", "starts_at"));
    if (e.ends_at_ms <= e.starts_at_ms)
        return fail(Error::invalid("ends_at must be after starts_at", "ends_at"));
    if (e.capacity && (*e.capacity < 1 || *e.capacity > kMaxCapacity))
        return fail(Error::invalid("capacity must be between 1 and 100000", "capacity"));
    if (e.deadline_ms && *e.deadline_ms > e.starts_at_ms)
        return fail(Error::invalid("registration_deadline must not be after starts_at",
                                   "registration_deadline"));
    if (e.points < 0 || e.points > kMaxPoints)
        return fail(Error::invalid("points must be between 0 and 100000", "points"));
    return {};
}

std::optional<Refusal> registration_refusal(const Event& e, std::int64_t now_ms) {
    if (e.status == Status::Cancelled)
        return Refusal::Cancelled;
    if (e.status != Status::Published)
        return Refusal::NotOpen;
    if (now_ms >= e.starts_at_ms)
        return Refusal::Past;
    if (now_ms >= e.registration_closes_ms())
        return Refusal::DeadlinePassed;
    if (auto free = e.free_places(); free && *free <= 0 && !e.waiting_list)
        return Refusal::Full;
    return std::nullopt;
}

const char* to_string(Refusal r) {
    switch (r) {
    case Refusal::NotOpen: return "not_open";
    case Refusal::Cancelled: return "cancelled";
    case Refusal::Past: return "past";
    case Refusal::DeadlinePassed: return "deadline";
    case Refusal::Full: return "full";
    }
    return "not_open";
}

Error to_error(Refusal r) {
    switch (r) {
    case Refusal::NotOpen: return Error::precondition("The event is not open for registration.");
    case Refusal::Cancelled: return Error::precondition("The event has been cancelled.");
    case Refusal::Past: return Error::precondition("The event has already started.");
    case Refusal::DeadlinePassed:
        return Error::precondition("The registration deadline has passed.");
    case Refusal::Full:
        return Error::precondition("The event is full and has no waiting list.");
    }
    return Error::precondition("The event is not open for registration.");
}

nlohmann::json to_json(const Event& e) {
    auto opt = [](const std::optional<std::int64_t>& v) -> nlohmann::json {
        return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
    };
    return {{"id", e.id},
            {"title", e.title},
            {"description", e.description},
            {"place", e.place},
            {"starts_at", iso_time(e.starts_at_ms)},
            {"ends_at", iso_time(e.ends_at_ms)},
            {"capacity", opt(e.capacity)},
            {"waiting_list", e.waiting_list},
            {"registration_deadline",
             e.deadline_ms ? nlohmann::json(iso_time(*e.deadline_ms)) : nlohmann::json(nullptr)},
            {"department_id", opt(e.department_id)},
            {"points", e.points},
            {"status", to_string(e.status)},
            {"registered", e.registered},
            {"waitlisted", e.waitlisted},
            {"checked_in", e.checked_in},
            {"free_places", opt(e.free_places())},
            {"created_at", iso_time(e.created_at_ms)},
            {"updated_at", iso_time(e.updated_at_ms)}};
}

} // namespace teilhabe::events
