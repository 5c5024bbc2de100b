#include "citizens/citizen_store.h"

#include "citizens/citizen_rows.h"
#include "citizens/citizen_writes.h"
#include "citizens/store_support.h"
#include "citizens/text.h"
#include "db/dialect.h"

#include <fmt/format.h>

namespace teilhabe::citizens::store {

namespace {

std::string subject(std::int64_t id) {
    return "citizen:" + std::to_string(id);
}

Result<std::optional<Citizen>> find_with(db::Connection& c, std::int64_t id,
                                         std::string_view lock) {
    auto rows = TRY(c.query(
        fmt::format("SELECT {} FROM citizens c WHERE c.id = ?{}", detail::kCitizenColumns, lock),
        {id}));
    if (rows.empty())
        return std::optional<Citizen>{};
    std::vector<Citizen> one{detail::citizen_from_row(rows.first())};
    TRY(detail::load_details(c, one));
    return std::optional<Citizen>(std::move(one.front()));
}

Result<Citizen> get_for_update(db::Connection& c, std::int64_t id) {
    auto found = TRY(find_with(c, id, db::dialect::for_update(c.backend())));
    if (!found)
        return fail(Error::not_found(fmt::format("There is no citizen {}.", id)));
    return std::move(*found);
}

Error duplicate(const std::string& email) {
    return Error::exists(
        fmt::format("There is already a person with the e-mail address {}.", email));
}

Result<void> ensure_email_free(db::Connection& c, const std::string& email,
                               std::optional<std::int64_t> self) {
    auto id = TRY(find_citizen_id_by_email(c, email));
    if (id && id != self)
        return fail(duplicate(email));
    return {};
}

// A unique violation that a concurrent insert caused between our check and our write.
template <class T> Result<T> name_duplicate(Result<T> r, const std::string& email) {
    if (!r && r.error().code == ErrorCode::AlreadyExists)
        return fail(duplicate(email));
    return r;
}

db::Params scalar_params(const Citizen& n) {
    return {n.email,
            n.first_name,
            n.last_name,
            lower(n.first_name),
            lower(n.last_name),
            to_string(n.language),
            to_string(n.preferred_channel),
            n.district};
}

// Applies the scalar members of a change and names those that differ.
void apply_scalars(const CitizenChanges& in, Citizen& n, std::vector<std::string>& changed) {
    auto set = [&](auto& slot, const auto& value, const char* name) {
        if (value && *value != slot) {
            slot = *value;
            changed.push_back(name);
        }
    };
    set(n.email, in.email, "email");
    set(n.first_name, in.first_name, "first_name");
    set(n.last_name, in.last_name, "last_name");
    set(n.language, in.language, "language");
    set(n.preferred_channel, in.preferred_channel, "preferred_channel");
    set(n.district, in.district, "district");
    set(n.tags, in.tags, "tags");
    set(n.interests, in.interests, "interests");
}

Result<void> record_change(db::Connection& c, const std::string& type, std::int64_t id,
                           const nlohmann::json& props, const std::string& detail, const Actor& who,
                           const Clock& clock) {
    TRY(detail::record_activity(c, type, id, subject(id), props, who, clock));
    return detail::audit(c, who, type, subject(id), detail, clock);
}

std::string joined(const std::vector<std::string>& keys) {
    std::string out;
    for (const auto& k : keys)
        out += (out.empty() ? "" : ", ") + k;
    return out;
}

// create_citizen without reading the profile back; the definitions are the caller's.
Result<std::int64_t> insert_citizen(db::Connection& c, const detail::Definitions& defs,
                                    const CitizenChanges& in, const Actor& who,
                                    const Clock& clock) {
    if (!in.email)
        return fail(Error::invalid("The e-mail address is missing.", "email"));
    // Everything is checked before the first write; an error still rolls the transaction back.
    TRY(ensure_email_free(c, *in.email, std::nullopt));
    auto writes = TRY(detail::plan_attributes(defs, in, {}));
    TRY(detail::check_required(defs, writes));
    if (in.interests)
        TRY(detail::topic_ids(defs, *in.interests));

    Citizen n;
    std::vector<std::string> ignored;
    apply_scalars(in, n, ignored);
    auto now = clock.now_ms();
    db::Params p = scalar_params(n);
    p.emplace_back(now);
    p.emplace_back(now);
    auto row = TRY(name_duplicate(
        c.query_one("INSERT INTO citizens (email, first_name, last_name, first_name_search, "
                    "last_name_search, language, preferred_channel, district, created_at, "
                    "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    p),
        n.email));
    auto id = row.get_int(0);
    TRY(detail::write_tags(c, id, {}, n.tags));
    TRY(detail::write_interests(c, defs, id, {}, n.interests, now));
    TRY(detail::insert_attributes(c, id, writes, now));
    TRY(record_change(c, "citizen.created", id, nlohmann::json::object(), "", who, clock));
    return id;
}

// update_citizen on a profile read FOR UPDATE; false when nothing changes (nothing written).
Result<bool> change_citizen(db::Connection& c, const detail::Definitions& defs,
                            const Citizen& before, const CitizenChanges& in, const Actor& who,
                            const Clock& clock) {
    if (before.restricted_at)
        return fail(Error::conflict(
            "Processing of this person's data is restricted (GDPR Art. 18); the data "
            "protection officer can lift the restriction."));
    const std::int64_t id = before.id;
    Citizen n = before;
    std::vector<std::string> changed;
    apply_scalars(in, n, changed);
    if (n.email != before.email)
        TRY(ensure_email_free(c, n.email, id));
    if (n.interests != before.interests)
        TRY(detail::topic_ids(defs, n.interests));
    auto current = TRY(detail::stored_texts(c, id));
    auto writes = TRY(detail::plan_attributes(defs, in, current));
    for (const auto& w : writes)
        changed.push_back("attributes." + w.def.key);
    if (changed.empty())
        return false;

    auto now = clock.now_ms();
    db::Params p = scalar_params(n);
    p.emplace_back(now);
    p.emplace_back(id);
    TRY(name_duplicate(c.query("UPDATE citizens SET email = ?, first_name = ?, last_name = ?, "
                               "first_name_search = ?, last_name_search = ?, language = ?, "
                               "preferred_channel = ?, district = ?, updated_at = ? WHERE id = ?",
                               p),
                       n.email));
    TRY(detail::write_tags(c, id, before.tags, n.tags));
    TRY(detail::write_interests(c, defs, id, before.interests, n.interests, now));
    TRY(detail::write_attributes(c, id, writes, now));
    // The names of what changed, never the values: the activity log outlives corrections.
    TRY(record_change(c, "citizen.updated", id, {{"changed", changed}},
                      "changed: " + joined(changed), who, clock));
    return true;
}

} // namespace

Result<std::optional<Citizen>> find_citizen(db::Connection& c, std::int64_t id) {
    return find_with(c, id, "");
}

Result<std::optional<std::int64_t>> find_citizen_id_by_email(db::Connection& c,
                                                             std::string_view email) {
    auto rows = TRY(c.query("SELECT id FROM citizens WHERE email = ?", {normalise_email(email)}));
    if (rows.empty())
        return std::optional<std::int64_t>{};
    return std::optional<std::int64_t>(rows.first().get_int(0));
}

Result<Citizen> create_citizen(db::Connection& c, const CitizenChanges& in, const Actor& who,
                               const Clock& clock) {
    auto defs = TRY(detail::Definitions::load(c));
    auto id = TRY(insert_citizen(c, defs, in, who, clock));
    auto created = TRY(find_citizen(c, id));
    return std::move(*created);
}

Result<Citizen> read_citizen(db::Connection& c, std::int64_t id, const Actor& who,
                             const Clock& clock) {
    auto found = TRY(find_citizen(c, id));
    if (!found)
        return fail(Error::not_found(fmt::format("There is no citizen {}.", id)));
    TRY(detail::audit(c, who, "citizen.read", subject(id), "", clock));
    return std::move(*found);
}

Result<Citizen> update_citizen(db::Connection& c, std::int64_t id, const CitizenChanges& in,
                               const Actor& who, const Clock& clock) {
    Citizen before = TRY(get_for_update(c, id));
    auto defs = TRY(detail::Definitions::load(c));
    if (!TRY(change_citizen(c, defs, before, in, who, clock)))
        return before;
    auto updated = TRY(find_citizen(c, id));
    return std::move(*updated);
}

Result<void> delete_citizen(db::Connection& c, std::int64_t id, const Actor& who,
                            const Clock& clock) {
    auto rows = TRY(c.query("DELETE FROM citizens WHERE id = ?", {id}));
    if (rows.affected == 0)
        return fail(Error::not_found(fmt::format("There is no citizen {}.", id)));
    return record_change(c, "citizen.deleted", id, nlohmann::json::object(), "", who, clock);
}

BatchWriter::BatchWriter(db::Connection& c, std::unique_ptr<detail::Definitions> defs)
    : m_c(&c), m_defs(std::move(defs)) {}
BatchWriter::BatchWriter(BatchWriter&&) noexcept = default;
BatchWriter& BatchWriter::operator=(BatchWriter&&) noexcept = default;
BatchWriter::~BatchWriter() = default;

Result<BatchWriter> BatchWriter::start(db::Connection& c) {
    auto defs = TRY(detail::Definitions::load(c));
    return BatchWriter(c, std::make_unique<detail::Definitions>(std::move(defs)));
}

Result<std::int64_t> BatchWriter::create(const CitizenChanges& in, const Actor& who,
                                         const Clock& clock) {
    return insert_citizen(*m_c, *m_defs, in, who, clock);
}

Result<bool> BatchWriter::update(std::int64_t id, const CitizenChanges& in, const Actor& who,
                                 const Clock& clock) {
    Citizen before = TRY(get_for_update(*m_c, id));
    return change_citizen(*m_c, *m_defs, before, in, who, clock);
}

} // namespace teilhabe::citizens::store
