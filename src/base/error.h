#pragma once
// Error and Result: expected failures travel as values, never as exceptions.
// Modelled on absl::Status codes; one function (http/problem.cpp) maps them to HTTP statuses.

#include <expected>
#include <string>
#include <utility>

namespace teilhabe {

enum class ErrorCode {
    InvalidArgument,    // the caller sent something malformed (400/422)
    NotFound,           // 404
    AlreadyExists,      // 409 (duplicate)
    Conflict,           // 409 (state does not allow it, e.g. voucher already redeemed)
    FailedPrecondition, // 412/422: the request is well-formed but the state forbids it
    Unauthenticated,    // 401
    PermissionDenied,   // 403
    ResourceExhausted,  // 429 or 413 (limits, rate limits)
    PayloadTooLarge,    // 413
    UnsupportedMedia,   // 415: a body in a format the route does not take
    Unavailable,        // 503: a dependency (database, SMTP) is not reachable; retry later
    Internal,           // 500: a bug or an unexpected failure of a library
};

const char* to_string(ErrorCode code);

struct Error {
    ErrorCode code{ErrorCode::Internal};
    std::string message;
    // Optional: which input field the error concerns (for forms and problem+json "errors").
    std::string field;

    static Error invalid(std::string msg, std::string field = {}) {
        return {ErrorCode::InvalidArgument, std::move(msg), std::move(field)};
    }
    static Error not_found(std::string msg) { return {ErrorCode::NotFound, std::move(msg), {}}; }
    static Error exists(std::string msg) { return {ErrorCode::AlreadyExists, std::move(msg), {}}; }
    static Error conflict(std::string msg) { return {ErrorCode::Conflict, std::move(msg), {}}; }
    static Error precondition(std::string msg) {
        return {ErrorCode::FailedPrecondition, std::move(msg), {}};
    }
    static Error denied(std::string msg) {
        return {ErrorCode::PermissionDenied, std::move(msg), {}};
    }
    static Error unauthenticated(std::string msg) {
        return {ErrorCode::Unauthenticated, std::move(msg), {}};
    }
    static Error exhausted(std::string msg) {
        return {ErrorCode::ResourceExhausted, std::move(msg), {}};
    }
    static Error unavailable(std::string msg) {
        return {ErrorCode::Unavailable, std::move(msg), {}};
    }
    static Error internal(std::string msg) { return {ErrorCode::Internal, std::move(msg), {}}; }
};

template <class T = void> using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(Error e) { return std::unexpected<Error>(std::move(e)); }

} // namespace teilhabe

// TRY(expr): evaluate a Result; on error return it from the enclosing function, otherwise yield
// the value. Uses a GNU statement expression, as SerenityOS's TRY does.
#define TRY(expr)                                                                                  \
    ({                                                                                             \
        auto _teilhabe_try = (expr);                                                               \
        if (!_teilhabe_try.has_value())                                                            \
            return std::unexpected<::teilhabe::Error>(std::move(_teilhabe_try.error()));           \
        std::move(_teilhabe_try).value();                                                          \
    })
