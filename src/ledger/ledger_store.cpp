#include "ledger/ledger_store.h"

namespace teilhabe::ledger {

// First commit: the API only, so that the shop can build on it; the SQL follows.
Result<Transfer> transfer(db::Connection&, const TransferRequest& r, TimePoint, ExpiryPolicy) {
    TRY(validate(r));
    return fail(Error::internal("ledger: not implemented yet"));
}
Result<Transfer> reverse(db::Connection&, std::int64_t, std::string, std::string, std::string,
                         TimePoint) {
    return fail(Error::internal("ledger: not implemented yet"));
}
Result<std::int64_t> balance(db::Connection&, const AccountRef&) {
    return fail(Error::internal("ledger: not implemented yet"));
}
Result<std::optional<Transfer>> find_transfer(db::Connection&, std::int64_t) {
    return fail(Error::internal("ledger: not implemented yet"));
}
Result<std::optional<Transfer>> find_by_key(db::Connection&, std::string_view) {
    return fail(Error::internal("ledger: not implemented yet"));
}
Result<std::vector<Entry>> entries(db::Connection&, const AccountRef&, int, std::int64_t) {
    return fail(Error::internal("ledger: not implemented yet"));
}
Result<int> expire_due(db::Connection&, TimePoint, int) {
    return fail(Error::internal("ledger: not implemented yet"));
}
Result<PendingExpiry> pending_expiry(db::Connection&, std::int64_t) {
    return fail(Error::internal("ledger: not implemented yet"));
}
Result<CheckReport> check(db::Connection&) {
    return fail(Error::internal("ledger: not implemented yet"));
}
void check_or_abort(db::Connection&) {}
Result<void> anonymise_citizen(db::Connection&, std::int64_t, TimePoint) {
    return fail(Error::internal("ledger: not implemented yet"));
}

} // namespace teilhabe::ledger
