#include "base/error.h"

namespace teilhabe {

const char* to_string(ErrorCode code) {
    switch (code) {
    case ErrorCode::InvalidArgument: return "invalid_argument";
    case ErrorCode::NotFound: return "not_found";
    case ErrorCode::AlreadyExists: return "already_exists";
    case ErrorCode::Conflict: return "conflict";
    case ErrorCode::FailedPrecondition: return "failed_precondition";
    case ErrorCode::Unauthenticated: return "unauthenticated";
    case ErrorCode::PermissionDenied: return "permission_denied";
    case ErrorCode::ResourceExhausted: return "resource_exhausted";
    case ErrorCode::PayloadTooLarge: return "payload_too_large";
    case ErrorCode::UnsupportedMedia: return "unsupported_media";
    case ErrorCode::Unavailable: return "unavailable";
    case ErrorCode::Internal: return "internal";
    }
    return "internal";
}

} // namespace teilhabe
