#include "activity/timeline_store.h"

#include <charconv>

namespace teilhabe::activity {

Result<bool> citizen_exists(db::Connection& c, std::int64_t citizen_id) {
    auto rows = TRY(c.query("SELECT 1 FROM citizens WHERE id = ?", {citizen_id}));
    return !rows.empty();
}

Result<std::optional<std::int64_t>> citizen_by_email(db::Connection& c, const std::string& email) {
    auto rows = TRY(c.query("SELECT id FROM citizens WHERE email = ?", {email}));
    if (rows.empty())
        return std::optional<std::int64_t>{};
    return std::optional<std::int64_t>(rows.first().get_int(0));
}

namespace {

std::optional<std::int64_t> id_after(const std::string& actor, std::string_view prefix) {
    if (!actor.starts_with(prefix))
        return std::nullopt;
    std::int64_t id = 0;
    const char* begin = actor.data() + prefix.size();
    const char* end = actor.data() + actor.size();
    auto [ptr, ec] = std::from_chars(begin, end, id);
    if (ec != std::errc{} || ptr != end)
        return std::nullopt;
    return id;
}

} // namespace

Result<std::map<std::string, std::string>> actor_names(db::Connection& c,
                                                       const std::set<std::string>& actors) {
    std::map<std::string, std::string> out;
    for (const auto& actor : actors) {
        if (auto id = id_after(actor, "staff:")) {
            auto rows = TRY(c.query("SELECT email FROM staff_users WHERE id = ?", {*id}));
            if (!rows.empty())
                out[actor] = rows.first().get_text(0);
        } else if (auto key = id_after(actor, "apikey:")) {
            auto rows = TRY(c.query("SELECT name FROM api_keys WHERE id = ?", {*key}));
            if (!rows.empty())
                out[actor] = "API: " + rows.first().get_text(0);
        }
    }
    return out;
}

} // namespace teilhabe::activity
