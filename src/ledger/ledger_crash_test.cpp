// kill -9 during a stream of transfers: every acknowledged transfer is in the ledger, and the
// ledger is balanced (each transfer is one transaction, committed before it is acknowledged).

#include "ledger/ledger_test_fixture.h"

#include <csignal>
#include <cstdio>
#include <set>
#include <sys/wait.h>
#include <unistd.h>

namespace teilhabe::ledger {
namespace {

class LedgerCrashTest : public testing::LedgerFixture {};

TEST_P(LedgerCrashTest, KillDuringTransfersLosesNoAcknowledgedTransfer) {
    auto anna = citizens[0];
    std::set<std::string> acked;
    for (int round = 0; round < 3; ++round) {
        int out[2];
        ASSERT_EQ(::pipe(out), 0);
        pid_t pid = ::fork();
        if (pid == 0) {
            ::dup2(out[1], 1);
            ::close(out[0]);
            auto id = std::to_string(anna);
            ::execl(TEILHABE_LEDGER_CRASH_FIXTURE, TEILHABE_LEDGER_CRASH_FIXTURE, m_t->url.c_str(),
                    id.c_str(), nullptr);
            ::_exit(127);
        }
        ::close(out[1]);
        FILE* f = ::fdopen(out[0], "r");
        char line[256] = {};
        // Kill it at a different point each round, in the middle of the stream.
        int want = 40 + round * 37;
        int got = 0;
        while (got < want && std::fgets(line, sizeof line, f)) {
            std::string s(line);
            ASSERT_TRUE(s.starts_with("ACK ")) << s;
            s = s.substr(4);
            if (!s.empty() && s.back() == '\n')
                s.pop_back();
            acked.insert("r" + std::to_string(round) + ":" + s);
            ++got;
        }
        ::kill(pid, SIGKILL);
        // What was printed after the last line we read may still be in the pipe: acknowledged too.
        while (std::fgets(line, sizeof line, f)) {
            std::string s(line);
            if (s.starts_with("ACK ") && s.ends_with("\n"))
                acked.insert("r" + std::to_string(round) + ":" + s.substr(4, s.size() - 5));
        }
        int status = 0;
        ::waitpid(pid, &status, 0);
        std::fclose(f);
        EXPECT_TRUE(WIFSIGNALED(status)) << "the fixture stopped by itself: " << status;
        ASSERT_EQ(got, want);
        // The keys of the next round must differ from this one's: rename what is stored.
        auto lease = db().acquire().value();
        ASSERT_TRUE(lease->execute("UPDATE ledger_transfers SET idempotency_key = ? || "
                                   "idempotency_key WHERE idempotency_key LIKE 'crash:%'",
                                   {"r" + std::to_string(round) + ":"}));
        auto r = check(*lease).value();
        EXPECT_TRUE(r.ok()) << r.problems.front();
    }
    auto lease = db().acquire().value();
    for (const auto& key : acked) {
        auto t = find_by_key(*lease, key).value();
        EXPECT_TRUE(t.has_value()) << "acknowledged but lost: " << key;
    }
    EXPECT_GE(acked.size(), 40u + 77u + 114u);
    check_or_abort(*lease);
}

INSTANTIATE_TEST_SUITE_P(Backends, LedgerCrashTest, ::testing::ValuesIn(db::testing::backends()),
                         [](const auto& info) { return db::testing::backend_name(info.param); });

} // namespace
} // namespace teilhabe::ledger
