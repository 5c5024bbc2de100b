#pragma once
// A response body produced while it is sent (exports of many rows, a generated file): the
// server pulls it part by part, so the whole body never has to be in memory at once.

#include "base/error.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace teilhabe::http {

class BodyStream {
public:
    virtual ~BodyStream() = default;
    // Appends the next part of the body to `out` (given empty) and returns true, or returns
    // false at the end. An error after the headers went out can no longer change the status:
    // the server then closes the connection without ending the body, so the client sees a
    // broken transfer rather than a shortened file that looks complete.
    virtual Result<bool> next(std::string& out) = 0;
    // The whole length when it is known before the first part (a finished file): sent as
    // Content-Length. Otherwise the body is sent chunked (RFC 9112 section 7.1).
    virtual std::optional<std::uint64_t> size() const { return std::nullopt; }
    // The body will not be read to its end: the client went away, or asked with HEAD (not
    // called after an error of next()).
    virtual void cancelled() {}
};

// The content of an open file; the stream owns the descriptor and closes it at its end. The
// file may be unlinked already: it then disappears when the descriptor is closed.
Result<std::shared_ptr<BodyStream>> file_stream(int fd);

// Reads a stream to its end into one string (tests, and callers that need the whole body).
Result<std::string> drain(BodyStream& stream);

} // namespace teilhabe::http
