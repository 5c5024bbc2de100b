#include "harness/smtp_sink.h"

#include <algorithm>
#include <cctype>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>
#include <tuple>

namespace teilhabe::testing {

namespace fs = std::filesystem;

namespace {

// Debian's python3-aiosmtpd is installed for this interpreter only; the `python3` first on
// PATH may be another one (DESIGN.md, Tests).
constexpr const char* kPython = "/usr/bin/python3";

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

bool iequals(std::string_view a, std::string_view b) {
    return std::ranges::equal(a, b, [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
    });
}

// "000012-3" -> {12, 3}: arrival, then recipient order (a plain string sort puts -10 before -2).
std::pair<unsigned long, unsigned long> order_key(const std::string& stem) {
    auto dash = stem.find('-');
    if (dash == std::string::npos)
        return {0, 0};
    return {std::strtoul(stem.c_str(), nullptr, 10), std::strtoul(stem.c_str() + dash + 1, nullptr, 10)};
}

std::vector<std::string> stored_stems(const std::string& dir) {
    std::vector<std::string> stems;
    std::error_code ec;
    for (auto& entry : fs::directory_iterator(dir, ec)) {
        auto name = entry.path().filename().string();
        if (name.ends_with(".eml") && !name.starts_with("."))
            stems.push_back(entry.path().stem().string());
    }
    return stems;
}

} // namespace

std::string smtp_sink_script() { return TEILHABE_SOURCE_DIR "/tests/harness/smtp_sink.py"; }

std::string SmtpMessage::header(std::string_view wanted) const {
    std::string value;
    bool in_field = false;
    std::size_t pos = 0;
    while (pos < raw.size()) {
        auto end = raw.find('\n', pos);
        if (end == std::string::npos)
            end = raw.size();
        std::string_view line(raw.data() + pos, end - pos);
        pos = end + 1;
        if (line.ends_with('\r'))
            line.remove_suffix(1);
        if (line.empty())
            break; // end of the header section
        if (line.front() == ' ' || line.front() == '\t') {
            if (in_field)
                value += line; // unfold: the CRLF goes, the whitespace stays
            continue;
        }
        if (in_field)
            break;
        auto colon = line.find(':');
        if (colon != std::string_view::npos && iequals(line.substr(0, colon), wanted)) {
            in_field = true;
            value = line.substr(colon + 1);
        }
    }
    auto first = value.find_first_not_of(" \t");
    return first == std::string::npos ? std::string{} : value.substr(first);
}

std::string SmtpMessage::body() const {
    if (auto p = raw.find("\r\n\r\n"); p != std::string::npos)
        return raw.substr(p + 4);
    if (auto p = raw.find("\n\n"); p != std::string::npos)
        return raw.substr(p + 2);
    return {};
}

Result<SmtpSink> SmtpSink::start() {
    SmtpSink s;
    std::string pattern = (fs::temp_directory_path() / "teilhabe_smtp_XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr)
        return fail(Error::internal("cannot create the folder of the SMTP sink"));
    s.m_dir = pattern; // from here the destructor removes it, also when start fails
    s.m_process.emplace(TRY(Process::start(
        {.argv = {kPython, smtp_sink_script(), "--port", "0", "--dir", s.m_dir}})));
    // Readiness: the script prints "listening on PORT" once its socket is bound (bounded poll).
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
        auto out = s.m_process->output();
        if (auto p = out.find("listening on "); p != std::string::npos) {
            auto eol = out.find('\n', p);
            if (eol != std::string::npos) {
                s.m_port = std::atoi(out.c_str() + p + 13);
                if (s.m_port <= 0)
                    return fail(Error::internal("the SMTP sink printed no port:\n" + out));
                return s;
            }
        }
        if (!s.m_process->running())
            return fail(Error::unavailable("the SMTP sink exited early:\n" + s.m_process->output()));
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return fail(Error::unavailable("the SMTP sink did not start listening:\n" + s.m_process->output()));
}

SmtpSink::SmtpSink(SmtpSink&& other) noexcept
    : m_port(other.m_port), m_dir(std::exchange(other.m_dir, {})),
      m_process(std::exchange(other.m_process, std::nullopt)) {}

SmtpSink::~SmtpSink() {
    if (m_process)
        stop();
    if (!m_dir.empty()) {
        std::error_code ec;
        fs::remove_all(m_dir, ec);
    }
}

std::string SmtpSink::url() const { return fmt::format("smtp://127.0.0.1:{}", m_port); }

int SmtpSink::stop() {
    if (!m_process)
        return -1;
    if (m_process->signal(SIGTERM)) {
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (m_process->running() && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        if (m_process->running())
            m_process->signal(SIGKILL);
    }
    return m_process->wait();
}

std::size_t SmtpSink::count() const { return stored_stems(m_dir).size(); }

bool SmtpSink::wait_for(std::size_t n, std::chrono::milliseconds timeout) const {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (count() < n) {
        if (std::chrono::steady_clock::now() >= deadline)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
}

std::vector<SmtpMessage> SmtpSink::messages() const {
    auto stems = stored_stems(m_dir);
    std::ranges::sort(stems, {}, order_key);
    std::vector<SmtpMessage> result;
    result.reserve(stems.size());
    for (auto& stem : stems) {
        auto base = fs::path(m_dir) / stem;
        // The sink renames the .json into place before the .eml, so both are complete here.
        auto meta = nlohmann::json::parse(read_file(base.string() + ".json"), nullptr, false);
        SmtpMessage m{.raw = read_file(base.string() + ".eml"), .name = stem};
        if (!meta.is_discarded()) {
            m.mail_from = meta.value("mail_from", "");
            m.rcpt_to = meta.value("rcpt_to", "");
            m.rcpt_tos = meta.value("rcpt_tos", std::vector<std::string>{});
            m.peer = meta.value("peer", "");
            m.received = meta.value("received", "");
        }
        result.push_back(std::move(m));
    }
    return result;
}

} // namespace teilhabe::testing
