#include "web/dispatcher.h"

#include "http/problem.h"
#include "security/crypto.h"
#include "web/cookies.h"
#include "web/multipart.h"
#include "web/respond.h"
#include "web/templates.h"

#include <chrono>
#include <spdlog/spdlog.h>

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

void add_security_headers(http::Response& r, bool html) {
    r.set_header("X-Content-Type-Options", "nosniff");
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

Dispatcher::Dispatcher(AppContext& app, std::vector<RouteDef> routes)
    : m_app(app), m_defs(std::move(routes)) {
    for (const auto& d : m_defs)
        m_router.add(d.method, d.pattern, Meta{&d});
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

http::Response Dispatcher::dispatch(http::Request& req, RouteContext& ctx) {
    auto match = m_router.match(req.method, req.path);
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
    req.params = std::move(match.params);
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
    RouteContext ctx{req, m_app, {}, choose_locale(req), {}, {}};
    http::Response r;
    try {
        r = dispatch(req, ctx);
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
