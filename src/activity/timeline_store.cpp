#include "activity/timeline_store.h"

#include "db/dialect.h"

#include <charconv>
#include <fmt/format.h>

namespace teilhabe::activity {

// FOR SHARE: an activity recorded for a person waits for a merge or erasure of that person
// that is running (which locks the row FOR UPDATE), and such a merge or erasure waits for the
// activity's commit; either way the activity is never left behind pointing at a removed id.
Result<bool> citizen_exists(db::Connection& c, std::int64_t citizen_id) {
    auto rows = TRY(c.query(
        fmt::format("SELECT 1 FROM citizens WHERE id = ?{}", db::dialect::for_share(c.backend())),
        {citizen_id}));
    return !rows.empty();
}

Result<std::optional<std::int64_t>> citizen_by_email(db::Connection& c, const std::string& email) {
    auto rows = TRY(c.query(fmt::format("SELECT id FROM citizens WHERE email = ?{}",
                                        db::dialect::for_share(c.backend())),
                            {email}));
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
