#pragma once
// A file for an export being built (the XLSX workbook, which libxlsxwriter writes to a path):
// created with mode 0600, since it holds personal data, and removed when this object goes,
// whatever happened.

#include "base/error.h"

#include <string>
#include <string_view>

namespace teilhabe::exports {

class TempFile {
public:
    // A new file in `dir` (the system's temporary folder, $TMPDIR, when empty).
    static Result<TempFile> create(std::string_view suffix, const std::string& dir = {});
    TempFile(TempFile&& other) noexcept;
    TempFile& operator=(TempFile&&) = delete;
    TempFile(const TempFile&) = delete;
    ~TempFile();

    const std::string& path() const { return m_path; }
    // Opens the finished file for reading and removes its name at once: the content lives on
    // until the returned descriptor is closed, and nothing is left behind if the process dies.
    Result<int> open_and_unlink();
    // Gives the file its final name (the CLI's --out), replacing what was there.
    Result<void> rename_to(const std::string& target);

private:
    explicit TempFile(std::string path) : m_path(std::move(path)) {}
    std::string m_path; // empty once unlinked or renamed
};

} // namespace teilhabe::exports
