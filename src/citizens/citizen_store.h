#pragma once
// SQL for citizen profiles: create, read, change, delete, list, and the restriction flag.
// Every function works inside the caller's transaction (db::Database::transaction), so that a
// change, its activity and its audit entry commit together or not at all.

#include "base/clock.h"
#include "citizens/citizen.h"
#include "citizens/citizen_query.h"
#include "db/connection.h"

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace teilhabe::citizens {
namespace detail {
class Definitions;
}

namespace store {

// AlreadyExists naming the address when another profile has the e-mail; InvalidArgument
// naming the member ("attributes.birth_year", "interests") when a value is not acceptable.
Result<Citizen> create_citizen(db::Connection& c, const CitizenChanges& in, const Actor& who,
                               const Clock& clock);
Result<std::optional<Citizen>> find_citizen(db::Connection& c, std::int64_t id);
// The id of the profile with this address, however it is typed.
Result<std::optional<std::int64_t>> find_citizen_id_by_email(db::Connection& c,
                                                             std::string_view email);
// Reading one full profile is audited (GDPR Art. 5(2) accountability): who, whom, from where.
Result<Citizen> read_citizen(db::Connection& c, std::int64_t id, const Actor& who,
                             const Clock& clock);
// A partial change; members not given stay. Nothing is written when nothing changes.
// Conflict while processing is restricted (GDPR Art. 18; set by gdpr/gdpr_store.h).
Result<Citizen> update_citizen(db::Connection& c, std::int64_t id, const CitizenChanges& in,
                               const Actor& who, const Clock& clock);
// GDPR Art. 17: the profile with its tags, interests and values (ON DELETE CASCADE).
Result<void> delete_citizen(db::Connection& c, std::int64_t id, const Actor& who,
                            const Clock& clock);

// How a list is looked up (not what it contains): tests lower the threshold to run both ways.
struct ListPlan {
    // A name prefix with fewer matches than this is looked up through the name indexes;
    // a more common one is checked on each person in id order (citizen_list.cpp). Both take
    // about as long at a million people and this many matches (bench/citizens).
    std::int64_t prefix_collect_below{5000};
};

// One page in id order; the filters of CitizenQuery all hold. Unknown field keys and topic
// keys are InvalidArgument naming the parameter.
Result<CitizenPage> list_citizens(db::Connection& c, const CitizenQuery& q,
                                  const ListPlan& plan = {});

// Many creates and changes in one transaction (the CSV import): the same checks and writes
// (activity and audit entry per person included) as create_citizen and update_citizen, but the
// field definitions and topics are read once, not per person and value, and the profiles are
// not read back. Valid while the transaction lasts.
class BatchWriter {
public:
    static Result<BatchWriter> start(db::Connection& c);
    BatchWriter(BatchWriter&&) noexcept;
    BatchWriter& operator=(BatchWriter&&) noexcept;
    ~BatchWriter();

    // As create_citizen; the new profile's id.
    Result<std::int64_t> create(const CitizenChanges& in, const Actor& who, const Clock& clock);
    // As update_citizen; false when nothing changed (and nothing was written).
    Result<bool> update(std::int64_t id, const CitizenChanges& in, const Actor& who,
                        const Clock& clock);

private:
    BatchWriter(db::Connection& c, std::unique_ptr<detail::Definitions> defs);
    db::Connection* m_c;
    std::unique_ptr<detail::Definitions> m_defs;
};

} // namespace store
} // namespace teilhabe::citizens
