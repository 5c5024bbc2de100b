#include "jobs/progress_board.h"

namespace teilhabe::jobs {

void ProgressBoard::set(const std::string& key, Progress p) {
    std::lock_guard lock(m_mutex);
    m_entries[key] = p;
}

std::optional<Progress> ProgressBoard::get(const std::string& key) const {
    std::lock_guard lock(m_mutex);
    auto it = m_entries.find(key);
    if (it == m_entries.end())
        return std::nullopt;
    return it->second;
}

void ProgressBoard::clear(const std::string& key) {
    std::lock_guard lock(m_mutex);
    m_entries.erase(key);
}

} // namespace teilhabe::jobs
