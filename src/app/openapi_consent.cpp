// Newsletters and consent in the OpenAPI document: topics, consent texts, the consents of one
// person with their proof (consent/routes.cpp), and the RFC 8058 one-click unsubscribe POST
// that mail clients send.

#include "app/openapi.h"

namespace teilhabe::app {

namespace {

using nlohmann::json;

using oas::body_of;
using oas::problem;
using oas::ref;

json topic_schema() {
    json time{{"type", "string"}, {"format", "date-time"}, {"readOnly", true}};
    json text{{"type", "string"}};
    return {{"type", "object"},
            {"required", json::array({"key", "name_de"})},
            {"properties",
             {{"id", {{"type", "integer"}, {"readOnly", true}}},
              {"key",
               {{"type", "string"},
                {"pattern", "^[a-z0-9_-]{2,50}$"},
                {"description", "Used in links: /subscribe?topic=KEY"}}},
              {"name_de", text},
              {"name_en", text},
              {"description_de", text},
              {"description_en", text},
              {"department_id",
               {{"type", {"integer", "null"}},
                {"description", "null: the whole town. Department staff may only use their own."}}},
              {"public", {{"type", "boolean"}, {"default", true},
                          {"description", "Offered on the public sign-up form"}}},
              {"active", {{"type", "boolean"}, {"default", true},
                          {"description", "false: archived (neither offered nor sent)"}}},
              {"subscribers", {{"type", "integer"}, {"readOnly", true},
                               {"description", "Confirmed consents"}}},
              {"created_at", time},
              {"updated_at", time}}}};
}

json consent_text_schema() {
    return {{"type", "object"},
            {"properties",
             {{"id", {{"type", "integer"}}},
              {"kind", {{"type", "string"}, {"enum", {"newsletter", "tracking"}}}},
              {"version", {{"type", "integer"}}},
              {"text_de", {{"type", "string"}, {"maxLength", 5000}}},
              {"text_en", {{"type", "string"}, {"maxLength", 5000}}},
              {"created_by", {{"type", "string"}}},
              {"created_at", {{"type", "string"}, {"format", "date-time"}}}}}};
}

json proof_schema() {
    return {{"type", {"object", "null"}},
            {"properties",
             {{"at", {{"type", "string"}, {"format", "date-time"}}},
              {"ip", {{"type", "string"}}},
              {"user_agent", {{"type", "string"}}},
              {"form_url", {{"type", "string"}}}}}};
}

json consent_schema() {
    return {{"type", "object"},
            {"properties",
             {{"id", {{"type", "integer"}}},
              {"citizen_id", {{"type", "integer"}}},
              {"subject", {{"type", "string"}, {"description", "topic:<id> or tracking"}}},
              {"topic_id", {{"type", {"integer", "null"}}}},
              {"status", {{"type", "string"}, {"enum", {"pending", "confirmed", "withdrawn"}}}},
              {"consent_text_id", {{"type", "integer"}}},
              {"via", {{"type", "string"}}},
              {"requested", proof_schema()},
              {"confirmed", proof_schema()},
              {"withdrawn", proof_schema()},
              {"withdraw_via", {{"type", "string"}}}}}};
}

json id_param(const char* name = "id") {
    return json::array(
        {{{"name", name}, {"in", "path"}, {"required", true}, {"schema", {{"type", "integer"}}}}});
}

json paths() {
    json write_body{{"required", true},
                    {"content", {{"application/json", {{"schema", ref("Topic")}}}}}};
    json list{{"type", "object"},
              {"properties",
               {{"items", {{"type", "array"}, {"items", ref("Topic")}}},
                {"next_cursor", {{"type", "null"}}}}}};
    json forbidden = problem("Not allowed (manage_topics; department staff: own department only)");
    json kind = json::array({{{"name", "kind"},
                              {"in", "path"},
                              {"required", true},
                              {"schema", {{"type", "string"}, {"enum", {"newsletter", "tracking"}}}}}});
    json texts{{"type", "object"},
               {"properties",
                {{"current", ref("ConsentText")},
                 {"versions", {{"type", "array"}, {"items", ref("ConsentText")}}}}}};
    json proof{{"type", "object"},
               {"properties",
                {{"consents", {{"type", "array"}, {"items", ref("Consent")}}},
                 {"history", {{"type", "array"}, {"items", {{"type", "object"}}}}},
                 {"texts", {{"type", "object"},
                            {"additionalProperties", ref("ConsentText")},
                            {"description", "The texts the consents were given under, by id"}}}}}};
    return {
        {"/api/v1/topics",
         {{"get", {{"summary", "Topics (newsletters), active first"},
                   {"responses", {{"200", body_of(list, "All topics")}}}}},
          {"post", {{"summary", "Create a topic"},
                    {"requestBody", write_body},
                    {"responses", {{"201", body_of(ref("Topic"), "Created (Location header)")},
                                   {"403", forbidden},
                                   {"409", problem("The key is taken")},
                                   {"422", problem("A value is not acceptable")}}}}}}},
        {"/api/v1/topics/{id}",
         {{"parameters", id_param()},
          {"get", {{"summary", "One topic"},
                   {"responses", {{"200", body_of(ref("Topic"), "The topic")},
                                  {"404", problem("No such topic")}}}}},
          {"patch", {{"summary", "Change a topic (members given); active=false archives it"},
                     {"requestBody", write_body},
                     {"responses", {{"200", body_of(ref("Topic"), "Changed")},
                                    {"403", forbidden},
                                    {"404", problem("No such topic")},
                                    {"422", problem("A value is not acceptable")}}}}},
          {"delete", {{"summary", "Delete a topic nobody consented to"},
                      {"responses", {{"204", {{"description", "Deleted"}}},
                                     {"403", forbidden},
                                     {"404", problem("No such topic")},
                                     {"409", problem("People consented to it: archive it instead "
                                                     "(PATCH active=false)")}}}}}}},
        {"/api/v1/consent-texts/{kind}",
         {{"parameters", kind},
          {"get", {{"summary", "The consent text shown on the form, with every earlier version"},
                   {"responses", {{"200", body_of(texts, "Current and all versions")}}}}},
          {"post", {{"summary", "A new version of the text (earlier consents keep theirs)"},
                    {"requestBody", {{"required", true},
                                     {"content", {{"application/json",
                                                   {{"schema", {{"type", "object"},
                                                                {"required", {"text_de", "text_en"}},
                                                                {"properties",
                                                                 {{"text_de", {{"type", "string"}}},
                                                                  {"text_en", {{"type", "string"}}}}}}}}}}}}},
                    {"responses", {{"201", body_of(ref("ConsentText"), "The new version")},
                                   {"403", problem("Not allowed (manage_consent_texts)")},
                                   {"422", problem("A text is missing or too long")}}}}}}},
        {"/api/v1/citizens/{id}/consents",
         {{"parameters", id_param()},
          {"get", {{"summary", "Proof of consent of one person (GDPR Art. 7(1)); audited"},
                   {"responses", {{"200", body_of(proof, "Consents, their history and texts")},
                                  {"404", problem("No such citizen")}}}}}}},
        {"/unsubscribe/{token}",
         {{"parameters",
           json::array({{{"name", "token"}, {"in", "path"}, {"required", true},
                         {"schema", {{"type", "string"}}}}})},
          {"post",
           {{"summary", "One-click unsubscribe (RFC 8058), as in the List-Unsubscribe header"},
            {"description", "No cookie, CSRF token or log-in: the signed token is the authority. "
                            "Withdraws the topics of the mail at once (all when it names none)."},
            {"security", json::array()},
            {"requestBody",
             {{"required", true},
              {"content",
               {{"application/x-www-form-urlencoded",
                 {{"schema", {{"type", "object"},
                              {"properties", {{"List-Unsubscribe", {{"type", "string"},
                                                                    {"enum", {"One-Click"}}}}}}}}}}}}}},
            {"responses", {{"200", {{"description", "Unsubscribed"}}},
                           {"404", {{"description", "Not a valid link"}}}}}}}}},
    };
}

} // namespace

void add_consent_paths(nlohmann::json& doc) {
    auto own = paths(); // named: items() of a temporary would outlive it
    for (auto& [path, item] : own.items())
        doc["paths"][path] = item;
    auto& schemas = doc["components"]["schemas"];
    schemas["Topic"] = topic_schema();
    schemas["ConsentText"] = consent_text_schema();
    schemas["Consent"] = consent_schema();
}

} // namespace teilhabe::app
