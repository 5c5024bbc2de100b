// The surveys' part of the OpenAPI document (surveys/routes.cpp).

#include "app/openapi.h"

namespace teilhabe::app {

namespace {

using nlohmann::json;
using oas::body_of;
using oas::integer;
using oas::nullable;
using oas::param;
using oas::text;
using oas::problem;
using oas::ref;

json nullable_time() { return {{"type", {"string", "null"}}, {"format", "date-time"}}; }
json strings() { return {{"type", "array"}, {"items", text()}}; }

json schemas() {
    return {
        {"SurveyQuestion",
         {{"type", "object"},
          {"required", json::array({"kind", "text"})},
          {"properties",
           {{"id", {{"type", "string"}, {"readOnly", true}, {"description", "q1, q2, ... by position"}}},
            {"kind",
             {{"type", "string"},
              {"enum", {"single_choice", "multiple_choice", "free_text", "rating", "scale", "matrix"}},
              {"description", "rating: 1-5; scale: 0-10; matrix: rows x the shared options"}}},
            {"text", {{"type", "string"}, {"minLength", 1}, {"maxLength", 1000}}},
            {"required", {{"type", "boolean"}, {"default", false}}},
            {"options", strings()},
            {"rows", strings()}}}}},
        {"Survey",
         {{"type", "object"},
          {"required", json::array({"title"})},
          {"properties",
           {{"id", {{"type", "integer"}, {"readOnly", true}}},
            {"title", {{"type", "string"}, {"minLength", 1}, {"maxLength", 200}}},
            {"description", {{"type", "string"}, {"maxLength", 5000}}},
            {"opens_at", nullable_time()},
            {"closes_at", nullable_time()},
            {"audience",
             {{"type", "object"},
              {"description", "{kind: everyone} | {kind: topic, topic: key} | {kind: segment, segment_id}"},
              {"properties",
               {{"kind", {{"type", "string"}, {"enum", {"everyone", "topic", "segment"}}}},
                {"topic", text()},
                {"segment_id", integer()}}}}},
            {"anonymous",
             {{"type", "boolean"},
              {"description", "Answers stored apart from who took part, with no link between them"}}},
            {"department_id", nullable("integer")},
            {"status", {{"type", "string"}, {"enum", {"draft", "open", "closed"}}}},
            {"questions", {{"type", "array"}, {"items", ref("SurveyQuestion")}}},
            {"response_count", {{"type", "integer"}, {"readOnly", true}}},
            {"portal_url", {{"type", "string"}, {"readOnly", true}, {"description", "The link for a campaign"}}},
            {"created_at", nullable_time()},
            {"updated_at", nullable_time()}}}}},
        {"SurveyResponse",
         {{"type", "object"},
          {"required", json::array({"citizen_id", "answers"})},
          {"properties",
           {{"citizen_id", integer()},
            {"answers",
             {{"type", "object"},
              {"description", "By question id: single choice \"option\", multiple choice "
                              "[\"option\"], free text \"text\", rating 1-5, scale 0-10, matrix "
                              "{\"row\": \"option\"}"}}}}}}},
        // Anonymous surveys hide small counts (surveys/answers.h kSmallCount): a count of 1 to
        // 4 is null with suppressed true, an average that would give one away is null, and free
        // texts are [] until there are 5 responses. Named surveys: suppressed is always false.
        {"SurveyCount",
         {{"type", "object"},
          {"description", "One answer option (option) or value (value) and how often it was chosen. "
                          "In anonymous surveys a count from 1 to 4 is withheld: count null, "
                          "suppressed true."},
          {"properties",
           {{"option", text()},
            {"value", text()},
            {"count", nullable("integer")},
            {"suppressed", {{"type", "boolean"}}}}}}},
        {"SurveyResults",
         {{"type", "object"},
          {"properties",
           {{"survey_id", integer()},
            {"participants", integer()},
            {"responses", integer()},
            {"small_counts_suppressed",
             {{"type", "boolean"}, {"description", "An anonymous survey: small counts are withheld"}}},
            {"suppression_threshold",
             {{"type", "integer"}, {"description", "Counts below this (and above 0) are withheld; free texts are shown from this many responses on"}}},
            {"questions",
             {{"type", "array"},
              {"items",
               {{"type", "object"},
                {"properties",
                 {{"id", text()},
                  {"kind", text()},
                  {"text", text()},
                  {"answered", integer()},
                  {"counts", {{"type", "array"}, {"items", ref("SurveyCount")}}},
                  {"average", nullable("number")},
                  {"average_suppressed",
                   {{"type", "boolean"}, {"description", "The average would give a withheld count away"}}},
                  {"rows",
                   {{"type", "array"},
                    {"items",
                     {{"type", "object"},
                      {"properties",
                       {{"row", text()},
                        {"counts", {{"type", "array"}, {"items", ref("SurveyCount")}}}}}}}}},
                  {"texts", strings()},
                  {"texts_suppressed",
                   {{"type", "boolean"}, {"description", "Anonymous survey with fewer than 5 responses: no free texts"}}}}}}}}}}}}},
    };
}

json json_body(const json& schema) {
    return {{"required", true}, {"content", {{"application/json", {{"schema", schema}}}}}};
}

json file_body(const char* type, const char* description) {
    return {{"description", description}, {"content", {{type, {{"schema", {{"type", "string"}, {"format", "binary"}}}}}}}};
}

json paths() {
    json list{{"type", "object"},
              {"properties",
               {{"items", {{"type", "array"}, {"items", ref("Survey")}}},
                {"next_cursor", nullable("string")}}}};
    json id = json::array({param("id", "path", integer())});
    json forbidden = problem("Not allowed for this role");
    json missing = problem("No such survey (or another department's)");
    return {
        {"/api/v1/surveys",
         {{"get",
           {{"summary", "Surveys, oldest first, a page at a time (manage_participation; department "
                        "staff: their department's)"},
            {"parameters", json::array({param("limit", "query", integer(), false),
                                        param("cursor", "query", text(), false),
                                        param("status", "query", text(), false)})},
            {"responses", {{"200", body_of(list, "A page")}, {"403", forbidden}, {"422", problem("Bad parameter")}}}}},
          {"post",
           {{"summary", "Create a survey"},
            {"requestBody", json_body(ref("Survey"))},
            {"responses",
             {{"201", body_of(ref("Survey"), "Created (Location header)")},
              {"403", forbidden},
              {"422", problem("A value is not acceptable (the field or question is named)")}}}}}}},
        {"/api/v1/surveys/{id}",
         {{"parameters", id},
          {"get", {{"summary", "One survey"}, {"responses", {{"200", body_of(ref("Survey"), "The survey")}, {"404", missing}}}}},
          {"patch",
           {{"summary", "Change the members given; questions and anonymity are fixed once there are answers"},
            {"requestBody", json_body(ref("Survey"))},
            {"responses", {{"200", body_of(ref("Survey"), "Changed")}, {"404", missing}, {"409", problem("The survey has answers")}, {"422", problem("A value is not acceptable")}}}}},
          {"delete",
           {{"summary", "Delete a survey without answers"},
            {"responses", {{"204", {{"description", "Deleted"}}}, {"404", missing}, {"409", problem("The survey has answers: close it")}}}}}}},
        {"/api/v1/surveys/{id}/results",
         {{"parameters", id},
          {"get", {{"summary", "Aggregates per question"}, {"responses", {{"200", body_of(ref("SurveyResults"), "The results")}, {"404", missing}}}}}}},
        {"/api/v1/surveys/{id}/results.csv",
         {{"parameters", id},
          {"get", {{"summary", "Named surveys: the answers, one row per response with person and time (UTF-8, ';'). Anonymous surveys: the aggregates, one row per answer (question;answer;count;percent), counts from 1 to 4 as '< 5' without a share, free texts only from 5 responses on"},
                   {"responses", {{"200", file_body("text/csv", "CSV")}, {"404", missing}}}}}}},
        {"/api/v1/surveys/{id}/results.xlsx",
         {{"parameters", id},
          {"get", {{"summary", "The same as XLSX"},
                   {"responses", {{"200", file_body("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX")}, {"404", missing}}}}}}},
        {"/api/v1/surveys/{id}/responses",
         {{"parameters", id},
          {"post",
           {{"summary", "Hand in a person's answers (another system); records survey.completed"},
            {"requestBody", json_body(ref("SurveyResponse"))},
            {"responses",
             {{"201", body_of({{"type", "object"}}, "Recorded")},
              {"404", missing},
              {"409", problem("The person has already answered")},
              {"422", problem("Answers missing, out of range or unknown (each listed in errors), "
                              "the survey is not open, or the person is not in its audience")}}}}}}},
    };
}

} // namespace

void add_survey_paths(nlohmann::json& doc) {
    auto own_paths = paths();
    for (auto& [path, item] : own_paths.items())
        doc["paths"][path] = item;
    auto own = schemas();
    for (auto& [name, schema] : own.items())
        doc["components"]["schemas"][name] = schema;
}

} // namespace teilhabe::app
