#include "http/problem.h"

#include <nlohmann/json.hpp>

namespace teilhabe::http {

int status_for(ErrorCode code) {
    switch (code) {
    case ErrorCode::InvalidArgument: return 400;
    case ErrorCode::NotFound: return 404;
    case ErrorCode::AlreadyExists: return 409;
    case ErrorCode::Conflict: return 409;
    case ErrorCode::FailedPrecondition: return 422;
    case ErrorCode::Unauthenticated: return 401;
    case ErrorCode::PermissionDenied: return 403;
    case ErrorCode::ResourceExhausted: return 429;
    case ErrorCode::PayloadTooLarge: return 413;
    case ErrorCode::UnsupportedMedia: return 415;
    case ErrorCode::Unavailable: return 503;
    case ErrorCode::Internal: return 500;
    }
    return 500;
}

namespace {

const char* default_title(int status) {
    switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 503: return "Service Unavailable";
    default: return status >= 500 ? "Internal Server Error" : "Error";
    }
}

} // namespace

Response problem(int status, std::string title, std::string detail, std::string field) {
    nlohmann::json j;
    j["type"] = "about:blank";
    j["title"] = title.empty() ? default_title(status) : title;
    j["status"] = status;
    if (!detail.empty())
        j["detail"] = detail;
    if (!field.empty())
        j["errors"] = nlohmann::json::array({{{"field", field}, {"detail", detail}}});
    Response r = Response::text(status, j.dump(), "application/problem+json");
    return r;
}

Response problem(const Error& error) {
    int status = status_for(error.code);
    // Internal details are logged, not shown: a 500 never leaks SQL or paths.
    std::string detail = status >= 500 && status != 503 ? "An internal error occurred." : error.message;
    return problem(status, default_title(status), detail, error.field);
}

} // namespace teilhabe::http
