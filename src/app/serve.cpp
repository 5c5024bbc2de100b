#include "admin/routes.h"
#include "app/commands.h"
#include "app/consumers.h"
#include "app/mail_setup.h"
#include "app/portal_mail.h"
#include "app/event_mail.h"
#include "events/registration_store.h"
#include "events/reminder_check.h"
#include "campaigns/campaign_source.h"
#include "campaigns/click_recorder.h"
#include "campaigns/jobs.h"
#include "app/runtime.h"
#include "app/system_routes.h"
#include "delivery/sender.h"
#include "delivery/verp.h"
#include "delivery/wakeup.h"
#include "http/server.h"
#include "imports/import_job.h"
#include "jobs/job_store.h"
#include "jobs/worker.h"
#include "points/expiry_job.h"
#include "app/journey_seams.h"
#include "journeys/consumer.h"
#include "journeys/engine.h"
#include "journeys/journey_store.h"
#include "portal/account_store.h"
#include "portal/routes.h"
#include "portal/session_service.h"
#include "portal/token_store.h"
#include "segments/jobs.h"
#include "staff/staff_store.h"
#include "web/dispatcher.h"
#include "webhooks/curl_sender.h"
#include "webhooks/delivery.h"

#include <csignal>
#include <pthread.h>
#include <spdlog/spdlog.h>
#include <thread>
#include <unistd.h>

namespace teilhabe::app {

namespace {

// Housekeeping as a durable job that plans its own next run: expired staff and portal sessions
// and old log-in failures are deleted every hour by whichever instance claims it.
void register_maintenance(jobs::Worker& worker, Runtime& rt, const staff::AuthPolicy& policy) {
    worker.register_handler("maintenance.sessions", [&rt, policy](const jobs::Job&) -> Result<void> {
        return rt.db->transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<void> {
            auto now = rt.clock.now_ms();
            TRY(staff::store::delete_expired_sessions(c, now - policy.idle_timeout.count(), now));
            TRY(staff::store::prune_login_failures(c, now - 24 * 3600 * 1000));
            TRY(portal::store::delete_expired_sessions(
                c, now - portal::SessionPolicy{}.idle_timeout.count(), now));
            // Portal links used or expired a day ago (a registration holds a password's hash).
            TRY(portal::store::delete_old_registrations(c, now - 24 * 3600 * 1000));
            TRY(portal::store::delete_old_account_tokens(c, now - 24 * 3600 * 1000));
            auto next_hour = (now / 3'600'000 + 1) * 3'600'000;
            TRY(jobs::enqueue(c,
                              {.kind = "maintenance.sessions",
                               .due_at = from_unix_ms(next_hour),
                               .unique_key = "maintenance.sessions:" + std::to_string(next_hour)},
                              rt.clock));
            return {};
        });
    });
    auto first = rt.db->transaction(db::TxMode::Write, [&](db::Connection& c) {
        auto hour = rt.clock.now_ms() / 3'600'000 * 3'600'000;
        return jobs::enqueue(c, {.kind = "maintenance.sessions",
                                 .unique_key = "maintenance.sessions:" + std::to_string(hour)},
                             rt.clock);
    });
    if (!first)
        spdlog::warn("could not plan maintenance: {}", first.error().message);
}

// The portal's settings from the operator's configuration.
portal::MeSettings portal_settings(const Config& config) {
    portal::MeSettings s;
    s.profiling.ask_again_after =
        std::chrono::duration_cast<Millis>(std::chrono::hours(24) * config.portal_ask_again_days);
    return s;
}

// The outbox sender, when an MTA is configured. Envelope senders are VERP addresses at the
// domain of mail_from (delivery/verp.h), so bounces find their row.
std::unique_ptr<delivery::Sender> make_sender(const Config& config, Runtime& rt) {
    if (config.smtp.empty()) {
        spdlog::info("no smtp configured: e-mails stay in the outbox");
        return nullptr;
    }
    auto settings = delivery::parse_smtp_url(config.smtp);
    if (!settings)
        return nullptr; // validate() already refused it
    auto from = delivery::bare_address(config.mail_from);
    settings->helo = delivery::domain_of(from).empty() ? "localhost" : delivery::domain_of(from);
    delivery::SenderOptions options{
        .worker_id = fmt::format("{}-{}", config.listen, ::getpid()),
        .connections = config.smtp_connections,
        .lease = std::chrono::seconds(config.smtp_lease_seconds),
        .rate_per_minute = config.smtp_rate_per_minute,
        .rate_per_hour = config.smtp_rate_per_hour,
        .verp_secret = rt.secret,
        .bounce_domain = delivery::domain_of(from),
        .fallback_from = from,
    };
    spdlog::info("sending e-mail through {} with {} connection(s)", settings->display(),
                 config.smtp_connections);
    return std::make_unique<delivery::Sender>(
        *rt.db, rt.clock,
        [s = *settings] { return std::make_unique<delivery::SmtpClient>(s); }, options);
}

// The town's quiet hours (quiet_hours / TEILHABE_QUIET_HOURS, checked by load_config).
journeys::QuietHours town_quiet_hours(const Config& config) {
    return journeys::parse_quiet_hours_setting(config.quiet_hours).value_or(journeys::QuietHours{});
}

// The journeys' engine settings: the town's quiet hours and the mail's sender, frame and links.
journeys::EngineSettings journey_settings(const Config& config, Runtime& rt,
                                          std::shared_ptr<const mail::DkimSigner> dkim) {
    journeys::EngineSettings s;
    s.quiet_hours = town_quiet_hours(config);
    s.mail = {.base_url = config.effective_base_url(),
              .secret = rt.secret,
              .from = sender_of(config),
              .layout = layout_of(config),
              .dkim = std::move(dkim)};
    return s;
}

} // namespace

