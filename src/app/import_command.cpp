// `teilhabe import FILE.csv`: citizens from a CSV file, with a progress bar on a terminal and
// a report per row. Exit 0: imported (or a clean dry run); 1: rows refused, nothing written;
// 2: the file or the mapping cannot be used at all.

#include "app/commands.h"
#include "app/runtime.h"
#include "imports/importer.h"

#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <iostream>
#include <unistd.h>

namespace teilhabe::app {

namespace {

Result<imports::Mapping> parse_mapping(const std::vector<std::string>& items) {
    imports::Mapping m;
    for (const auto& item : items) {
        auto eq = item.rfind('=');
        if (eq == std::string::npos || eq == 0)
            return fail(Error::invalid(fmt::format(
                "--map '{}': write COLUMN=TARGET, e.g. \"Wohnort=district\" or \"Notiz=\" to ignore",
                item)));
        m[item.substr(0, eq)] = item.substr(eq + 1);
    }
    return m;
}

void print_report(const imports::ImportReport& r, bool dry_run) {
    std::cout << fmt::format("{} rows read ({}, separated by '{}')\n", r.rows, r.encoding,
                             r.separator);
    for (const auto& [column, target] : r.columns)
        std::cout << fmt::format("  column {:<24} -> {}\n", "'" + column + "'",
                                 target.empty() ? "(ignored)" : target);
    for (const auto& n : r.notes)
        std::cout << fmt::format("  note on '{}': {}\n", n.column, n.message);
    if (r.error_count > 0) {
        std::cout << fmt::format("{} problems; nothing was imported:\n", r.error_count);
        for (const auto& e : r.errors)
            std::cout << fmt::format("  line {}{}: {}\n", e.line,
                                     e.column.empty() ? "" : ", column '" + e.column + "'",
                                     e.message);
        if (r.error_count > static_cast<std::int64_t>(r.errors.size()))
            std::cout << fmt::format("  ... and {} more\n", r.error_count - r.errors.size());
        return;
    }
    std::cout << fmt::format("{}{} created, {} updated, {} unchanged\n",
                             dry_run ? "dry run, nothing written: would be " : "", r.created,
                             r.updated, r.unchanged);
}

} // namespace

int cmd_import(const Config& config, const std::string& file, bool dry_run,
               const std::vector<std::string>& map_items) {
    auto mapping = parse_mapping(map_items);
    if (!mapping) {
        std::cerr << "teilhabe import: " << mapping.error().message << "\n";
        return 2;
    }
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        std::cerr << "teilhabe import: cannot open " << file << "\n";
        return 2;
    }
    std::error_code ec;
    auto total = std::filesystem::file_size(file, ec);
    auto rt = open_runtime(config, true);
    if (!rt)
        return 2;
    imports::ImportOptions options;
    options.mode = dry_run ? imports::ImportOptions::Mode::DryRun : imports::ImportOptions::Mode::Apply;
    options.mapping = std::move(*mapping);
    const bool tty = isatty(STDERR_FILENO) == 1;
    if (tty && !ec && total > 0)
        options.progress = [total](std::uint64_t bytes, std::int64_t rows) {
            int percent = static_cast<int>(std::min<std::uint64_t>(100, bytes * 100 / total));
            std::string bar(static_cast<std::size_t>(percent / 4), '#');
            std::cerr << fmt::format("\r[{:<25}] {:3} %  {} rows", bar, percent, rows) << std::flush;
        };
    auto report = imports::import_citizens(*rt->db, in, options, {"system:cli-import", ""},
                                           rt->clock);
    if (tty && options.progress)
        std::cerr << "\n";
    if (!report) {
        std::cerr << "teilhabe import: " << report.error().message << "\n";
        return 2;
    }
    print_report(*report, dry_run);
    return report->error_count > 0 ? 1 : 0;
}

} // namespace teilhabe::app
