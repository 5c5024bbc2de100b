// The points' part of the OpenAPI document: a person's balances and ledger entries, manual
// awards and corrections, and the points rules (points/routes.cpp).

#include "app/openapi.h"

namespace teilhabe::app {

namespace {

using nlohmann::json;

using oas::body_of;
using oas::problem;
using oas::ref;

json rule_schema() {
    json cap{{"type", {"integer", "null"}}, {"minimum", 1},
             {"description", "Awards per person and rule in this period; null: no limit"}};
    return {{"type", "object"},
            {"required", json::array({"name", "activity_type", "points"})},
            {"properties",
             {{"id", {{"type", "integer"}, {"readOnly", true}}},
              {"name", {{"type", "string"}, {"maxLength", 200}}},
              {"activity_type", {{"type", "string"}, {"examples", {"survey.completed"}}}},
              {"filter",
               {{"type", "object"},
                {"additionalProperties", {{"type", "string"}}},
                {"description", "Members \"object\" or \"props.<name>\": a value, a prefix "
                                "ending in *, or * for present"}}},
              {"points", {{"type", "integer"}, {"minimum", 1}}},
              {"cap_per_day", cap},
              {"cap_per_month", cap},
              {"once_key",
               {{"type", "string"},
                {"description", "Once per: a template such as {object} or "
                                "{props.campaign_id}/{props.topic}; empty: no such limit"}}},
              {"position", {{"type", "integer"}, {"description", "Rules apply in this order"}}},
              {"enabled", {{"type", "boolean"}, {"default", true}}}}}};
}

json account_schema() {
    return {{"type", "object"},
            {"properties",
             {{"owner", {{"type", "string"}, {"enum", {"citizen", "town", "partner"}}}},
              {"owner_id", {{"type", "integer"}}}}}};
}

json entry_schema() {
    json opt_id{{"type", {"integer", "null"}}};
    return {{"type", "object"},
            {"properties",
             {{"transfer_id", {{"type", "integer"}}},
              {"currency", {{"type", "string"}, {"enum", {"points", "stadttaler"}}}},
              {"amount",
               {{"type", "integer"},
                {"description", "Signed: + credit, - debit. Stadttaler in cents."}}},
              {"kind",
               {{"type", "string"},
                {"enum", {"award", "expiry", "redemption", "refund", "reversal", "topup",
                          "payment", "settlement", "erasure"}}}},
              {"reason", {{"type", "string"}}},
              {"object", {{"type", "string"}}},
              {"actor", {{"type", "string"}}},
              {"counterparty", ref("LedgerAccount")},
              {"created_at", {{"type", "string"}, {"format", "date-time"}}},
              {"reverses", opt_id},
              {"reversed_by", opt_id}}}};
}

json transfer_schema() {
    return {{"type", "object"},
            {"properties",
             {{"id", {{"type", "integer"}}},
              {"currency", {{"type", "string"}}},
              {"from", ref("LedgerAccount")},
              {"to", ref("LedgerAccount")},
              {"amount", {{"type", "integer"}}},
              {"kind", {{"type", "string"}}},
              {"reason", {{"type", "string"}}},
              {"object", {{"type", "string"}}},
              {"actor", {{"type", "string"}}},
              {"created_at", {{"type", "string"}, {"format", "date-time"}}},
              {"reverses", {{"type", {"integer", "null"}}}}}}};
}

json points_schema() {
    return {{"type", "object"},
            {"properties",
             {{"balances",
               {{"type", "object"},
                {"properties",
                 {{"points", {{"type", "integer"}}},
                  {"stadttaler", {{"type", "integer"}, {"description", "In cents"}}}}}}},
              {"entries", {{"type", "array"}, {"items", ref("LedgerEntry")}}},
              {"expiring",
               {{"type", "object"},
                {"properties",
                 {{"points", {{"type", "integer"}}},
                  {"next_at", {{"type", {"string", "null"}}, {"format", "date-time"}}}}}}},
              {"next_cursor", {{"type", {"string", "null"}}}}}}};
}

json idempotency_key() {
    return {{"name", "Idempotency-Key"},
            {"in", "header"},
            {"required", true},
            {"description", "Same key and body: the first answer again (200). Same key, other "
                            "body: 409."},
            {"schema", {{"type", "string"}, {"maxLength", 200}}}};
}

json id_param() {
    return {{"name", "id"}, {"in", "path"}, {"required", true}, {"schema", {{"type", "integer"}}}};
}

json json_body(const json& schema) {
    return {{"required", true}, {"content", {{"application/json", {{"schema", schema}}}}}};
}

json paths() {
    json forbidden = problem("Needs manage_points");
    json invalid = problem("A value is not acceptable (errors[].field)");
    json award_body{{"type", "object"},
                    {"required", json::array({"citizen_id", "points", "reason"})},
                    {"properties",
                     {{"citizen_id", {{"type", "integer"}}},
                      {"points", {{"type", "integer"}, {"minimum", 1}}},
                      {"reason", {{"type", "string"}, {"maxLength", 500}}}}}};
    json correction_body{{"type", "object"},
                         {"required", json::array({"citizen_id", "transfer_id", "reason"})},
                         {"properties",
                          {{"citizen_id", {{"type", "integer"}}},
                           {"transfer_id", {{"type", "integer"}}},
                           {"reason", {{"type", "string"}}}}}};
    json list{{"type", "object"},
              {"properties",
               {{"items", {{"type", "array"}, {"items", ref("PointsRule")}}},
                {"next_cursor", {{"type", "null"}}}}}};
    return {
        {"/api/v1/citizens/{id}/points",
         {{"parameters", json::array({id_param()})},
          {"get",
           {{"summary", "A person's balances (points, Stadttaler in cents) and ledger entries, "
                        "newest first"},
            {"parameters",
             json::array({{{"name", "limit"}, {"in", "query"}, {"schema", {{"type", "integer"}, {"maximum", 200}}}},
                          {{"name", "cursor"}, {"in", "query"}, {"schema", {{"type", "string"}}}}})},
            {"responses",
             {{"200", body_of(ref("CitizenPoints"), "Balances and entries")},
              {"404", problem("No such citizen")}}}}}}},
        {"/api/v1/points/awards",
         {{"post",
           {{"summary", "Award points by hand (goodwill, corrections upwards)"},
            {"parameters", json::array({idempotency_key()})},
            {"requestBody", json_body(award_body)},
            {"responses",
             {{"201", body_of(ref("LedgerTransfer"), "Awarded")},
              {"200", body_of(ref("LedgerTransfer"), "A repeat: the first award")},
              {"400", problem("No Idempotency-Key")},
              {"403", forbidden},
              {"409", problem("The key was used for another request")},
              {"422", invalid}}}}}}},
        {"/api/v1/points/corrections",
         {{"post",
           {{"summary", "Reverse one of a person's transfers (never an edit)"},
            {"parameters", json::array({idempotency_key()})},
            {"requestBody", json_body(correction_body)},
            {"responses",
             {{"201", body_of(ref("LedgerTransfer"), "The reversal")},
              {"404", problem("No such transfer of this person")},
              {"409", problem("Already reversed, a reversal, or not enough balance left")}}}}}}},
        {"/api/v1/points/rules",
         {{"get",
           {{"summary", "Points rules, in the order they apply"},
            {"responses", {{"200", body_of(list, "All rules")}, {"403", forbidden}}}}},
          {"post",
           {{"summary", "Create a rule"},
            {"requestBody", json_body(ref("PointsRule"))},
            {"responses",
             {{"201", body_of(ref("PointsRule"), "Created")}, {"403", forbidden}, {"422", invalid}}}}}}},
        {"/api/v1/points/rules/{id}",
         {{"parameters", json::array({id_param()})},
          {"get",
           {{"summary", "One rule"},
            {"responses",
             {{"200", body_of(ref("PointsRule"), "The rule")}, {"404", problem("No such rule")}}}}},
          {"patch",
           {{"summary", "Change the members given"},
            {"requestBody", json_body(ref("PointsRule"))},
            {"responses",
             {{"200", body_of(ref("PointsRule"), "Changed")},
              {"404", problem("No such rule")},
              {"422", invalid}}}}},
          {"delete",
           {{"summary", "Disable the rule (its awards stay in the ledger)"},
            {"responses",
             {{"204", {{"description", "Disabled"}}}, {"404", problem("No such rule")}}}}}}},
    };
}

} // namespace

void add_points_paths(nlohmann::json& doc) {
    auto own = paths();
    for (auto& [path, item] : own.items())
        doc["paths"][path] = item;
    auto& schemas = doc["components"]["schemas"];
    schemas["PointsRule"] = rule_schema();
    schemas["LedgerAccount"] = account_schema();
    schemas["LedgerEntry"] = entry_schema();
    schemas["LedgerTransfer"] = transfer_schema();
    schemas["CitizenPoints"] = points_schema();
}

} // namespace teilhabe::app
