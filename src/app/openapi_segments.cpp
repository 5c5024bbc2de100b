// The segments' part of the OpenAPI document (segments/routes.cpp). The rule's syntax, JSON and
// text, is in docs/segments.md.

#include "app/openapi.h"

namespace teilhabe::app {

namespace {

using nlohmann::json;

using oas::body_of;
using oas::problem;
using oas::ref;

json rule_schema() {
    return {{"type", "object"},
            {"description",
             "A rule (docs/segments.md): {\"all\": [..]}, {\"any\": [..]}, {\"not\": ..}, or a "
             "condition: {\"field\", \"op\", \"value\"} (email, first_name, last_name, language, "
             "district, created_at), {\"attribute\", \"op\", \"value\"} (a custom field), "
             "{\"interest\"}, {\"tag\"}, {\"consent\": \"topic\", \"topic\"}, {\"consent\": "
             "\"tracking\"}, {\"activity\", \"object\", \"op\", \"count\", \"within_days\" | "
             "\"from\" + \"until\"}. op: eq, ne, lt, le, gt, ge, contains."},
            {"examples",
             json::array({{{"all",
                            json::array({{{"field", "district"}, {"op", "eq"}, {"value", "Nord"}},
                                         {{"activity", "email.clicked"},
                                          {"object", "topic:kultur"},
                                          {"op", "ge"},
                                          {"count", 1},
                                          {"within_days", 30}}})}}})}};
}

json segment_schema() {
    json time{{"type", "string"}, {"format", "date-time"}, {"readOnly", true}};
    json read_only_int{{"type", "integer"}, {"readOnly", true}};
    return {{"type", "object"},
            {"required", json::array({"key", "name"})},
            {"properties",
             {{"id", read_only_int},
              {"key", {{"type", "string"}, {"pattern", "^[a-z][a-z0-9_-]{0,59}$"}}},
              {"name", {{"type", "string"}, {"maxLength", 200}}},
              {"description", {{"type", "string"}, {"maxLength", 2000}}},
              {"rule", ref("SegmentRule")},
              {"rule_text",
               {{"type", "string"},
                {"description", "The rule as text; in a request instead of rule (errors give line, "
                                "column and word). In answers always the canonical text."}}},
              {"version", read_only_int},
              {"status",
               {{"type", "string"},
                {"enum", {"computing", "live"}},
                {"readOnly", true},
                {"description", "computing: the bulk job is walking the profiles for this version"}}},
              {"member_count", read_only_int},
              {"progress",
               {{"type", "object"},
                {"readOnly", true},
                {"properties", {{"done", {{"type", "integer"}}}, {"total", {{"type", "integer"}}}}}}},
              {"computed_at", {{"type", {"string", "null"}}, {"format", "date-time"}, {"readOnly", true}}},
              {"created_by", {{"type", "string"}, {"readOnly", true}}},
              {"created_at", time},
              {"updated_at", time}}}};
}

json member_schema() {
    return {{"type", "object"},
            {"properties",
             {{"citizen_id", {{"type", "integer"}}},
              {"email", {{"type", "string"}}},
              {"first_name", {{"type", "string"}}},
              {"last_name", {{"type", "string"}}},
              {"entered_at", {{"type", "string"}, {"format", "date-time"}}}}}};
}

json id_param() {
    return json::array({{{"name", "id"}, {"in", "path"}, {"required", true}, {"schema", {{"type", "integer"}}}}});
}

json paths() {
    json write_body{{"required", true}, {"content", {{"application/json", {{"schema", ref("Segment")}}}}}};
    json list{{"type", "object"},
              {"properties", {{"items", {{"type", "array"}, {"items", ref("Segment")}}}, {"next_cursor", {{"type", "null"}}}}}};
    json members{{"type", "object"},
                 {"properties",
                  {{"items", {{"type", "array"}, {"items", ref("SegmentMember")}}},
                   {"next_cursor", {{"type", {"string", "null"}}}}}}};
    json preview{{"type", "object"},
                 {"properties",
                  {{"count", {{"type", "integer"}}},
                   {"sample", {{"type", "array"}, {"items", ref("SegmentMember")}}},
                   {"rule", ref("SegmentRule")},
                   {"rule_text", {{"type", "string"}}}}}};
    json forbidden = problem("Needs manage_segments");
    json invalid = problem("A value is not acceptable: errors[].field is the member or a JSON pointer "
                           "into the body (/rule/all/1/op); for rule_text the detail gives line, column "
                           "and word");
    return {
        {"/api/v1/segments",
         {{"get", {{"summary", "Segments with their live member counts"},
                   {"responses", {{"200", body_of(list, "All segments")}, {"403", forbidden}}}}},
          {"post", {{"summary", "Define a segment; its members are computed in bulk, then kept live"},
                    {"requestBody", write_body},
                    {"responses",
                     {{"201", body_of(ref("Segment"), "Created (Location header)")},
                      {"403", forbidden},
                      {"422", invalid}}}}}}},
        {"/api/v1/segments/preview",
         {{"post", {{"summary", "Who a rule would hold now: the count and the first ten (audited)"},
                    {"requestBody",
                     {{"required", true},
                      {"content",
                       {{"application/json",
                         {{"schema",
                           {{"type", "object"},
                            {"properties", {{"rule", ref("SegmentRule")}, {"rule_text", {{"type", "string"}}}}}}}}}}}}},
                    {"responses", {{"200", body_of(preview, "Count and sample")}, {"422", invalid}}}}}}},
        {"/api/v1/segments/{id}",
         {{"parameters", id_param()},
          {"get", {{"summary", "One segment (with the bulk job's progress while computing)"},
                   {"responses", {{"200", body_of(ref("Segment"), "The segment")}, {"404", problem("No such segment")}}}}},
          {"patch", {{"summary", "Change members given; a new rule is a new version, computed again"},
                     {"requestBody", write_body},
                     {"responses",
                      {{"200", body_of(ref("Segment"), "Changed")},
                       {"404", problem("No such segment")},
                       {"422", invalid}}}}},
          {"delete", {{"summary", "Delete with its memberships (no segment.left is written)"},
                      {"responses",
                       {{"204", {{"description", "Deleted"}}},
                        {"404", problem("No such segment")},
                        {"409", problem("A campaign refers to it")}}}}}}},
        {"/api/v1/segments/{id}/members",
         {{"parameters", id_param()},
          {"get", {{"summary", "Members by citizen id (audited)"},
                   {"parameters",
                    json::array({{{"name", "limit"}, {"in", "query"}, {"schema", {{"type", "integer"}, {"minimum", 1}, {"maximum", 1000}}}},
                                 {{"name", "cursor"}, {"in", "query"}, {"schema", {{"type", "string"}}}}})},
                   {"responses", {{"200", body_of(members, "A page")}, {"404", problem("No such segment")}}}}}}},
    };
}

} // namespace

void add_segment_paths(nlohmann::json& doc) {
    auto own = paths();
    for (auto& [path, item] : own.items())
        doc["paths"][path] = item;
    auto& schemas = doc["components"]["schemas"];
    schemas["Segment"] = segment_schema();
    schemas["SegmentRule"] = rule_schema();
    schemas["SegmentMember"] = member_schema();
}

} // namespace teilhabe::app
