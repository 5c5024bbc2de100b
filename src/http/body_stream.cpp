#include "http/body_stream.h"

#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

namespace teilhabe::http {

namespace {

constexpr std::size_t kFilePart = 64 * 1024;

class FileStream final : public BodyStream {
public:
    FileStream(int fd, std::uint64_t size) : m_fd(fd), m_size(size) {}
    ~FileStream() override { ::close(m_fd); }
    FileStream(const FileStream&) = delete;
    FileStream& operator=(const FileStream&) = delete;

    Result<bool> next(std::string& out) override {
        if (m_sent >= m_size)
            return false;
        out.resize(static_cast<std::size_t>(std::min<std::uint64_t>(kFilePart, m_size - m_sent)));
        ssize_t n = 0;
        do
            n = ::read(m_fd, out.data(), out.size());
        while (n < 0 && errno == EINTR);
        if (n <= 0)
            return fail(Error::internal(
                fmt::format("file body: read failed after {} of {} bytes: {}", m_sent, m_size,
                            n == 0 ? "unexpected end" : std::strerror(errno))));
        out.resize(static_cast<std::size_t>(n));
        m_sent += static_cast<std::uint64_t>(n);
        return true;
    }
    std::optional<std::uint64_t> size() const override { return m_size; }

private:
    int m_fd;
    std::uint64_t m_size;
    std::uint64_t m_sent{0};
};

} // namespace

Result<std::shared_ptr<BodyStream>> file_stream(int fd) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        int err = errno;
        ::close(fd);
        return fail(Error::internal(fmt::format("file body: {}", std::strerror(err))));
    }
    if (::lseek(fd, 0, SEEK_SET) < 0) {
        int err = errno;
        ::close(fd);
        return fail(Error::internal(fmt::format("file body: {}", std::strerror(err))));
    }
    return std::shared_ptr<BodyStream>(
        std::make_shared<FileStream>(fd, static_cast<std::uint64_t>(st.st_size)));
}

Result<std::string> drain(BodyStream& stream) {
    std::string all, part;
    for (;;) {
        part.clear();
        if (!TRY(stream.next(part)))
            return all;
        all += part;
    }
}

} // namespace teilhabe::http
