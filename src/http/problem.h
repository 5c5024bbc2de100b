#pragma once
// RFC 9457 problem details: every API error leaves the server as application/problem+json.

#include "base/error.h"
#include "http/message.h"

#include <string>

namespace teilhabe::http {

// The one mapping from error codes to HTTP statuses.
int status_for(ErrorCode code);

// A problem+json response: {"type","title","status","detail"[,"errors":[{"field",...}]]}.
Response problem(int status, std::string title, std::string detail = {}, std::string field = {});
Response problem(const Error& error);

} // namespace teilhabe::http
