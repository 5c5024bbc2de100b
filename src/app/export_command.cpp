// `teilhabe export --format csv|xlsx|json [--out FILE] [filters]`: the people the filters select,
// written page by page (exports/citizen_export.h) to FILE or to standard output. A file is
// written under a temporary name beside it and renamed at the end, so a script never reads a
// half-written export; it is created readable by its owner only (it holds personal data).
// Exit 0: written; 2: the arguments or filters cannot be used; 1: the export failed.

#include "app/commands.h"
#include "app/runtime.h"
#include "exports/citizen_export.h"
#include "exports/temp_file.h"
#include "exports/xlsx_writer.h"

#include <cstdio>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <iostream>

namespace teilhabe::app {

namespace {

Result<exports::ExportRequest> request_from(const ExportFilters& f, const std::string& format) {
    std::vector<std::pair<std::string, std::string>> params{{"format", format}};
    if (!f.q.empty())
        params.emplace_back("q", f.q);
    if (!f.district.empty())
        params.emplace_back("district", f.district);
    for (const auto& t : f.tags)
        params.emplace_back("tag", t);
    for (const auto& i : f.interests)
        params.emplace_back("interest", i);
    for (const auto& item : f.fields) {
        auto eq = item.find('=');
        if (eq == std::string::npos || eq == 0)
            return fail(Error::invalid(
                fmt::format("--field '{}': write KEY=VALUE, e.g. \"has_dog=ja\"", item)));
        params.emplace_back("field." + item.substr(0, eq), item.substr(eq + 1));
    }
    return exports::parse_export_request(params);
}

std::string folder_of(const std::string& file) {
    auto parent = std::filesystem::path(file).parent_path().string();
    return parent.empty() ? "." : parent;
}

const citizens::Actor kWho{"system:cli-export", ""};

// CSV and JSON, page by page into `out`.
Result<std::int64_t> write_stream(Runtime& rt, exports::ExportRequest request, std::ostream& out) {
    auto writer = request.format == exports::ExportFormat::Csv ? exports::csv_writer()
                                                               : exports::json_writer();
    auto e = TRY(exports::CitizenExport::start(*rt.db, std::move(request), std::move(writer), kWho,
                                               rt.clock));
    auto rows = TRY(exports::run_to_end(*e, [&](std::string_view part) -> Result<void> {
        if (!out.write(part.data(), static_cast<std::streamsize>(part.size())))
            return fail(Error::internal("cannot write the export"));
        return {};
    }));
    if (!out.flush())
        return fail(Error::internal("cannot write the export"));
    return rows;
}

// The whole export into `file` (the XLSX writer writes the file itself).
Result<std::int64_t> write_file(Runtime& rt, exports::ExportRequest request,
                                const exports::TempFile& file) {
    if (request.format == exports::ExportFormat::Xlsx) {
        auto writer = TRY(exports::xlsx_writer(file.path()));
        auto e = TRY(exports::CitizenExport::start(*rt.db, std::move(request), std::move(writer),
                                                   kWho, rt.clock));
        return exports::run_to_end(*e, [](std::string_view) { return Result<void>{}; });
    }
    std::ofstream out(file.path(), std::ios::binary | std::ios::trunc);
    return write_stream(rt, std::move(request), out);
}

Result<void> copy_to_stdout(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::cout << in.rdbuf();
    std::cout.flush();
    if (!in || !std::cout)
        return fail(Error::internal("cannot write to standard output"));
    return {};
}

} // namespace

int cmd_export(const Config& config, const std::string& format, const std::string& out_file,
               const ExportFilters& filters) {
    auto request = request_from(filters, format);
    if (!request) {
        std::cerr << "teilhabe export: " << request.error().message << "\n";
        return 2;
    }
    auto rt = open_runtime(config, true);
    if (!rt)
        return 1;
    Result<std::int64_t> rows = 0;
    if (out_file.empty() && request->format != exports::ExportFormat::Xlsx) {
        rows = write_stream(*rt, std::move(*request), std::cout); // streamed as it is read
    } else {
        auto suffix = "." + std::string(exports::to_string(request->format));
        auto file = exports::TempFile::create(suffix, out_file.empty() ? "" : folder_of(out_file));
        if (!file)
            rows = fail(file.error());
        else
            rows = write_file(*rt, std::move(*request), *file);
        if (rows) {
            auto done = out_file.empty() ? copy_to_stdout(file->path()) : file->rename_to(out_file);
            if (!done)
                rows = fail(done.error());
        }
    }
    if (!rows) {
        std::cerr << "teilhabe export: " << rows.error().message << "\n";
        return rows.error().code == ErrorCode::InvalidArgument ? 2 : 1;
    }
    std::cerr << fmt::format("{} people exported{}\n", *rows,
                             out_file.empty() ? "" : " to " + out_file);
    return 0;
}

} // namespace teilhabe::app
