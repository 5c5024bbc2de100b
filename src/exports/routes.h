#pragma once
// Downloads of filtered lists of people (GET /api/v1/exports/citizens) and the answer shared
// with the admin screen's export buttons.

#include "exports/citizen_export.h"
#include "web/route.h"

#include <vector>

namespace teilhabe::exports {

std::vector<web::RouteDef> routes();

// The download for an export request: CSV and JSON are sent page by page as they are read
// (chunked), XLSX is built into a temporary file first and sent with its length. Content-
// Disposition names a dated file. Errors before the first byte are returned (a bad filter is
// InvalidArgument; too many people for XLSX FailedPrecondition).
Result<http::Response> export_response(web::RouteContext& ctx, ExportRequest request);

} // namespace teilhabe::exports
