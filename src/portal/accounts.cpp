#include "portal/accounts.h"

#include "base/email.h"
#include "citizens/citizen.h"
#include "citizens/citizen_store.h"
#include "portal/account_store.h"

namespace teilhabe::portal {

Result<std::int64_t> open_account(db::Connection& c, const OpenAccount& in, const Clock& clock) {
    auto email = normalise_email(in.email);
    if (TRY(store::find_account_by_email(c, email)))
        return fail(Error::exists("There is a portal account with this e-mail address."));
    auto citizen_id = TRY(citizens::store::find_citizen_id_by_email(c, email));
    if (!citizen_id) {
        auto changes = TRY(citizens::parse_citizen_input({{"email", email}},
                                                         citizens::InputMode::Create));
        citizen_id = TRY(citizens::store::create_citizen(c, changes, {in.actor, ""}, clock)).id;
    } else if (TRY(store::find_account_by_citizen(c, *citizen_id))) {
        return fail(Error::exists("This profile has a portal account already."));
    }
    auto now = clock.now_ms();
    return store::insert_account(c,
                                 {.citizen_id = *citizen_id,
                                  .email = email,
                                  .password_hash = in.password_hash,
                                  .language = in.language,
                                  .verified_at = in.verified ? std::optional(now) : std::nullopt},
                                 now);
}

} // namespace teilhabe::portal
