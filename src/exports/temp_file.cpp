#include "exports/temp_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <unistd.h>

namespace teilhabe::exports {

Result<TempFile> TempFile::create(std::string_view suffix, const std::string& dir) {
    std::error_code ec;
    std::string base = dir.empty() ? std::filesystem::temp_directory_path(ec).string() : dir;
    if (ec)
        return fail(Error::internal("no temporary folder: " + ec.message()));
    std::string templ = fmt::format("{}/.teilhabe-export-XXXXXX{}", base, suffix);
    int fd = ::mkstemps(templ.data(), static_cast<int>(suffix.size())); // mode 0600
    if (fd < 0)
        return fail(Error::internal(
            fmt::format("cannot create a file in {}: {}", base, std::strerror(errno))));
    ::close(fd);
    return TempFile(templ);
}

TempFile::TempFile(TempFile&& other) noexcept : m_path(std::move(other.m_path)) {
    other.m_path.clear();
}

TempFile::~TempFile() {
    if (!m_path.empty())
        ::unlink(m_path.c_str());
}

Result<int> TempFile::open_and_unlink() {
    int fd = ::open(m_path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return fail(
            Error::internal(fmt::format("cannot open {}: {}", m_path, std::strerror(errno))));
    ::unlink(m_path.c_str());
    m_path.clear();
    return fd;
}

Result<void> TempFile::rename_to(const std::string& target) {
    if (std::rename(m_path.c_str(), target.c_str()) != 0)
        return fail(
            Error::internal(fmt::format("cannot write {}: {}", target, std::strerror(errno))));
    m_path.clear();
    return {};
}

} // namespace teilhabe::exports
