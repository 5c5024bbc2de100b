// Test-only process for the crash test in ledger_crash_test.cpp (never part of `teilhabe`).
// Usage: teilhabe_ledger_crash_fixture DB_URL CITIZEN_ID
// Streams transfers as fast as it can, each its own transaction: an award to the citizen, and
// every third step a payment from the citizen to a partner. After each commit it prints
// "ACK <key>" (flushed): an acknowledged transfer. It never stops; the test kills it with -9.

#include "db/database.h"
#include "ledger/ledger_store.h"

#include <cstdio>
#include <cstdlib>
#include <string>

using namespace teilhabe;
using namespace teilhabe::ledger;

int main(int argc, char** argv) {
    if (argc != 3)
        return 2;
    auto db = db::Database::open({.url = argv[1], .pool_size = 2});
    if (!db) {
        std::fprintf(stderr, "%s\n", db.error().message.c_str());
        return 1;
    }
    auto citizen = std::atoll(argv[2]);
    SystemClock clock;
    for (long i = 0;; ++i) {
        bool pay = i % 3 == 2;
        auto key = (pay ? "crash:pay:" : "crash:award:") + std::to_string(i);
        TransferRequest r{key,
                          pay ? AccountRef::citizen(citizen) : AccountRef::town(),
                          pay ? AccountRef::partner(1) : AccountRef::citizen(citizen),
                          pay ? 3 : 2,
                          std::string(pay ? kind::redemption : kind::award),
                          "",
                          "",
                          "system"};
        auto t = (*db)->transaction(db::TxMode::Write, [&](db::Connection& c) {
            return transfer(c, r, clock.now());
        });
        if (!t) {
            if (t.error().message == "insufficient balance")
                continue; // refused, not acknowledged
            std::fprintf(stderr, "%s\n", t.error().message.c_str());
            return 1;
        }
        std::printf("ACK %s\n", key.c_str());
        std::fflush(stdout);
    }
}
