#pragma once
// What the import screens share (internal to src/admin): an import report as template data and
// rendered as HTML, for the dry run's page and the page of an import run by the worker.

#include "web/route.h"

#include <nlohmann/json.hpp>
#include <string>

namespace teilhabe::admin::detail {

// The report (imports::to_json(ImportReport)) as the data of import_report.mustache.
nlohmann::json report_view(const web::RouteContext& ctx, const nlohmann::json& report);
// import_report.mustache filled in; empty when there is no report.
std::string report_html(const web::RouteContext& ctx, const nlohmann::json& report);

} // namespace teilhabe::admin::detail
