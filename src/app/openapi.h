#pragma once
// The OpenAPI 3.1 document served at /api/v1/openapi.json. It grows with every capability.

#include <nlohmann/json.hpp>
#include <string>

namespace teilhabe::app {

nlohmann::json openapi_document(const std::string& base_url);

// Each area's paths and schemas, added to the document (openapi_<area>.cpp).
void add_citizen_paths(nlohmann::json& doc);
void add_webhook_paths(nlohmann::json& doc);
void add_delivery_paths(nlohmann::json& doc);
void add_consent_paths(nlohmann::json& doc);
void add_campaign_paths(nlohmann::json& doc);
void add_points_paths(nlohmann::json& doc);
void add_segment_paths(nlohmann::json& doc);
void add_shop_paths(nlohmann::json& doc); // offers, vouchers, Stadttaler
void add_survey_paths(nlohmann::json& doc);
void add_event_paths(nlohmann::json& doc);

// Small builders shared by the areas' parts of the document.
namespace oas {
// {"$ref": "#/components/schemas/NAME"}
nlohmann::json ref(const char* name);
// A JSON request or response body with the given schema.
nlohmann::json body_of(const nlohmann::json& schema, const char* description);
// An error response: application/problem+json.
nlohmann::json problem(const char* description);
// A path or query parameter.
nlohmann::json param(const char* name, const char* in, nlohmann::json schema, bool required = true);
nlohmann::json integer();                // {"type": "integer"}
nlohmann::json text();                   // {"type": "string"}
nlohmann::json nullable(const char* type); // {"type": [type, "null"]}
nlohmann::json time();                   // a date-time string
nlohmann::json read_only(nlohmann::json schema);
} // namespace oas

} // namespace teilhabe::app
