#include "web/dispatcher.h"

#include "http/problem.h"
#include "security/crypto.h"
#include "web/cookies.h"
#include "web/multipart.h"
#include "web/respond.h"
#include "web/templates.h"

#include <chrono>
#include <spdlog/spdlog.h>
#include <stdexcept>

namespace teilhabe::web {

namespace {

bool is_unsafe(http::Method m) {
    return m != http::Method::Get && m != http::Method::Head && m != http::Method::Options;
}

bool wants_html(const http::Request& req) {
    if (req.path.starts_with("/api/"))
        return false;
    auto accept = req.header("accept");
    return accept && accept->find("text/html") != std::string_view::npos;
}

std::int64_t steady_ms(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

void add_security_headers(http::Response& r, bool html) {
    r.set_header("X-Content-Type-Options", "nosniff");
    // A handler's stricter policy stays (the tracked link redirect sends no referrer on).
    if (!r.header("Referrer-Policy"))
        r.set_header("Referrer-Policy", "same-origin");
    // A handler that set its own policy keeps it (the sandboxed preview of an e-mail, whose
    // inline styles are the message's own and which is framed by our page).
    if (html && !r.header("Content-Security-Policy")) {
        r.set_header("Content-Security-Policy",
                     "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src "
                     "'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        r.set_header("X-Frame-Options", "DENY");
    }
    if (!r.header("Cache-Control"))
        r.set_header("Cache-Control", "no-store");
}

} // namespace

bool is_loopback(std::string_view addr) {
    return addr.starts_with("127.") || addr == "::1" || addr.starts_with("::ffff:127.");
}

std::string Principal::actor() const {
    switch (kind) {
    case Kind::Staff: return "staff:" + std::to_string(id);
    case Kind::ApiKey: return "apikey:" + std::to_string(id);
    case Kind::Citizen: return "citizen:" + std::to_string(id);
    case Kind::Anonymous: return "anonymous";
    }
    return "anonymous";
}

Dispatcher::Dispatcher(AppContext& app, std::vector<RouteDef> routes,
                       std::chrono::milliseconds log_window)
    : m_app(app), m_defs(std::move(routes)), m_log_window(log_window) {
    auto now = steady_ms(std::chrono::steady_clock::now());
    for (const auto& d : m_defs) {
        Tally* tally = nullptr;
        if (d.at_once) {
            // The lean path skips who is asking: only a route anybody may use can take it.
            if (d.permission != staff::Permission::Public)
                throw std::invalid_argument("an at_once handler on a route that is not Public: " + d.pattern);
            tally = m_tallies.emplace_back(std::make_unique<Tally>()).get();
            tally->since_ms = now;
        }
        m_router.add(d.method, d.pattern, Meta{&d, tally});
    }
}

Dispatcher::~Dispatcher() {
    auto now = steady_ms(std::chrono::steady_clock::now());
    for (const auto& r : m_router.routes())
        if (r.meta.tally)
            write_tally(*r.meta.def, *r.meta.tally, now - r.meta.tally->since_ms.exchange(now));
}

void Dispatcher::write_tally(const RouteDef& def, Tally& t, std::int64_t window_ms) {
    std::uint64_t n[6];
    std::uint64_t total = 0;
    for (int i = 0; i < 6; ++i)
        total += n[i] = t.by_class[i].exchange(0);
    auto sum = t.sum_us.exchange(0);
    auto max = t.max_us.exchange(0);
    auto secs = static_cast<double>(window_ms) / 1000.0;
    if (total == 0)
        return;
    spdlog::info("{} {}: {} answered at once in {:.0f}s (2xx {}, 3xx {}, 4xx {}, 5xx {}), mean {:.2f}ms, "
                 "max {:.1f}ms",
                 http::to_string(def.method), def.pattern, total, secs, n[1], n[2], n[3], n[4],
                 static_cast<double>(sum) / 1000.0 / static_cast<double>(total),
                 static_cast<double>(max) / 1000.0);
}

void Dispatcher::count(const RouteDef& def, Tally& t, int status,
                       std::chrono::steady_clock::time_point start) {
    auto end = std::chrono::steady_clock::now();
    auto us = static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(end - start).count());
    m_app.metrics.record_request(status, static_cast<double>(us) / 1e6);
    int cls = status >= 100 && status < 600 ? status / 100 - 1 : 5;
    t.by_class[cls].fetch_add(1, std::memory_order_relaxed);
    t.sum_us.fetch_add(us, std::memory_order_relaxed);
    auto seen = t.max_us.load(std::memory_order_relaxed);
    while (us > seen && !t.max_us.compare_exchange_weak(seen, us, std::memory_order_relaxed)) {
    }
    auto now = steady_ms(end);
    auto since = t.since_ms.load(std::memory_order_relaxed);
    // One thread wins the window's end and writes the line; the others go on.
    if (now - since >= m_log_window.count() &&
        t.since_ms.compare_exchange_strong(since, now, std::memory_order_relaxed))
        write_tally(def, t, now - since);
}

std::optional<http::Response> Dispatcher::answer_at_once(http::Request& req, const Meta& meta,
                                                         std::chrono::steady_clock::time_point start) {
    std::optional<http::Response> r;
    try {
        r = meta.def->at_once(req, m_app);
    } catch (const std::exception& e) {
        spdlog::error("{} {}: unhandled exception: {}", http::to_string(req.method), req.path, e.what());
        r = http::problem(500, "Internal Server Error", "An internal error occurred.");
    }
    if (!r)
        return r;
    add_security_headers(*r, r->header("Content-Type").value_or("").starts_with("text/html"));
    count(*meta.def, *meta.tally, r->status, start);
    return r;
}

Result<void> Dispatcher::authenticate(http::Request& req, RouteContext& ctx, Surface surface) {
    if (auto auth = req.header("authorization")) {
        if (!auth->starts_with("Bearer "))
            return fail(Error::unauthenticated("Use Authorization: Bearer <API key>."));
        auto key = TRY(m_app.auth.resolve_api_key(std::string(auth->substr(7))));
        if (!key)
            return fail(Error::unauthenticated("The API key is unknown or revoked."));
        ctx.who = {Principal::Kind::ApiKey, key->id, key->name, key->role, std::nullopt};
        return {};
    }
    if (auto token = req.cookie(session_cookie_name(m_app.settings))) {
        if (auto session = TRY(m_app.auth.resolve_session(*token))) {
            ctx.who = {Principal::Kind::Staff, session->user.id, session->user.email,
                       session->user.role, session};
            ctx.csrf_token = session->csrf_token;
            return {};
        }
    }
    // The portal's session only where a citizen's page is asked for, or a public page that
    // shows who is signed in: staff screens never see it.
    if (surface == Surface::Page && m_app.citizen_sessions && !req.path.starts_with("/admin")) {
        if (auto token = req.cookie(portal_session_cookie_name(m_app.settings))) {
            if (auto citizen = TRY(m_app.citizen_sessions(std::string(*token)))) {
                ctx.who.kind = Principal::Kind::Citizen;
                ctx.who.id = citizen->citizen_id;
                ctx.who.name = citizen->email;
                ctx.csrf_token = citizen->csrf_token;
                ctx.who.citizen = std::move(*citizen);
            }
        }
    }
    return {};
}

std::string Dispatcher::anonymous_csrf(const http::Request& req, RouteContext& ctx) const {
    // Signed double-submit cookie (OWASP): the form carries HMAC(secret, cookie value).
    auto name = csrf_cookie_name(m_app.settings);
    auto cookie = req.cookie(name);
    std::string value = cookie && cookie->size() == 43 ? *cookie : security::random_token(32);
    if (!cookie || *cookie != value)
        ctx.set_cookies.push_back(make_cookie(m_app.settings, name, value, -1));
    return security::hmac_sha256_hex(m_app.secret, "csrf|" + value);
}

bool Dispatcher::csrf_ok(const http::Request& req, const RouteContext& ctx) const {
    std::string sent;
    if (auto h = req.header("x-csrf-token"))
        sent = std::string(*h);
    else if (req.header("content-type").value_or("").starts_with(
                 "application/x-www-form-urlencoded"))
        sent = form_value(http::parse_form(req.body), "csrf");
    else if (req.header("content-type").value_or("").starts_with("multipart/form-data")) {
        // File uploads (the import screen): the token is a plain part of the form.
        if (auto parts = parse_multipart_request(*req.header("content-type"), req.body))
            sent = multipart_value(*parts, "csrf");
    }
    if (sent.empty() || ctx.csrf_token.empty())
        return false;
    return security::constant_time_equal(sent, ctx.csrf_token);
}

http::Response Dispatcher::not_found(http::Request& req, RouteContext& ctx) {
    if (wants_html(req))
        return error_page(ctx, 404, tr(ctx.locale, "error.not_found"));
    return http::problem(404, "Not Found", "There is nothing at " + req.path + ".");
}

http::Response Dispatcher::dispatch(http::Request& req, RouteContext& ctx, Match& match) {
    if (!match.route) {
        if (!match.path_known)
            return not_found(req, ctx);
        std::string allow;
        for (auto m : match.allowed)
            allow += (allow.empty() ? "" : ", ") + std::string(http::to_string(m));
        auto r = http::problem(405, "Method Not Allowed",
                               "Use " + allow + " for " + req.path + ".");
        r.set_header("Allow", allow);
        return r;
    }
    const RouteDef& def = *match.route->meta.def;
    bool api = def.surface == Surface::Api;
    if (auto a = authenticate(req, ctx, def.surface); !a) {
        if (a.error().code == ErrorCode::Unauthenticated && !api)
            return http::Response::redirect("/admin/login");
        auto r = http::problem(a.error());
        if (r.status == 401)
            r.set_header("WWW-Authenticate", "Bearer");
        return r;
    }
    if (ctx.who.kind == Principal::Kind::Anonymous && !api)
        ctx.csrf_token = anonymous_csrf(req, ctx);
    if (def.permission == staff::Permission::Metrics && is_loopback(req.remote_addr)) {
        // Prometheus on the same host.
    } else if (def.permission == staff::Permission::Citizen) {
        // The portal: a citizen's own pages. Staff are not citizens here.
        if (!ctx.who.is_citizen()) {
            if (!api)
                return http::Response::redirect("/portal/login?next=" +
                                                http::url_encode(req.path));
            return http::problem(401, "Unauthorized", "Sign in to the citizen portal.");
        }
    } else if (def.permission != staff::Permission::Public) {
        if (!ctx.who.signed_in()) {
            if (!api)
                return http::Response::redirect("/admin/login?next=" + http::url_encode(req.path));
            auto r = http::problem(401, "Unauthorized", "Sign in or send an API key.");
            r.set_header("WWW-Authenticate", "Bearer");
            return r;
        }
        if (!staff::allows(ctx.who.role, def.permission)) {
            if (!api)
                return error_page(ctx, 403, tr(ctx.locale, "error.forbidden"));
            return http::problem(403, "Forbidden",
                                 std::string("This needs the permission ") +
                                     staff::to_string(def.permission) + ".");
        }
    }
    if (is_unsafe(req.method) && def.csrf == Csrf::Check &&
        ctx.who.kind != Principal::Kind::ApiKey && !csrf_ok(req, ctx)) {
        if (!api)
            return error_page(ctx, 403, tr(ctx.locale, "error.csrf"));
        return http::problem(403, "Forbidden", "The CSRF token is missing or wrong.");
    }
    return def.handler(ctx);
}

http::Response Dispatcher::handle(http::Request& req) {
    auto start = std::chrono::steady_clock::now();
    auto match = m_router.match(req.method, req.path);
    if (match.route) {
        req.params = std::move(match.params);
        if (match.route->meta.tally)
            if (auto quick = answer_at_once(req, match.route->meta, start))
                return std::move(*quick);
    }
    RouteContext ctx{req, m_app, {}, choose_locale(req), {}, {}};
    http::Response r;
    try {
        r = dispatch(req, ctx, match);
    } catch (const std::exception& e) {
        spdlog::error("{} {}: unhandled exception: {}", http::to_string(req.method), req.path,
                      e.what());
        r = http::problem(500, "Internal Server Error", "An internal error occurred.");
    }
    for (auto& c : ctx.set_cookies)
        r.headers.emplace_back("Set-Cookie", std::move(c));
    add_security_headers(r, r.header("Content-Type").value_or("").starts_with("text/html"));
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    m_app.metrics.record_request(r.status, secs);
    spdlog::info("{} {} {} {:.1f}ms {} {}", http::to_string(req.method), req.path, r.status,
                 secs * 1000.0, req.remote_addr, ctx.who.actor());
    return r;
}

} // namespace teilhabe::web
