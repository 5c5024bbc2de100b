#include "points/points_json.h"

#include <fmt/format.h>

namespace teilhabe::points {

namespace {

nlohmann::json account_json(const ledger::AccountRef& a) {
    return {{"owner", ledger::to_string(a.owner)}, {"owner_id", a.owner_id}};
}

template <class T> nlohmann::json opt(const std::optional<T>& v) {
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

Result<std::optional<int>> read_cap(const nlohmann::json& body, const char* name,
                                    std::optional<int> current) {
    if (!body.contains(name))
        return current;
    const auto& v = body[name];
    if (v.is_null())
        return std::optional<int>{};
    if (!v.is_number_integer())
        return fail(Error::invalid(fmt::format("{} must be an integer or null", name), name));
    auto n = v.get<std::int64_t>();
    if (n < 1 || n > 1'000'000)
        return fail(Error::invalid(fmt::format("{} must be between 1 and 1000000", name), name));
    return std::optional<int>(static_cast<int>(n));
}

} // namespace

nlohmann::json to_json(const Rule& r) {
    return {{"id", r.id},
            {"name", r.name},
            {"activity_type", r.activity_type},
            {"filter", nlohmann::json::parse(r.filter, nullptr, false)},
            {"points", r.points},
            {"cap_per_day", opt(r.cap_per_day)},
            {"cap_per_month", opt(r.cap_per_month)},
            {"once_key", r.once_key},
            {"position", r.position},
            {"enabled", r.enabled}};
}

nlohmann::json to_json(const ledger::Entry& e) {
    return {{"transfer_id", e.transfer_id},
            {"currency", ledger::to_string(e.account.currency)},
            {"amount", e.amount},
            {"kind", e.kind},
            {"reason", e.reason},
            {"object", e.object},
            {"actor", e.actor},
            {"counterparty", account_json(e.counterparty)},
            {"created_at", format_iso8601(e.created_at)},
            {"reverses", opt(e.reverses)},
            {"reversed_by", opt(e.reversed_by)}};
}

nlohmann::json to_json(const ledger::Transfer& t) {
    return {{"id", t.id},
            {"currency", ledger::to_string(t.from.currency)},
            {"from", account_json(t.from)},
            {"to", account_json(t.to)},
            {"amount", t.amount},
            {"kind", t.kind},
            {"reason", t.reason},
            {"object", t.object},
            {"actor", t.actor},
            {"created_at", format_iso8601(t.created_at)},
            {"reverses", opt(t.reverses)}};
}

Result<Rule> rule_from_json(const nlohmann::json& body, const Rule& base) {
    Rule r = base;
    for (const auto& [key, _] : body.items())
        if (key != "name" && key != "activity_type" && key != "filter" && key != "points" &&
            key != "cap_per_day" && key != "cap_per_month" && key != "once_key" &&
            key != "position" && key != "enabled" && key != "id")
            return fail(Error::invalid("unknown member '" + key + "'", key));
    auto text = [&](const char* name, std::string& out) -> Result<void> {
        if (!body.contains(name))
            return {};
        if (!body[name].is_string())
            return fail(Error::invalid(fmt::format("{} must be a string", name), name));
        out = body[name].get<std::string>();
        return {};
    };
    TRY(text("name", r.name));
    TRY(text("activity_type", r.activity_type));
    TRY(text("once_key", r.once_key));
    if (body.contains("filter")) {
        if (!body["filter"].is_object())
            return fail(Error::invalid("filter must be a JSON object", "filter"));
        r.filter = body["filter"].dump();
    }
    if (body.contains("points")) {
        if (!body["points"].is_number_integer())
            return fail(Error::invalid("points must be an integer", "points"));
        r.points = body["points"].get<std::int64_t>();
    }
    if (body.contains("position")) {
        if (!body["position"].is_number_integer())
            return fail(Error::invalid("position must be an integer", "position"));
        auto p = body["position"].get<std::int64_t>();
        if (p < -1'000'000 || p > 1'000'000)
            return fail(Error::invalid("position is out of range", "position"));
        r.position = static_cast<int>(p);
    }
    if (body.contains("enabled")) {
        if (!body["enabled"].is_boolean())
            return fail(Error::invalid("enabled must be true or false", "enabled"));
        r.enabled = body["enabled"].get<bool>();
    }
    r.cap_per_day = TRY(read_cap(body, "cap_per_day", r.cap_per_day));
    r.cap_per_month = TRY(read_cap(body, "cap_per_month", r.cap_per_month));
    TRY(validate(r));
    return r;
}

} // namespace teilhabe::points
