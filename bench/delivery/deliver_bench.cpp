// Delivers N queued messages through the outbox sender to an SMTP server (smtp-sink) and
// prints the rate: the whole path of production (claim with lease, suppression check, send,
// one commit per message) on a SQLite file. Usage: teilhabe_delivery_bench PORT N CONNECTIONS DB
// (run by bench/delivery/run.sh beside Postfix's smtp-source).

#include "db/database.h"
#include "db/migrator.h"
#include "delivery/outbox_store.h"
#include "delivery/sender.h"

#include <chrono>
#include <cstdio>
#include <fmt/format.h>
#include <string>
#include <thread>

using namespace teilhabe;

int main(int argc, char** argv) {
    if (argc != 5) {
        std::fprintf(stderr, "usage: %s PORT MESSAGES CONNECTIONS DBFILE\n", argv[0]);
        return 2;
    }
    int port = std::stoi(argv[1]);
    int messages = std::stoi(argv[2]);
    unsigned connections = static_cast<unsigned>(std::stoul(argv[3]));
    SystemClock clock;
    auto db = db::Database::open({.url = std::string("sqlite:") + argv[4], .pool_size = connections + 2});
    if (!db || !db::migrate(**db, clock)) {
        std::fprintf(stderr, "cannot open the database\n");
        return 1;
    }
    std::string body(1000, 'x'); // about smtp-source -l 1000
    for (std::size_t i = 76; i < body.size(); i += 78)
        body.replace(i, 2, "\r\n");
    auto filled = (*db)->transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<void> {
        for (int i = 0; i < messages; ++i)
            TRY(delivery::outbox::enqueue_transactional(
                c, fmt::format("r{}@example.org", i),
                fmt::format("From: a@musterstadt.example\r\nTo: r{}@example.org\r\nSubject: "
                            "Bench\r\n\r\n{}\r\n",
                            i, body),
                std::nullopt, clock));
        return {};
    });
    if (!filled) {
        std::fprintf(stderr, "%s\n", filled.error().message.c_str());
        return 1;
    }
    delivery::SmtpSettings smtp{.host = "127.0.0.1", .port = static_cast<std::uint16_t>(port)};
    delivery::TransactionalSource source;
    delivery::Sender sender(**db, clock, [smtp] { return std::make_unique<delivery::SmtpClient>(smtp); },
                            {.worker_id = "bench",
                             .connections = connections,
                             .batch = 50,
                             .lease = std::chrono::minutes(30),
                             .idle_poll = std::chrono::milliseconds(20),
                             .fallback_from = "a@musterstadt.example"});
    sender.register_source(delivery::OutboxKind::Transactional, source);
    auto start = std::chrono::steady_clock::now();
    sender.start();
    std::int64_t open = messages;
    while (open > 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        auto row = (*db)->transaction(db::TxMode::Read, [](db::Connection& c) {
            // Each state on its own: both are counted in their partial index (migration 0014).
            return c.query_one("SELECT (SELECT COUNT(*) FROM outbox WHERE state = 'queued') + "
                               "(SELECT COUNT(*) FROM outbox WHERE state = 'claimed')");
        });
        if (row)
            open = row->get_int(0);
    }
    auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    sender.stop();
    auto sent = (*db)->transaction(db::TxMode::Read, [](db::Connection& c) {
        return c.query_one("SELECT COUNT(*) FROM outbox WHERE state = 'sent'");
    });
    std::printf("teilhabe: %d messages (%lld sent) in %.2f s = %.0f messages/s\n", messages,
                static_cast<long long>(sent ? sent->get_int(0) : -1), seconds, messages / seconds);
    return 0;
}
