#pragma once
// How far the jobs running in this process have come, for pages served by the same process.
// A long job that works in one transaction (an all-or-nothing import) cannot show its progress
// through the database on SQLite: its transaction holds the file's only write lock until it
// ends. On PostgreSQL such a job writes its progress to its own table as well, for the other
// instances (see imports/import_job.cpp).

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace teilhabe::jobs {

struct Progress {
    std::int64_t done{0};
    std::int64_t total{0};
};

class ProgressBoard {
public:
    virtual ~ProgressBoard() = default;
    // Virtual so that a test can watch the progress as it is reported.
    virtual void set(const std::string& key, Progress p);
    std::optional<Progress> get(const std::string& key) const;
    void clear(const std::string& key);

private:
    mutable std::mutex m_mutex;
    std::map<std::string, Progress, std::less<>> m_entries;
};

} // namespace teilhabe::jobs
