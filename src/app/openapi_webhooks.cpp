// The webhooks' part of the OpenAPI document: the subscriptions API (webhooks/routes.cpp) and,
// under the document's top-level "webhooks" (OpenAPI 3.1), the signed POST a receiver gets.

#include "app/openapi.h"

namespace teilhabe::app {

namespace {

using nlohmann::json;

using oas::body_of;
using oas::problem;
using oas::ref;

json webhook_schema() {
    json time{{"type", "string"}, {"format", "date-time"}, {"readOnly", true}};
    return {{"type", "object"},
            {"required", json::array({"url"})},
            {"properties",
             {{"id", {{"type", "integer"}, {"readOnly", true}}},
              {"url",
               {{"type", "string"},
                {"format", "uri"},
                {"description", "http:// or https://, without user:password or #fragment. "
                                "Redirects are not followed."}}},
              {"description", {{"type", "string"}, {"maxLength", 500}}},
              {"event_types",
               {{"type", "array"},
                {"items", {{"type", "string"}}},
                {"description", "Activity types (library.loan) or prefixes (pool.*); "
                                "empty: every activity."}}},
              {"active", {{"type", "boolean"}, {"default", true}}},
              {"secret",
               {{"type", "string"},
                {"readOnly", true},
                {"description", "whsec_... (Standard Webhooks). Only in the answer that made "
                                "it: creation, or PATCH with rotate_secret."}}},
              {"rotate_secret",
               {{"type", "boolean"},
                {"writeOnly", true},
                {"description", "PATCH only: make a new secret (the old one stops at once)."}}},
              {"created_at", time},
              {"updated_at", time}}}};
}

json delivery_schema() {
    json nullable_time{{"type", {"string", "null"}}, {"format", "date-time"}};
    return {
        {"type", "object"},
        {"properties",
         {{"id", {{"type", "integer"}}},
          {"webhook_id", {{"type", "integer"}}},
          {"activity_id", {{"type", {"integer", "null"}}, {"description", "null for a test ping"}}},
          {"event_type", {{"type", "string"}}},
          {"citizen_id", {{"type", {"integer", "null"}}}},
          {"status",
           {{"type", "string"}, {"enum", {"pending", "delivered", "failed", "cancelled"}}}},
          {"attempts", {{"type", "integer"}}},
          {"response_status", {{"type", {"integer", "null"}}}},
          {"last_error", {{"type", {"string", "null"}}}},
          {"created_at", {{"type", "string"}, {"format", "date-time"}}},
          {"last_attempt_at", nullable_time},
          {"finished_at", nullable_time},
          {"history",
           {{"type", "array"},
            {"items",
             {{"type", "object"},
              {"properties",
               {{"at", {{"type", "string"}, {"format", "date-time"}}},
                {"response_status", {{"type", {"integer", "null"}}}},
                {"error", {{"type", {"string", "null"}}}},
                {"duration_ms", {{"type", "integer"}}}}}}}}}}}};
}

json event_schema() {
    return {
        {"type", "object"},
        {"properties",
         {{"id", {{"type", {"integer", "null"}}, {"description", "The activity; null for a ping"}}},
          {"type", {{"type", "string"}, {"examples", {"library.loan", "webhook.ping"}}}},
          {"occurred_at", {{"type", "string"}, {"format", "date-time"}}},
          {"recorded_at", {{"type", "string"}, {"format", "date-time"}}},
          {"citizen_id",
           {{"type", {"integer", "null"}},
            {"description", "The person, by id only (no contact data is sent)."}}},
          {"object", {{"type", "string"}}},
          {"data", {{"type", "object"}, {"description", "The activity's props."}}}}}};
}

json header(const char* name, const char* description) {
    return {{"name", name},
            {"in", "header"},
            {"required", true},
            {"description", description},
            {"schema", {{"type", "string"}}}};
}

json id_param() {
    return json::array(
        {{{"name", "id"}, {"in", "path"}, {"required", true}, {"schema", {{"type", "integer"}}}}});
}

json paths() {
    json write_body{{"required", true},
                    {"content", {{"application/json", {{"schema", ref("Webhook")}}}}}};
    json list{{"type", "object"},
              {"properties",
               {{"items", {{"type", "array"}, {"items", ref("Webhook")}}},
                {"next_cursor", {{"type", "null"}}}}}};
    json deliveries{{"type", "object"},
                    {"properties",
                     {{"items", {{"type", "array"}, {"items", ref("WebhookDelivery")}}},
                      {"next_cursor", {{"type", {"string", "null"}}}}}}};
    json forbidden = problem("Administrators only (manage_webhooks)");
    return {
        {"/api/v1/webhooks",
         {{"get",
           {{"summary", "Webhook subscriptions (without their secrets)"},
            {"responses", {{"200", body_of(list, "All subscriptions")}, {"403", forbidden}}}}},
          {"post",
           {{"summary", "Subscribe a URL to activities; the answer shows the secret once"},
            {"requestBody", write_body},
            {"responses",
             {{"201", body_of(ref("Webhook"), "Created, with secret (Location header)")},
              {"403", forbidden},
              {"422", problem("A value is not acceptable (errors[].field)")}}}}}}},
        {"/api/v1/webhooks/{id}",
         {{"parameters", id_param()},
          {"get",
           {{"summary", "One subscription"},
            {"responses",
             {{"200", body_of(ref("Webhook"), "The subscription")},
              {"404", problem("No such webhook")}}}}},
          {"patch",
           {{"summary", "Change a subscription (members given), or rotate its secret"},
            {"requestBody", write_body},
            {"responses",
             {{"200", body_of(ref("Webhook"), "Changed (secret when rotated)")},
              {"404", problem("No such webhook")},
              {"422", problem("A value is not acceptable")}}}}},
          {"delete",
           {{"summary", "Delete with its deliveries; queued ones are not sent"},
            {"responses",
             {{"204", {{"description", "Deleted"}}}, {"404", problem("No such webhook")}}}}}}},
        {"/api/v1/webhooks/{id}/deliveries",
         {{"parameters", id_param()},
          {"get",
           {{"summary", "Recent deliveries, newest first, with every attempt (audited)"},
            {"parameters",
             json::array(
                 {{{"name", "limit"},
                   {"in", "query"},
                   {"schema", {{"type", "integer"}, {"minimum", 1}, {"maximum", 200}}}},
                  {{"name", "cursor"}, {"in", "query"}, {"schema", {{"type", "string"}}}}})},
            {"responses",
             {{"200", body_of(deliveries, "A page")}, {"404", problem("No such webhook")}}}}}}},
        {"/api/v1/webhooks/{id}/test",
         {{"parameters", id_param()},
          {"post",
           {{"summary", "Send a webhook.ping (tried once); the outcome shows in the deliveries"},
            {"responses",
             {{"202", body_of(ref("WebhookDelivery"), "Queued")},
              {"404", problem("No such webhook")}}}}}}},
    };
}

// What a subscribed URL receives (OpenAPI 3.1 "webhooks").
json outgoing() {
    return {{"activity",
             {{"post",
               {{"summary", "An activity (or a test ping), signed as Standard Webhooks says"},
                {"description",
                 "Check the signature: base64(HMAC-SHA256(base64-decoded secret after whsec_, "
                 "webhook-id + '.' + webhook-timestamp + '.' + body)) must be one of the "
                 "space-separated v1,... values; refuse timestamps older than a few minutes. "
                 "Answer 2xx within 10 s; anything else is retried with back-off (12 attempts "
                 "over about 15 hours). Deliveries may repeat: drop repeats by webhook-id."},
                {"security", json::array()},
                {"parameters",
                 json::array({header("webhook-id", "msg_<delivery>, the same for every retry"),
                              header("webhook-timestamp", "Seconds since 1970 of this attempt"),
                              header("webhook-signature", "v1,<base64 HMAC-SHA256>")})},
                {"requestBody",
                 {{"required", true},
                  {"content", {{"application/json", {{"schema", ref("WebhookEvent")}}}}}}},
                {"responses", {{"2XX", {{"description", "Received"}}}}}}}}}};
}

} // namespace

void add_webhook_paths(nlohmann::json& doc) {
    auto own = paths(); // named: items() of a temporary would outlive it
    for (auto& [path, item] : own.items())
        doc["paths"][path] = item;
    auto& schemas = doc["components"]["schemas"];
    schemas["Webhook"] = webhook_schema();
    schemas["WebhookDelivery"] = delivery_schema();
    schemas["WebhookEvent"] = event_schema();
    doc["webhooks"] = outgoing();
}

} // namespace teilhabe::app
