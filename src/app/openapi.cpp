#include "app/openapi.h"

namespace teilhabe::app {

// Declared here rather than in openapi.h so that adding the journeys' part did not touch a
// header every area's part includes.
void add_journey_paths(nlohmann::json& doc);

namespace oas {

nlohmann::json ref(const char* name) {
    return {{"$ref", std::string("#/components/schemas/") + name}};
}

nlohmann::json body_of(const nlohmann::json& schema, const char* description) {
    return {{"description", description},
            {"content", {{"application/json", {{"schema", schema}}}}}};
}

nlohmann::json problem(const char* description) {
    return {{"description", description},
            {"content", {{"application/problem+json", {{"schema", ref("Problem")}}}}}};
}

nlohmann::json param(const char* name, const char* in, nlohmann::json schema, bool required) {
    return {{"name", name}, {"in", in}, {"required", required}, {"schema", std::move(schema)}};
}
nlohmann::json integer() { return {{"type", "integer"}}; }
nlohmann::json text() { return {{"type", "string"}}; }
nlohmann::json nullable(const char* type) { return {{"type", {type, "null"}}}; }
nlohmann::json time() { return {{"type", "string"}, {"format", "date-time"}}; }
nlohmann::json read_only(nlohmann::json schema) {
    schema["readOnly"] = true;
    return schema;
}

} // namespace oas

nlohmann::json openapi_document(const std::string& base_url) {
    using nlohmann::json;
    json problem = {{"$ref", "#/components/schemas/Problem"}};
    json problem_response = {
        {"description", "Error (RFC 9457 problem details)"},
        {"content", {{"application/problem+json", {{"schema", problem}}}}}};
    json doc = {
        {"openapi", "3.1.0"},
        {"info",
         {{"title", "Teilhabe API"},
          {"version", "1"},
          {"description", "Citizen data hub, consent, campaigns, participation and rewards of a "
                          "municipality. Authenticate with Authorization: Bearer <API key> "
                          "(teilhabe apikey create)."}}},
        {"servers", json::array({{{"url", base_url}}})},
        {"components",
         {{"securitySchemes", {{"apiKey", {{"type", "http"}, {"scheme", "bearer"}}}}},
          {"schemas",
           {{"Problem",
             {{"type", "object"},
              {"properties",
               {{"type", {{"type", "string"}}},
                {"title", {{"type", "string"}}},
                {"status", {{"type", "integer"}}},
                {"detail", {{"type", "string"}}},
                {"errors", {{"type", "array"}}}}}}}}}}},
        {"security", json::array({{{"apiKey", json::array()}}})},
        {"paths",
         {{"/healthz",
           {{"get",
             {{"summary", "Liveness and database reachability"},
              {"security", json::array()},
              {"responses",
               {{"200", {{"description", "Up, database reachable"}}},
                {"503", {{"description", "Database unreachable"}}}}}}}}},
          {"/api/v1/me",
           {{"get",
             {{"summary", "Who the credentials belong to"},
              {"responses",
               {{"200", {{"description", "The API key or staff account and its role"}}},
                {"401", problem_response}}}}}}},
          {"/api/v1/openapi.json",
           {{"get",
             {{"summary", "This document"},
              {"security", json::array()},
              {"responses", {{"200", {{"description", "OpenAPI 3.1"}}}}}}}}}}}};
    add_citizen_paths(doc);
    add_webhook_paths(doc);
    add_segment_paths(doc);
    add_delivery_paths(doc);
    add_consent_paths(doc);
    add_campaign_paths(doc);
    add_points_paths(doc);
    add_journey_paths(doc);
    add_shop_paths(doc);
    add_survey_paths(doc);
    add_event_paths(doc);
    return doc;
}

} // namespace teilhabe::app
