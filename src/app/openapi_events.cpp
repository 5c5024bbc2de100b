// The events' part of the OpenAPI document (events/routes.cpp).

#include "app/openapi.h"

namespace teilhabe::app {

namespace {

using nlohmann::json;
using oas::body_of;
using oas::integer;
using oas::nullable;
using oas::param;
using oas::text;
using oas::read_only;
using oas::time;
using oas::problem;
using oas::ref;


json schemas() {
    return {
        {"Event",
         {{"type", "object"},
          {"required", json::array({"title", "starts_at", "ends_at"})},
          {"properties",
           {{"id", read_only(integer())},
            {"title", {{"type", "string"}, {"minLength", 1}, {"maxLength", 200}}},
            {"description", {{"type", "string"}, {"maxLength", 10000}}},
            {"place", {{"type", "string"}, {"maxLength", 300}}},
            {"starts_at", time()},
            {"ends_at", {{"type", "string"}, {"format", "date-time"}, {"description", "after starts_at"}}},
            {"capacity", {{"type", {"integer", "null"}}, {"minimum", 1}, {"description", "null: unlimited"}}},
            {"waiting_list", {{"type", "boolean"}, {"default", true}}},
            {"registration_deadline",
             {{"type", {"string", "null"}}, {"format", "date-time"},
              {"description", "null: registration is open until the start"}}},
            {"department_id", {{"type", {"integer", "null"}}, {"description", "the owning department; department staff always get their own"}}},
            {"points", {{"type", "integer"}, {"minimum", 0}, {"description", "shown to people; attendance (event.attended) earns points through the points rules"}}},
            {"status", {{"type", "string"}, {"enum", {"draft", "published", "cancelled"}}, {"default", "draft"}}},
            {"registered", read_only(integer())},
            {"waitlisted", read_only(integer())},
            {"checked_in", read_only(integer())},
            {"free_places", read_only(nullable("integer"))},
            {"created_at", read_only(time())},
            {"updated_at", read_only(time())}}}}},
        {"EventRegistration",
         {{"type", "object"},
          {"properties",
           {{"id", integer()},
            {"event_id", integer()},
            {"citizen_id", nullable("integer")},
            {"status", {{"type", "string"}, {"enum", {"registered", "waitlisted", "cancelled"}}}},
            {"ticket_code",
             {{"type", "string"},
              {"description", "20 Crockford base32 symbols in groups of four with a check symbol; "
                              "case, O/0, I/L/1, spaces and dashes do not matter when sent back"}}},
            {"name", text()},
            {"registered_at", time()},
            {"promoted_at", nullable("string")},
            {"cancelled_at", nullable("string")},
            {"checked_in_at", nullable("string")}}}}},
        {"EventCheckIn",
         {{"type", "object"},
          {"properties",
           {{"registration", ref("EventRegistration")}, {"already_checked_in", {{"type", "boolean"}}}}}}},
    };
}

json json_body(const json& schema) {
    return {{"required", true}, {"content", {{"application/json", {{"schema", schema}}}}}};
}

json list_of(const char* schema) {
    return {{"type", "object"},
            {"properties",
             {{"items", {{"type", "array"}, {"items", ref(schema)}}}, {"next_cursor", nullable("string")}}}};
}

json paths() {
    json id = json::array({param("id", "path", integer())});
    json id_rid = json::array({param("id", "path", integer()), param("rid", "path", integer())});
    json paging = json::array({param("limit", "query", integer(), false), param("cursor", "query", text(), false)});
    json forbidden = problem("Not allowed for this role");
    json cancel{{"summary", "Cancel a registration (not after the start). When it held a place, the "
                            "first on the waiting list moves up in the same transaction and is told "
                            "by e-mail"},
                {"responses",
                 {{"200", body_of(ref("EventRegistration"), "Cancelled")},
                  {"404", problem("No such event or registration")},
                  {"409", problem("Cancelled before")},
                  {"422", problem("The event has started")}}}};
    return {
        {"/api/v1/events",
         {{"get",
           {{"summary", "Events, oldest first, a page at a time (manage_participation; department "
                        "staff see their department's)"},
            {"parameters", paging},
            {"responses", {{"200", body_of(list_of("Event"), "A page")}, {"403", forbidden}}}}},
          {"post",
           {{"summary", "Create an event"},
            {"requestBody", json_body(ref("Event"))},
            {"responses",
             {{"201", body_of(ref("Event"), "Created (Location header)")},
              {"403", forbidden},
              {"422", problem("A value is not acceptable (the member is named)")}}}}}}},
        {"/api/v1/events/{id}",
         {{"parameters", id},
          {"get", {{"summary", "One event with its counts"}, {"responses", {{"200", body_of(ref("Event"), "The event")}, {"404", problem("No such event")}}}}},
          {"patch",
           {{"summary", "Change the members given (null clears capacity, deadline, department)"},
            {"requestBody", json_body(ref("Event"))},
            {"responses", {{"200", body_of(ref("Event"), "Changed")}, {"404", problem("No such event")}, {"422", problem("A value is not acceptable")}}}}},
          {"delete",
           {{"summary", "Delete; an event with registrations is cancelled instead"},
            {"responses",
             {{"204", {{"description", "Deleted"}}},
              {"200", body_of(ref("Event"), "Cancelled instead")},
              {"404", problem("No such event")}}}}}}},
        {"/api/v1/events/{id}/registrations",
         {{"parameters", id},
          {"get",
           {{"summary", "The event's registrations by id, a page at a time"},
            {"parameters", paging},
            {"responses", {{"200", body_of(list_of("EventRegistration"), "A page")}, {"404", problem("No such event")}}}}},
          {"post",
           {{"summary", "Register a person: a place, or the waiting list when the event is full "
                        "and has one (status says which)"},
            {"requestBody", json_body({{"type", "object"},
                                       {"required", json::array({"citizen_id"})},
                                       {"properties", {{"citizen_id", integer()}}}})},
            {"responses",
             {{"201", body_of(ref("EventRegistration"), "Registered or waitlisted (Location header)")},
              {"404", problem("No such event")},
              {"409", problem("The person is registered or waiting already")},
              {"422", problem("No such person; not published, cancelled, started, past the "
                              "deadline, or full without a waiting list")}}}}}}},
        {"/api/v1/events/{id}/registrations/{rid}", {{"parameters", id_rid}, {"delete", cancel}}},
        {"/api/v1/events/{id}/registrations/{rid}/cancel", {{"parameters", id_rid}, {"post", cancel}}},
        {"/api/v1/events/{id}/checkins",
         {{"parameters", id},
          {"post",
           {{"summary", "Check a person in by ticket code or registration id; records "
                        "event.attended once (which earns the attendance points)"},
            {"requestBody", json_body({{"type", "object"},
                                       {"properties", {{"ticket_code", text()}, {"registration_id", integer()}}}})},
            {"responses",
             {{"200", body_of(ref("EventCheckIn"), "Checked in now, or already_checked_in")},
              {"404", problem("Not a ticket of this event (unknown or mistyped code)")},
              {"422", problem("On the waiting list, cancelled, or the event was cancelled")}}}}}}},
        {"/api/v1/events/{id}/participants.csv",
         {{"parameters", id},
          {"get",
           {{"summary", "All registrations as CSV (UTF-8 with BOM)"},
            {"responses",
             {{"200", {{"description", "CSV"}, {"content", {{"text/csv", {{"schema", {{"type", "string"}}}}}}}}},
              {"404", problem("No such event")}}}}}}},
    };
}

} // namespace

void add_event_paths(nlohmann::json& doc) {
    auto own_paths = paths();
    for (auto& [path, item] : own_paths.items())
        doc["paths"][path] = item;
    auto own_schemas = schemas();
    for (auto& [name, schema] : own_schemas.items())
        doc["components"]["schemas"][name] = schema;
}

} // namespace teilhabe::app
