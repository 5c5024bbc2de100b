// The data hub's part of the OpenAPI document: citizen profiles, their merge and custom fields
// (citizens/routes.cpp). Kept in its own file so each area's paths can grow on their own.

#include "app/openapi.h"

namespace teilhabe::app {

namespace {

using nlohmann::json;

using oas::body_of;
using oas::problem;
using oas::ref;

json string_array() {
    return {{"type", "array"}, {"items", {{"type", "string"}}}};
}

json citizen_schema() {
    json text{{"type", "string"}, {"maxLength", 100}};
    json time{{"type", "string"}, {"format", "date-time"}, {"readOnly", true}};
    return {{"type", "object"},
            {"required", json::array({"email"})},
            {"properties",
             {{"id", {{"type", "integer"}, {"readOnly", true}}},
              {"email",
               {{"type", "string"},
                {"format", "email"},
                {"description", "Stored trimmed and lower-cased; one profile per address."}}},
              {"first_name", text},
              {"last_name", text},
              {"language", {{"type", "string"}, {"enum", {"de", "en"}}}},
              {"preferred_channel", {{"type", "string"}, {"enum", {"email", "post", "none"}}}},
              {"district", text},
              {"tags", string_array()},
              {"interests",
               {{"type", "array"},
                {"items", {{"type", "string"}}},
                {"description", "Topic keys; an unknown key is refused (422)."}}},
              {"attributes",
               {{"type", "object"},
                {"description", "Custom field key -> value of the field's type; "
                                "null removes a value in a PATCH."}}},
              {"restricted",
               {{"type", "boolean"},
                {"readOnly", true},
                {"description", "GDPR Art. 18: processing restricted; changes are "
                                "refused (409)."}}},
              {"restricted_at",
               {{"type", {"string", "null"}}, {"format", "date-time"}, {"readOnly", true}}},
              {"created_at", time},
              {"updated_at", time}}}};
}

json field_schema() {
    json nullable_number{{"type", {"number", "integer", "string", "null"}}};
    return {{"type", "object"},
            {"required", json::array({"key", "type", "label"})},
            {"properties",
             {{"key", {{"type", "string"}, {"pattern", "^[a-z][a-z0-9_]{0,39}$"}}},
              {"type",
               {{"type", "string"},
                {"enum", {"text", "number", "date", "bool", "choice", "multichoice"}}}},
              {"label",
               {{"type", "object"},
                {"properties", {{"de", {{"type", "string"}}}, {"en", {{"type", "string"}}}}}}},
              {"options", string_array()},
              {"required", {{"type", "boolean"}}},
              {"min", nullable_number},
              {"max", nullable_number},
              {"pattern", {{"type", {"string", "null"}}}},
              {"personal", {{"type", "boolean"}}},
              {"department", {{"type", {"string", "null"}}}},
              {"retention_days",
               {{"type", {"integer", "null"}},
                {"minimum", 1},
                {"maximum", 36500},
                {"description", "Retention period in days (GDPR Art. 5(1)(e)); setting it clears "
                                "retention_months."}}},
              {"retention_months",
               {{"type", {"integer", "null"}},
                {"minimum", 1},
                {"maximum", 1200},
                {"description", "Retention period in calendar months; setting it clears "
                                "retention_days. Give one of the two, not both."}}},
              {"ask_in_portal", {{"type", "boolean"}}},
              {"portal_order", {{"type", "integer"}}},
              {"confirm",
               {{"type", "boolean"},
                {"writeOnly", true},
                {"description", "Allow a change that deletes people's values."}}}}}};
}

json list_of(const char* schema) {
    return {{"type", "object"},
            {"properties",
             {{"items", {{"type", "array"}, {"items", ref(schema)}}},
              {"next_cursor", {{"type", {"string", "null"}}}}}}};
}

json query(const char* name, const char* description, json schema = {{"type", "string"}}) {
    return {{"name", name}, {"in", "query"}, {"description", description}, {"schema", schema}};
}

json path_param(const char* name, json schema) {
    return json::array({{{"name", name}, {"in", "path"}, {"required", true}, {"schema", schema}}});
}

json force() {
    return query("force",
                 "true: also delete the values the change drops (otherwise 422 says "
                 "how many people have them)",
                 {{"type", "boolean"}});
}

json citizen_paths() {
    json created{{"description", "Created"},
                 {"headers", {{"Location", {{"schema", {{"type", "string"}}}}}}},
                 {"content", {{"application/json", {{"schema", ref("Citizen")}}}}}};
    json list_params = json::array(
        {query("q", "Prefix of the e-mail, first or last name (any case)"),
         query("district", "Exact district"), query("tag", "Has the tag (repeatable: all of them)"),
         query("interest", "Has the topic key as interest (repeatable)"),
         query("restricted", "true or false", {{"type", "boolean"}}),
         query("limit", "1..200, default 50",
               {{"type", "integer"}, {"minimum", 1}, {"maximum", 200}}),
         query("cursor", "next_cursor of the previous page")});
    return {
        {"/api/v1/citizens",
         {{"get",
           {{"summary", "List profiles (filters; also field.<key>=value, for multiple "
                        "choice: has the option)"},
            {"parameters", list_params},
            {"responses",
             {{"200", body_of(list_of("Citizen"), "A page, in id order")},
              {"400", problem("A malformed filter")},
              {"403", problem("Needs read_citizens")}}}}},
          {"post",
           {{"summary", "Create a profile"},
            {"requestBody",
             {{"required", true},
              {"content", {{"application/json", {{"schema", ref("Citizen")}}}}}}},
            {"responses",
             {{"201", created},
              {"400", problem("Not a JSON object")},
              {"409", problem("The e-mail address has a profile already")},
              {"422", problem("A value is not acceptable (errors[].field)")}}}}}}},
        {"/api/v1/citizens/{id}",
         {{"parameters", path_param("id", {{"type", "integer"}})},
          {"get",
           {{"summary", "One profile (the read is audited)"},
            {"responses",
             {{"200", body_of(ref("Citizen"), "The profile")},
              {"404", problem("No such citizen")}}}}},
          {"patch",
           {{"summary", "Change a profile (JSON merge patch, RFC 7396)"},
            {"requestBody",
             {{"required", true},
              {"content",
               {{"application/merge-patch+json", {{"schema", ref("Citizen")}}},
                {"application/json", {{"schema", ref("Citizen")}}}}}}},
            {"responses",
             {{"200", body_of(ref("Citizen"), "The changed profile")},
              {"404", problem("No such citizen")},
              {"409", problem("Duplicate e-mail, or processing restricted")},
              {"422", problem("A value is not acceptable (errors[].field)")}}}}},
          {"delete",
           {{"summary", "Erase the profile with its tags, interests and values (GDPR Art. 17)"},
            {"responses",
             {{"204", {{"description", "Erased"}}}, {"404", problem("No such citizen")},
              {"409", problem("The person still holds Stadttaler (errors[0].field "
                              "stadttaler_balance; the detail names the amount): pay them out "
                              "first, POST /api/v1/stadttaler/payouts")}}}}}}},
    };
}

json merge_schema() {
    json side{{"type", "string"}, {"enum", {"survivor", "duplicate"}}};
    json members = json::object();
    for (const char* m : {"first_name", "last_name", "language", "preferred_channel", "district"})
        members[m] = side;
    members["attributes"] = {{"type", "object"},
                             {"additionalProperties", side},
                             {"description", "Custom field key -> whose value to keep."}};
    return {{"type", "object"},
            {"required", json::array({"duplicate_id"})},
            {"properties",
             {{"duplicate_id",
               {{"type", "integer"},
                {"description", "The other profile of the same person; it is deleted after its "
                                "rows moved to this one."}}},
              {"prefer",
               {{"type", "object"},
                {"properties", members},
                {"additionalProperties", false},
                {"description", "Where both profiles have a value and they differ, whose value "
                                "stays (default: survivor). Empty values are always filled from "
                                "the duplicate; the e-mail address is always the survivor's."}}}}}};
}

json merge_path() {
    return {{"parameters", path_param("id", {{"type", "integer"}})},
            {"post",
             {{"summary", "Merge a duplicate profile into this one (needs write_citizens)"},
              {"description",
               "In one transaction: the survivor keeps its e-mail address; empty values are "
               "filled from the duplicate, differing ones keep the survivor's unless `prefer` "
               "says otherwise; tags and interests are united; every row that refers to the "
               "duplicate (timeline, values ...) moves to the survivor; the duplicate is "
               "deleted; a citizen.merged activity and audit entries record it."},
              {"requestBody",
               {{"required", true},
                {"content", {{"application/json", {{"schema", ref("MergeRequest")}}}}}}},
              {"responses",
               {{"200", body_of(ref("Citizen"), "The merged profile")},
                {"400", problem("Not a JSON object")},
                {"403", problem("Needs write_citizens")},
                {"404", problem("No such citizen (either id)")},
                {"409", problem("Either profile is restricted (GDPR Art. 18)")},
                {"422", problem("The profile itself as duplicate_id, or a choice that names "
                                "nothing (errors[].field)")}}}}}};
}

json field_paths() {
    json key = path_param("key", {{"type", "string"}});
    return {
        {"/api/v1/fields",
         {{"get",
           {{"summary", "The municipality's custom fields"},
            {"responses", {{"200", body_of(list_of("Field"), "All definitions")}}}}},
          {"post",
           {{"summary", "Define a field (department staff: of their own department)"},
            {"requestBody",
             {{"required", true}, {"content", {{"application/json", {{"schema", ref("Field")}}}}}}},
            {"responses",
             {{"201", body_of(ref("Field"), "Created (Location header)")},
              {"403", problem("Another department's field")},
              {"409", problem("The key exists")},
              {"422", problem("The definition is not valid")}}}}}}},
        {"/api/v1/fields/{key}",
         {{"parameters", key},
          {"get",
           {{"summary", "One definition"},
            {"responses",
             {{"200", body_of(ref("Field"), "The definition")},
              {"404", problem("No such field")}}}}},
          {"patch",
           {{"summary", "Change a definition (merge patch; the key stays)"},
            {"parameters", json::array({force()})},
            {"requestBody",
             {{"required", true}, {"content", {{"application/json", {{"schema", ref("Field")}}}}}}},
            {"responses",
             {{"200", body_of(ref("Field"), "The changed definition")},
              {"403", problem("Another department's field")},
              {"422", problem("Invalid, or it would delete values without confirmation")}}}}},
          {"delete",
           {{"summary", "Delete a field"},
            {"parameters", json::array({force()})},
            {"responses",
             {{"204", {{"description", "Deleted, with its values"}}},
              {"403", problem("Another department's field")},
              {"422", problem("People have values and it was not confirmed")}}}}}}},
    };
}

// Lists of people out (exports/routes.cpp) and files in (imports/routes.cpp).
json transfer_paths() {
    json file{{"type", "string"}, {"format", "binary"}};
    json export_params = json::array(
        {query("format", "csv (default; UTF-8 with BOM, ';', for Excel in Germany), xlsx or json",
               {{"type", "string"}, {"enum", {"csv", "xlsx", "json"}}}),
         query("q", "Prefix of the e-mail, first or last name (any case)"),
         query("district", "Exact district"), query("tag", "Has the tag (repeatable: all of them)"),
         query("interest", "Has the topic key as interest (repeatable)")});
    json run{{"type", "object"},
             {"properties",
              {{"id", {{"type", "integer"}}},
               {"state",
                {{"type", "string"}, {"enum", {"queued", "running", "done", "refused", "failed"}}}},
               {"rows_total", {{"type", {"integer", "null"}}}},
               {"rows_done", {{"type", "integer"}}},
               {"report", {{"type", {"object", "null"}}}},
               {"error", {{"type", {"string", "null"}}}}}}};
    return {
        {"/api/v1/exports/citizens",
         {{"get",
           {{"summary", "Download everybody the filters select (also field.<key>=value), without "
                        "restricted profiles (GDPR Art. 18); every export is audited"},
            {"parameters", export_params},
            {"responses",
             {{"200",
               {{"description", "The file (Content-Disposition: attachment; "
                                "filename=\"personen-YYYY-MM-DD.<format>\"). CSV and JSON are "
                                "sent chunked as they are read; a transfer that breaks off was "
                                "not complete."},
                {"content",
                 {{"text/csv", {{"schema", file}}},
                  {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   {{"schema", file}}},
                  {"application/json", {{"schema", {{"type", "array"}, {"items", ref("Citizen")}}}}}}}}},
              {"400", problem("A malformed or unknown filter, limit, cursor or restricted=true")},
              {"403", problem("Needs export_citizens")},
              {"422", problem("More people than an XLSX sheet holds")}}}}}}},
        {"/api/v1/imports",
         {{"post",
           {{"summary", "Import a CSV file of citizens, all or nothing"},
            {"parameters",
             json::array({query("dry_run", "true: check and report only", {{"type", "boolean"}}),
                          query("async",
                                "true: run as a job; 202 with the run's status_url",
                                {{"type", "boolean"}}),
                          query("map.<column>", "Target of a column, e.g. district or "
                                                "attributes.<key>; empty to ignore it")})},
            {"requestBody",
             {{"required", true}, {"content", {{"text/csv", {{"schema", file}}}}}}},
            {"responses",
             {{"200", body_of({{"type", "object"}}, "The report: imported, or a clean dry run")},
              {"202", body_of(run, "Queued (async=true); follow status_url")},
              {"400", problem("The file or the mapping cannot be used")},
              {"415", problem("Not text/csv")},
              {"422", problem("Rows refused; nothing written (report in the problem)")}}}}}}},
        {"/api/v1/imports/{id}",
         {{"parameters", path_param("id", {{"type", "integer"}})},
          {"get",
           {{"summary", "An import run as a job: rows done of total, then the report"},
            {"responses",
             {{"200", body_of(run, "The run")}, {"404", problem("No such import")}}}}}}},
    };
}

} // namespace

void add_citizen_paths(nlohmann::json& doc) {
    doc["components"]["schemas"]["Citizen"] = citizen_schema();
    doc["components"]["schemas"]["Field"] = field_schema();
    doc["components"]["schemas"]["MergeRequest"] = merge_schema();
    doc["paths"]["/api/v1/citizens/{id}/merge"] = merge_path();
    for (auto&& paths : {citizen_paths(), field_paths(), transfer_paths()})
        for (const auto& [path, item] : paths.items())
            doc["paths"][path] = item;
}

} // namespace teilhabe::app