int cmd_serve(const Config& config) {
    // Block the stop signals in every thread; one thread waits for them with sigwait, so no
    // work happens inside a signal handler.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);

    auto rt = open_runtime(config);
    if (!rt)
        return 1;
    Metrics metrics;
    web::WebSettings settings{.base_url = config.effective_base_url(),
                              .town_name = config.town_name,
                              .secure_cookies = config.effective_base_url().starts_with("https://"),
                              .max_body_bytes = config.max_body_bytes};
    webhooks::CurlSender webhook_sender; // before the worker, whose handlers use it
    jobs::Worker worker(*rt->db, rt->clock,
                        {.worker_id = fmt::format("{}-{}", config.listen, ::getpid())});
    auto dkim = dkim_of(config);
    if (!dkim) {
        spdlog::critical("{}", dkim.error().message);
        return 1;
    }
    campaigns::CampaignSource campaign_mail(*rt->db, rt->clock,
                                            {.base_url = settings.base_url,
                                             .secret = rt->secret,
                                             .from = sender_of(config),
                                             .layout = layout_of(config),
                                             .dkim = *dkim});
    campaigns::ClickRecorder clicks(*rt->db, rt->clock);
    web::AppContext ctx{*rt->db, rt->clock, settings, *rt->auth, metrics, rt->secret, &worker};
    ctx.campaign_mail = &campaign_mail;
    ctx.clicks = &clicks;
    ctx.citizen_sessions = portal::session_resolver(*rt->db, rt->clock);
    delivery::Wakeup mail_wakeup; // queued mail wakes the sender (connected below)
    ctx.mail_wakeup = &mail_wakeup;
    // Tells people about their event registrations (moved up, event cancelled). The erasure of
    // a person frees their places in future events and moves the waiting list up with it.
    auto event_mail = event_mailer({sender_of(config), config.town_name, *dkim}, settings.base_url,
                                   rt->clock);
    ctx.before_erasure = [&clock = rt->clock, event_mail](db::Connection& c, std::int64_t citizen,
                                                           const std::string& actor) -> Result<void> {
        TRY(events::store::release_places_of(c, citizen, actor, clock, event_mail));
        return {};
    };
    SegmentConditions journey_conditions; // journeys' branch rules are segment rules
    LedgerPoints journey_points;          // journeys' awards are ledger transfers
    web::Dispatcher dispatcher(
        ctx, all_routes(confirmation_mailer({sender_of(config), config.town_name, *dkim}, rt->clock),
                        portal_mailer({sender_of(config), config.town_name, *dkim}, rt->clock),
                        portal_settings(config), &journey_conditions,
                        {.max_balance_cents = config.stadttaler_max_balance_cents,
                         .webhook_secret = config.stadttaler_webhook_secret,
                         .request_ttl_ms = config.stadttaler_request_minutes * 60'000},
                        town_quiet_hours(config),
                        event_mail));
    campaigns::register_jobs(worker, *rt->db, rt->clock, &mail_wakeup);
    register_maintenance(worker, *rt, rt->auth->policy());
    if (auto w = webhooks::register_handlers(worker, *rt->db, rt->clock, webhook_sender); !w)
        spdlog::warn("could not plan the pruning of webhook deliveries: {}", w.error().message);
    imports::register_import_jobs(worker, *rt->db, rt->clock);
    if (auto e = points::register_expiry(worker, *rt->db, rt->clock); !e)
        spdlog::warn("could not plan the expiry of points: {}", e.error().message);
    segments::register_jobs(worker, *rt->db, rt->clock);
    delivery::TransactionalSource transactional_mail;
    auto sender = make_sender(config, *rt);
    if (sender) {
        sender->register_source(delivery::OutboxKind::Transactional, transactional_mail);
        sender->register_source(delivery::OutboxKind::Campaign, campaign_mail);
    }
    // Journeys: the ready-made ones exist (switched off) and the engine walks people through
    // the steps; branch rules are segment rules and awards go through the ledger.
    auto journey_config = journey_settings(config, *rt, *dkim);
    if (auto seeded = rt->db->transaction(db::TxMode::Write, [&](db::Connection& c) {
            return journeys::store::seed_ready_made(c, rt->clock);
        });
        !seeded)
        spdlog::warn("could not add the ready-made journeys: {}", seeded.error().message);
    events::RegistrationCheck event_registrations; // no reminder after a cancellation
    journeys::Engine journey_engine(*rt->db, rt->clock, journey_config, &journey_conditions,
                                    &journey_points, &event_registrations);
    journey_engine.on_mail_queued([&mail_wakeup] { mail_wakeup.notify(); });
    if (auto d = journeys::register_date_job(worker, *rt->db, rt->clock, journey_config,
                                             [&journey_engine] { journey_engine.notify(); });
        !d)
        spdlog::warn("could not plan the journeys' date job: {}", d.error().message);
    // The activity consumers queue jobs and enrol people in journeys; the worker and the
    // journeys' engine are woken to run them at once.
    ConsumerLoop consumers(*rt->db, rt->clock, all_consumers(rt->clock, journey_config), {},
                           [&worker, &journey_engine] {
                               worker.notify();
                               journey_engine.notify();
                           });

    http::Server server({.host = config.host(),
                         .port = config.port(),
                         .threads = config.threads,
                         .max_body_bytes = config.max_body_bytes},
                        [&](http::Request& req) { return dispatcher.handle(req); });
    if (auto l = server.listen(); !l) {
        spdlog::critical("cannot listen on {}: {}", config.listen, l.error().message);
        return 1;
    }
    worker.start(config.workers);
    journey_engine.start();
    consumers.start();
    clicks.start();
    if (sender) {
        sender->start();
        mail_wakeup.connect([s = sender.get()] { s->notify(); });
    }
    std::thread signal_waiter([&] {
        int sig = 0;
        sigwait(&stop_signals, &sig);
        spdlog::info("signal {} received: finishing requests and stopping", sig);
        server.stop();
    });
    spdlog::info("Teilhabe listening on http://{}:{} (database {}, public address {})",
                 config.host(), server.port(), rt->db->url_for_display(), settings.base_url);
    server.run();
    clicks.stop(); // writes the clicks that came in last
    if (sender) {
        mail_wakeup.disconnect();
        sender->stop();
    }
    consumers.stop();
    journey_engine.stop();
    worker.stop();
    // Wake the signal thread if run() ended for another reason.
    pthread_kill(signal_waiter.native_handle(), SIGTERM);
    signal_waiter.join();
    spdlog::info("stopped");
    return 0;
}

} // namespace teilhabe::app
