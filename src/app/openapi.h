#pragma once
// The OpenAPI 3.1 document served at /api/v1/openapi.json. It grows with every capability.

#include <nlohmann/json.hpp>
#include <string>

namespace teilhabe::app {

nlohmann::json openapi_document(const std::string& base_url);

} // namespace teilhabe::app
