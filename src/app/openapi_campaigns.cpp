// The campaigns' part of the OpenAPI document (campaigns/routes.cpp) and the tracked link.

#include "app/openapi.h"

namespace teilhabe::app {

namespace {

using nlohmann::json;

using oas::body_of;
using oas::problem;
using oas::ref;

json campaign_schema() {
    json time{{"type", {"string", "null"}}, {"format", "date-time"}, {"readOnly", true}};
    return {{"type", "object"},
            {"properties",
             {{"id", {{"type", "integer"}, {"readOnly", true}}},
              {"name", {{"type", "string"}, {"maxLength", 200}, {"description", "For staff; the subject when empty"}}},
              {"subject", {{"type", "string"}, {"maxLength", 250}, {"description", "One line; may use {{first_name}}"}}},
              {"preheader", {{"type", "string"}, {"maxLength", 250}}},
              {"body_markdown",
               {{"type", "string"},
                {"description", "CommonMark with {{first_name}}, {{last_name}}, {{field.KEY}}, blocks "
                                "{{#interest.KEY}}...{{/interest.KEY}}; a link title \"topic:KEY\" makes a click "
                                "count for the topic"}}},
              {"topics", {{"type", "array"}, {"items", {{"type", "string"}}}, {"description", "Topic keys"}}},
              {"segment_id",
               {{"type", {"integer", "null"}},
                {"description", "Only the members of this segment among the confirmed subscribers of "
                                "the topics; without topics, the segment's members who confirmed at "
                                "least one topic"}}},
              {"scheduled_at",
               {{"type", {"string", "null"}},
                {"format", "date-time"},
                {"description", "Set: scheduled for then; null: back to draft"}}},
              {"status",
               {{"type", "string"},
                {"readOnly", true},
                {"enum", {"draft", "scheduled", "sending", "paused", "cancelled", "finished"}}}},
              {"started_at", time},
              {"finished_at", time},
              {"created_by", {{"type", "string"}, {"readOnly", true}}},
              {"created_at", {{"type", "string"}, {"format", "date-time"}, {"readOnly", true}}},
              {"updated_at", {{"type", "string"}, {"format", "date-time"}, {"readOnly", true}}}}}};
}

json report_schema() {
    json counts{{"type", "object"}, {"additionalProperties", {{"type", "integer"}}}};
    return {{"type", "object"},
            {"properties",
             {{"campaign_id", {{"type", "integer"}}},
              {"status", {{"type", "string"}}},
              {"audience", {{"type", "integer"}, {"description", "Drafts and scheduled: who would get it now"}}},
              {"recipients", counts},
              {"total", {{"type", "integer"}}},
              {"queued", {{"type", "integer"}}},
              {"sent", {{"type", "integer"}}},
              {"bounced", {{"type", "integer"}}},
              {"suppressed", {{"type", "integer"}}},
              {"failed", {{"type", "integer"}}},
              {"cancelled", {{"type", "integer"}}},
              {"links",
               {{"type", "array"},
                {"items",
                 {{"type", "object"},
                  {"properties",
                   {{"url", {{"type", "string"}}},
                    {"topic", {{"type", {"string", "null"}}}},
                    {"clicks", {{"type", "integer"}}},
                    {"people", {{"type", "integer"}}}}}}}}},
              {"clicks_per_topic", counts},
              {"people_clicked", {{"type", "integer"}}},
              {"unsubscribes", {{"type", "integer"}}}}}};
}

json id_param() {
    return json::array({{{"name", "id"}, {"in", "path"}, {"required", true}, {"schema", {{"type", "integer"}}}}});
}

json action(const char* summary) {
    return {{"parameters", id_param()},
            {"post",
             {{"summary", summary},
              {"responses",
               {{"200", body_of(ref("Campaign"), "The campaign")},
                {"404", problem("No such campaign")},
                {"409", problem("Not possible in the campaign's state")}}}}}};
}

json paths() {
    json body{{"required", true}, {"content", {{"application/json", {{"schema", ref("Campaign")}}}}}};
    json list{{"type", "object"},
              {"properties",
               {{"items", {{"type", "array"}, {"items", ref("Campaign")}}},
                {"next_cursor", {{"type", {"string", "null"}}}}}}};
    return {
        {"/api/v1/campaigns",
         {{"get",
           {{"summary", "Campaigns, newest first"},
            {"parameters",
             json::array({{{"name", "status"}, {"in", "query"}, {"schema", {{"type", "string"}}}},
                          {{"name", "limit"}, {"in", "query"}, {"schema", {{"type", "integer"}}}},
                          {{"name", "cursor"}, {"in", "query"}, {"schema", {{"type", "string"}}}}})},
            {"responses", {{"200", body_of(list, "A page")}}}}},
          {"post",
           {{"summary", "A draft; with scheduled_at, scheduled"},
            {"requestBody", body},
            {"responses",
             {{"201", body_of(ref("Campaign"), "Created (Location header)")},
              {"422", problem("A value is not acceptable (field)")}}}}}}},
        {"/api/v1/campaigns/{id}",
         {{"parameters", id_param()},
          {"get", {{"summary", "One campaign"}, {"responses", {{"200", body_of(ref("Campaign"), "The campaign")}, {"404", problem("No such campaign")}}}}},
          {"patch",
           {{"summary", "Change a draft; scheduled_at schedules or (null) unschedules"},
            {"requestBody", body},
            {"responses",
             {{"200", body_of(ref("Campaign"), "Changed")},
              {"409", problem("Only a draft can be changed")},
              {"422", problem("A value is not acceptable")}}}}},
          {"delete",
           {{"summary", "Delete a draft"},
            {"responses", {{"204", {{"description", "Deleted"}}}, {"409", problem("Only a draft can be deleted")}}}}}}},
        {"/api/v1/campaigns/{id}/send",
         {{"parameters", id_param()},
          {"post",
           {{"summary", "Start now: every confirmed, unrestricted subscriber of its topics is queued once"},
            {"responses",
             {{"202", body_of(ref("Campaign"), "Sending (Location: the report)")},
              {"409", problem("Not a draft or scheduled")},
              {"422", problem("Something the message needs is missing (field)")}}}}}}},
        {"/api/v1/campaigns/{id}/pause", action("Pause sending (messages wait)")},
        {"/api/v1/campaigns/{id}/resume", action("Resume a paused campaign")},
        {"/api/v1/campaigns/{id}/cancel", action("Cancel: recipients not yet sent to get nothing")},
        {"/api/v1/campaigns/{id}/report",
         {{"parameters", id_param()},
          {"get", {{"summary", "Recipients by state, clicks per link and topic, unsubscribes"}, {"responses", {{"200", body_of(ref("CampaignReport"), "The report")}}}}}}},
        {"/api/v1/campaigns/{id}/preview",
         {{"parameters", id_param()},
          {"get",
           {{"summary", "The message as a person gets it (audited)"},
            {"parameters", json::array({{{"name", "citizen_id"}, {"in", "query"}, {"schema", {{"type", "integer"}}}}})},
            {"responses",
             {{"200",
               body_of({{"type", "object"},
                        {"properties",
                         {{"citizen_id", {{"type", "integer"}}},
                          {"subject", {{"type", "string"}}},
                          {"preheader", {{"type", "string"}}},
                          {"html", {{"type", "string"}}},
                          {"text", {{"type", "string"}}}}}},
                       "Subject, HTML and text")},
              {"422", problem("No such person, or nobody to render as")},
              {"503", problem("Mail is not set up")}}}}}}},
        {"/api/v1/campaigns/{id}/test",
         {{"parameters", id_param()},
          {"post",
           {{"summary", "Send the message as a person to a staff address, subject prefixed [Test]"},
            {"requestBody",
             body_of({{"type", "object"},
                      {"required", json::array({"email"})},
                      {"properties", {{"email", {{"type", "string"}}}, {"citizen_id", {{"type", {"integer", "null"}}}}}}},
                     "Where to, and as whom")},
            {"responses", {{"202", {{"description", "Queued"}}}, {"422", problem("Not an address, or nobody to render as")}}}}}}},
        {"/r/{token}",
         {{"get",
           {{"summary", "Tracked link of an e-mail: 302 to its target; the click is recorded with consent"},
            {"parameters", json::array({{{"name", "token"}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}}}}})},
            {"responses", {{"302", {{"description", "To the link's target"}}}, {"404", {{"description", "Not a link of ours"}}}}}}}}},
    };
}

} // namespace

void add_campaign_paths(nlohmann::json& doc) {
    auto own = paths();
    for (auto& [path, item] : own.items())
        doc["paths"][path] = item;
    doc["components"]["schemas"]["Campaign"] = campaign_schema();
    doc["components"]["schemas"]["CampaignReport"] = report_schema();
}

} // namespace teilhabe::app
