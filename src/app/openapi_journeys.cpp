// The journeys' part of the OpenAPI document (journeys/routes.cpp). The definition's format is
// described in docs/decisions.md ("Journeys"); here its outline.

#include "app/openapi.h"

namespace teilhabe::app {

namespace {

using nlohmann::json;
using oas::body_of;
using oas::problem;
using oas::ref;

json journey_schema() {
    json time{{"type", "string"}, {"format", "date-time"}, {"readOnly", true}};
    json step{{"type", "object"},
              {"required", json::array({"type"})},
              {"properties",
               {{"id", {{"type", "string"}, {"description", "default s1, s2, ... in order"}}},
                {"type",
                 {{"type", "string"},
                  {"enum", {"wait", "branch", "send_email", "award_points", "set_field", "add_tag",
                            "add_interest", "webhook", "exit"}}}},
                {"next", {{"type", "string"}, {"description", "a later step's id or \"exit\"; default: the following step"}}}}},
              {"additionalProperties", true},
              {"description",
               "wait: one of duration (3d, 12h), until_time (HH:MM Europe/Berlin, skip_sundays), until_date "
               "(RFC 3339), until_trigger (a props member of the trigger activity) with offset (-2d) and "
               "if_past (continue|exit); branch: rule (a segment rule), then, else; send_email: subject, "
               "body (mail template language), topic (consent needed); award_points: points, reason; "
               "set_field: field, value; add_tag: tag; add_interest: topic; webhook: webhook_id."}};
    json definition{
        {"type", "object"},
        {"required", json::array({"trigger", "steps"})},
        {"properties",
         {{"trigger",
           {{"type", "object"},
            {"description", "{\"type\": \"activity\", \"activity\": \"newsletter.confirmed\", \"filter\": "
                            "{\"object\": ..., \"props\": {...}}} | {\"type\": \"segment\", \"segment_id\": N} | "
                            "{\"type\": \"date_field\", \"field\": \"birthday\", \"offset_days\": -2, \"at\": \"09:00\"}"}}},
          {"reentry", {{"description", "\"never\" (default), \"always\" or {\"after_days\": N}"}}},
          {"quiet_hours",
           {{"description", "false, or {\"from\": \"20:00\", \"to\": \"08:00\", \"sundays\": true} "
                            "(Europe/Berlin); absent: the town's"}}},
          {"steps", {{"type", "array"}, {"items", step}, {"maxItems", 100}}}}}};
    return {{"type", "object"},
            {"required", json::array({"name", "definition"})},
            {"properties",
             {{"id", {{"type", "integer"}, {"readOnly", true}}},
              {"key", {{"type", {"string", "null"}}, {"readOnly", true}, {"description", "ready-made journeys: welcome, event_reminder"}}},
              {"name", {{"type", "string"}, {"maxLength", 120}}},
              {"description", {{"type", "string"}}},
              {"active", {{"type", "boolean"}, {"readOnly", true}, {"description", "switched with activate/deactivate"}}},
              {"definition", definition},
              {"created_at", time},
              {"updated_at", time}}}};
}

json statistics_schema() {
    json step{{"type", "object"},
              {"properties",
               {{"step", {{"type", "string"}}},
                {"type", {{"type", "string"}}},
                {"entered", {{"type", "integer"}}},
                {"waiting", {{"type", "integer"}}},
                {"done", {{"type", "integer"}}},
                {"exited", {{"type", "integer"}}},
                {"failed",
                 {{"type", "integer"},
                  {"description", "people who left here after the last attempt of a step that kept failing"}}},
                {"retrying", {{"type", "integer"}, {"description", "people waiting here for another attempt"}}},
                {"last_error", {{"type", {"string", "null"}}, {"description", "the latest failure at this step"}}}}}};
    return {{"type", "object"},
            {"properties",
             {{"journey_id", {{"type", "integer"}}},
              {"active", {{"type", "integer"}, {"description", "people in the journey now"}}},
              {"done", {{"type", "integer"}}},
              {"exited", {{"type", "integer"}}},
              {"steps", {{"type", "array"}, {"items", step}}}}}};
}

json paths() {
    json id_param = json::array({{{"name", "id"}, {"in", "path"}, {"required", true}, {"schema", {{"type", "integer"}}}}});
    json body{{"required", true}, {"content", {{"application/json", {{"schema", ref("Journey")}}}}}};
    json list{{"type", "object"},
              {"properties", {{"items", {{"type", "array"}, {"items", ref("Journey")}}}, {"next_cursor", {{"type", "null"}}}}}};
    json forbidden = problem("Needs manage_journeys (administrators, editors)");
    json invalid = problem("The definition is not acceptable; field names the part (definition.steps[2].duration)");
    json missing = problem("No such journey");
    auto switcher = [&](const char* summary) {
        return json{{"parameters", id_param},
                    {"post",
                     {{"summary", summary},
                      {"responses", {{"200", body_of(ref("Journey"), "The journey")}, {"404", missing}, {"409", problem("The definition is not valid")}}}}}};
    };
    return {
        {"/api/v1/journeys",
         {{"get", {{"summary", "All journeys"}, {"responses", {{"200", body_of(list, "Journeys")}, {"403", forbidden}}}}},
          {"post",
           {{"summary", "Define a journey (switched off)"},
            {"requestBody", body},
            {"responses", {{"201", body_of(ref("Journey"), "Created (Location header)")}, {"403", forbidden}, {"422", invalid}}}}}}},
        {"/api/v1/journeys/{id}",
         {{"parameters", id_param},
          {"get", {{"summary", "One journey"}, {"responses", {{"200", body_of(ref("Journey"), "The journey")}, {"404", missing}}}}},
          {"patch",
           {{"summary", "Change name, description or definition (people at a removed step leave)"},
            {"requestBody", body},
            {"responses", {{"200", body_of(ref("Journey"), "Changed")}, {"404", missing}, {"422", invalid}}}}},
          {"delete",
           {{"summary", "Delete with everybody's place in it"},
            {"responses", {{"204", {{"description", "Deleted"}}}, {"404", missing}}}}}}},
        {"/api/v1/journeys/{id}/activate", switcher("Switch on: people enter on the trigger")},
        {"/api/v1/journeys/{id}/deactivate", switcher("Switch off: nobody enters, people in it wait")},
        {"/api/v1/journeys/{id}/statistics",
         {{"parameters", id_param},
          {"get",
           {{"summary", "Counters per step: entered, waiting, done, exited, failed, retrying"},
            {"responses", {{"200", body_of(ref("JourneyStatistics"), "Statistics")}, {"404", missing}}}}}}},
    };
}

} // namespace

void add_journey_paths(nlohmann::json& doc) {
    auto own = paths();
    for (auto& [path, item] : own.items())
        doc["paths"][path] = item;
    auto& schemas = doc["components"]["schemas"];
    schemas["Journey"] = journey_schema();
    schemas["JourneyStatistics"] = statistics_schema();
}

} // namespace teilhabe::app
