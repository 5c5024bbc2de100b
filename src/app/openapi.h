#pragma once
// The OpenAPI 3.1 document served at /api/v1/openapi.json. It grows with every capability.

#include <nlohmann/json.hpp>
#include <string>

namespace teilhabe::app {

nlohmann::json openapi_document(const std::string& base_url);

// Each area's paths and schemas, added to the document (openapi_<area>.cpp).
void add_citizen_paths(nlohmann::json& doc);
void add_webhook_paths(nlohmann::json& doc);

} // namespace teilhabe::app
