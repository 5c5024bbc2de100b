// The delivery part of the OpenAPI document: POST /api/v1/bounces (delivery/routes.cpp).

#include "app/openapi.h"

namespace teilhabe::app {

void add_delivery_paths(nlohmann::json& doc) {
    using nlohmann::json;
    json raw{{"schema", {{"type", "string"}, {"description", "The whole report, headers included"}}}};
    json outcome{{"type", "object"},
                 {"properties",
                  {{"hard", {{"type", "integer"}, {"description", "Permanent failures: suppressed"}}},
                   {"soft", {{"type", "integer"}, {"description", "Temporary failures: counted"}}},
                   {"ignored", {{"type", "integer"}}},
                   {"bounced_rows", {{"type", "array"}, {"items", {{"type", "integer"}}}}}}}};
    doc["components"]["schemas"]["BounceOutcome"] = outcome;
    doc["paths"]["/api/v1/bounces"] = {
        {"post",
         {{"summary", "A delivery status notification (RFC 3464) from the mail server"},
          {"description",
           "Permanent failures mark the message bounced and suppress the address; temporary ones "
           "are counted (five within 30 days suppress). The message is found by the VERP "
           "envelope sender bounce+<id>-<mac>@domain the report was sent back to (its To: "
           "header, or the query parameter recipient), otherwise by the Final-Recipient. "
           "Needs record_activities."},
          {"parameters",
           json::array({{{"name", "recipient"},
                         {"in", "query"},
                         {"required", false},
                         {"schema", {{"type", "string"}}}}})},
          {"requestBody",
           {{"required", true},
            {"content", {{"message/rfc822", raw}, {"text/plain", raw}, {"multipart/report", raw}}}}},
          {"responses",
           {{"200", oas::body_of(oas::ref("BounceOutcome"), "What the report did")},
            {"403", oas::problem("Not allowed (record_activities)")},
            {"415", oas::problem("Another content type")},
            {"422", oas::problem("Not a delivery status notification")}}}}}};
}

} // namespace teilhabe::app
