// The offer shop's, the vouchers' and the Stadttaler's part of the OpenAPI document
// (shop/routes.cpp, stadttaler/routes.cpp).

#include "app/openapi.h"

namespace teilhabe::app {

namespace {

using nlohmann::json;
using oas::body_of;
using oas::integer;
using oas::nullable;
using oas::param;
using oas::text;
using oas::time;
using oas::problem;
using oas::ref;


json idempotency() {
    return param("Idempotency-Key", "header", text());
}

json schemas() {
    json partner_ref{{"type", {"object", "null"}},
                     {"properties", {{"id", integer()}, {"name", text()}}}};
    return {
        {"Offer",
         {{"type", "object"},
          {"required", json::array({"title", "price_points"})},
          {"properties",
           {{"id", {{"type", "integer"}, {"readOnly", true}}},
            {"title", {{"type", "string"}, {"minLength", 1}, {"maxLength", 200}}},
            {"description", {{"type", "string"}, {"maxLength", 5000}}},
            {"price_points", {{"type", "integer"}, {"minimum", 1}}},
            {"stock", {{"type", {"integer", "null"}}, {"description", "null: unlimited"}}},
            {"per_person_limit", {{"type", {"integer", "null"}}, {"description", "null: no limit"}}},
            {"valid_from", {{"type", {"string", "null"}}, {"format", "date-time"}}},
            {"valid_until", {{"type", {"string", "null"}}, {"format", "date-time"}}},
            {"partner_id", nullable("integer")},
            {"department_id",
             {{"type", {"integer", "null"}},
              {"description", "The department that runs the offer. Department staff see and "
                              "manage only their department's offers (others answer 404) and "
                              "create in their own."}}},
            {"partner", partner_ref},
            {"active", {{"type", "boolean"}, {"default", true}}},
            {"has_image", {{"type", "boolean"}, {"readOnly", true}}},
            {"created_at", time()},
            {"updated_at", time()}}}}},
        {"Voucher",
         {{"type", "object"},
          {"properties",
           {{"id", integer()},
            {"code",
             {{"type", "string"},
              {"description", "20 Crockford base32 symbols in groups of four (95 random bits "
                              "and a check symbol). Case, O/0, I/L/1, spaces and dashes do not "
                              "matter when it is sent back."}}},
            {"status",
             {{"type", "string"},
              {"enum", {"issued", "redeemed", "cancelled", "expired"}},
              {"description", "expired: issued, but its offer's valid_until has passed"}}},
            {"offer_id", integer()},
            {"offer_title", text()},
            {"partner", partner_ref},
            {"citizen_id", nullable("integer")},
            {"price_points", integer()},
            {"issued_at", time()},
            {"redeemed_at", nullable("string")},
            {"cancelled_at", nullable("string")},
            {"valid_until", nullable("string")}}}}},
        {"VoucherAnswer",
         {{"type", "object"}, {"properties", {{"voucher", ref("Voucher")}}}}},
        {"StadttalerTopUp",
         {{"type", "object"},
          {"properties",
           {{"id", integer()},
            {"citizen_id", integer()},
            {"amount_cents", integer()},
            {"balance_cents", integer()},
            {"created_at", time()}}}}},
        {"StadttalerPaymentRequest",
         {{"type", "object"},
          {"properties",
           {{"id", integer()},
            {"partner_id", integer()},
            {"amount_cents", integer()},
            {"note", text()},
            {"status",
             {{"type", "string"},
              {"enum", {"pending", "accepted", "declined", "expired"}},
              {"description", "expired: not confirmed before expires_at (stadttaler_request_minutes, "
                              "15 by default); it can no longer be paid"}}},
            {"created_at", time()},
            {"expires_at", time()},
            {"decided_at", nullable("string")}}}}},
        {"StadttalerSettlement",
         {{"type", "object"},
          {"properties",
           {{"partner", partner_ref},
            {"from", time()},
            {"to", time()},
            {"payments", {{"type", "array"}, {"items", {{"type", "object"}}}}},
            {"total_cents", integer()},
            {"settled_at", nullable("string")}}}}},
    };
}

json json_body(const json& schema) {
    return {{"required", true}, {"content", {{"application/json", {{"schema", schema}}}}}};
}

json shop_paths() {
    json list{{"type", "object"},
              {"properties",
               {{"items", {{"type", "array"}, {"items", ref("Offer")}}},
                {"next_cursor", nullable("string")}}}};
    json id = json::array({param("id", "path", integer())});
    json code = json::array({param("code", "path", text())});
    json forbidden = problem("Not allowed for this role");
    return {
        {"/api/v1/offers",
         {{"get",
           {{"summary", "Offers, oldest first, a page at a time (manage_offers)"},
            {"parameters", json::array({param("limit", "query", integer(), false),
                                        param("cursor", "query", text(), false),
                                        param("active", "query", text(), false)})},
            {"responses", {{"200", body_of(list, "A page")}, {"403", forbidden}}}}},
          {"post",
           {{"summary", "Create an offer"},
            {"requestBody", json_body(ref("Offer"))},
            {"responses",
             {{"201", body_of(ref("Offer"), "Created (Location header)")},
              {"403", forbidden},
              {"422", problem("A value is not acceptable")}}}}}}},
        {"/api/v1/offers/{id}",
         {{"parameters", id},
          {"get", {{"summary", "One offer"}, {"responses", {{"200", body_of(ref("Offer"), "The offer")}, {"404", problem("No such offer")}}}}},
          {"patch",
           {{"summary", "Change the members given (null clears stock, limit, validity, partner)"},
            {"requestBody", json_body(ref("Offer"))},
            {"responses", {{"200", body_of(ref("Offer"), "Changed")}, {"404", problem("No such offer")}, {"422", problem("A value is not acceptable")}}}}},
          {"delete",
           {{"summary", "Delete; an offer with vouchers is switched off instead"},
            {"responses", {{"204", {{"description", "Deleted or switched off"}}}, {"404", problem("No such offer")}}}}}}},
        {"/api/v1/offers/{id}/redeem",
         {{"parameters", id},
          {"post",
           {{"summary", "Redeem the offer for a person: stock, per-person limit, validity and the "
                        "points (citizen -> town, through the ledger) in one transaction"},
            {"parameters", json::array({idempotency()})},
            {"requestBody", json_body({{"type", "object"},
                                       {"required", json::array({"citizen_id"})},
                                       {"properties", {{"citizen_id", integer()}}}})},
            {"responses",
             {{"201", body_of(ref("VoucherAnswer"), "The voucher (the same one for a repeated key)")},
              {"400", problem("No Idempotency-Key")},
              {"404", problem("No such offer")},
              {"409", problem("The key was used for another request")},
              {"422", problem("No such person, not valid now, sold out, limit reached or not enough points")}}}}}}},
        {"/api/v1/vouchers/{code}",
         {{"parameters", code},
          {"get",
           {{"summary", "What a voucher is for and whether it is valid (redeem_vouchers)"},
            {"responses", {{"200", body_of(ref("VoucherAnswer"), "The voucher")}, {"403", problem("Another partner's voucher")}, {"404", problem("Unknown or mistyped code")}, {"422", problem("The account is bound to no partner")}}}}}}},
        {"/api/v1/vouchers/{code}/redeem",
         {{"parameters", code},
          {"post",
           {{"summary", "Redeem at the partner, exactly once"},
            {"responses",
             {{"200", body_of(ref("VoucherAnswer"), "Redeemed now")},
              {"403", problem("Another partner's voucher")},
              {"404", problem("Unknown or mistyped code")},
              {"409", problem("Redeemed or cancelled before")},
              {"410", problem("Expired (the offer's valid_until has passed); the detail says when")},
              {"422", problem("The account is bound to no partner")}}}}}}},
        {"/api/v1/vouchers/{code}/cancel",
         {{"parameters", code},
          {"post",
           {{"summary", "Cancel an issued voucher (manage_offers): the points come back by a ledger reversal"},
            {"responses", {{"200", body_of(ref("VoucherAnswer"), "Cancelled")}, {"404", problem("Unknown code")}, {"409", problem("Not issued (any more)")}}}}}}},
        {"/api/v1/partners",
         {{"get", {{"summary", "Partner organisations"}, {"responses", {{"200", {{"description", "All partners"}}}}}}},
          {"post",
           {{"summary", "Add a partner"},
            {"requestBody", json_body({{"type", "object"}, {"properties", {{"name", text()}, {"description", text()}}}})},
            {"responses", {{"201", {{"description", "Created"}}}, {"409", problem("A partner of that name exists")}, {"422", problem("No name")}}}}}}},
        {"/api/v1/partners/{id}/members",
         {{"parameters", id},
          {"put",
           {{"summary", "Bind a staff account or API key (staff:<id>, apikey:<id>) to the partner (manage_staff)"},
            {"requestBody", json_body({{"type", "object"}, {"properties", {{"principal", text()}}}})},
            {"responses", {{"200", {{"description", "Bound"}}}, {"404", problem("No such partner")}, {"422", problem("Not staff:<id> or apikey:<id>")}}}}}}},
    };
}

json stadttaler_paths() {
    return {
        {"/api/v1/stadttaler/topups",
         {{"post",
           {{"summary", "Top up a wallet at the town-hall desk (manage_stadttaler), within the wallet limit"},
            {"parameters", json::array({idempotency()})},
            {"requestBody", json_body({{"type", "object"}, {"properties", {{"citizen_id", integer()}, {"amount_cents", integer()}}}})},
            {"responses", {{"201", body_of({{"type", "object"}, {"properties", {{"topup", ref("StadttalerTopUp")}}}}, "Booked (the same for a repeated key)")}, {"400", problem("No Idempotency-Key")}, {"409", problem("The key was used for another person or amount")}, {"422", problem("Beyond the wallet limit, or no such person")}}}}}}},
        {"/api/v1/stadttaler/payouts",
         {{"post",
           {{"summary", "Pay a balance back to the person at the town-hall desk (manage_stadttaler)"},
            {"description", "A payout transfer citizen -> town (cash or bank transfer outside the "
                            "ledger), e.g. before the person's erasure, which is refused while "
                            "Stadttaler are left. Without amount_cents the whole balance. The "
                            "activity stadttaler.paid_out is appended in the same transaction. A "
                            "repeat with the same Idempotency-Key answers 200 with replayed true."},
            {"parameters", json::array({idempotency()})},
            {"requestBody", json_body({{"type", "object"}, {"required", {"citizen_id"}}, {"properties", {{"citizen_id", integer()}, {"amount_cents", {{"type", "integer"}, {"minimum", 1}, {"description", "In cents; absent: the whole balance"}}}}}})},
            {"responses", {{"201", body_of({{"type", "object"}, {"properties", {{"payout", {{"type", "object"}, {"properties", {{"id", integer()}, {"citizen_id", integer()}, {"amount_cents", integer()}, {"balance_cents", integer()}, {"created_at", {{"type", "string"}, {"format", "date-time"}}}, {"receipt", text()}}}}}, {"replayed", {{"type", "boolean"}}}}}}, "Paid out")}, {"200", {{"description", "A repeat of the same key: the earlier pay-out"}}}, {"400", problem("No Idempotency-Key")}, {"409", problem("The key was used for another person or amount")}, {"422", problem("No such person, bad amount, nothing to pay out, or more than the balance")}}}}}}},
        {"/api/v1/stadttaler/provider/payments",
         {{"post",
           {{"summary", "The payment provider confirms a payment into a wallet"},
            {"description", "No API key: the header X-Signature: sha256=<hex HMAC-SHA256 of the raw "
                            "body with the configured stadttaler_webhook_secret> is the credential. "
                            "Idempotent by payment_id: a repeat answers 200 with replayed true and "
                            "books nothing. status other than succeeded is ignored."},
            {"security", json::array()},
            {"parameters", json::array({param("X-Signature", "header", text())})},
            {"requestBody", json_body({{"type", "object"}, {"properties", {{"payment_id", text()}, {"wallet_code", text()}, {"amount_cents", integer()}, {"status", text()}}}})},
            {"responses", {{"201", {{"description", "Booked"}}}, {"200", {{"description", "A repeat, or a payment that did not succeed"}}}, {"401", problem("The signature does not match")}, {"409", problem("The payment id was booked for another wallet or amount")}, {"422", problem("Unknown wallet, or beyond its limit")}, {"503", problem("No secret configured")}}}}}}},
        {"/api/v1/stadttaler/payment-requests",
         {{"post",
           {{"summary", "A partner asks for a payment (redeem_vouchers); the person accepts it in the portal"},
            {"requestBody", json_body({{"type", "object"}, {"properties", {{"wallet_code", text()}, {"amount_cents", integer()}, {"note", text()}, {"partner_id", {{"type", "integer"}, {"description", "Only for accounts bound to no partner (administrators)"}}}}}})},
            {"responses", {{"201", body_of(ref("StadttalerPaymentRequest"), "Pending")}, {"422", problem("Unknown wallet code, bad amount")}}}}}}},
        {"/api/v1/stadttaler/payment-requests/{id}",
         {{"parameters", json::array({param("id", "path", integer())})},
          {"get", {{"summary", "Whether the person accepted"}, {"responses", {{"200", body_of(ref("StadttalerPaymentRequest"), "The request")}, {"404", problem("No such request (of this partner)")}}}}}}},
        {"/api/v1/stadttaler/settlements",
         {{"get",
           {{"summary", "What a partner took in a period (manage_stadttaler); format json, csv or xlsx"},
            {"parameters", json::array({param("partner_id", "query", integer()), param("from", "query", {{"type", "string"}, {"format", "date"}}), param("to", "query", {{"type", "string"}, {"format", "date"}}), param("format", "query", {{"type", "string"}, {"enum", {"json", "csv", "xlsx"}}}, false)})},
            {"responses", {{"200", body_of(ref("StadttalerSettlement"), "The report")}, {"404", problem("No such partner")}, {"422", problem("Bad period")}}}}},
          {"post",
           {{"summary", "Mark a period paid: a settlement transfer partner -> town of its total"},
            {"requestBody", json_body({{"type", "object"}, {"properties", {{"partner_id", integer()}, {"from", text()}, {"to", text()}}}})},
            {"responses", {{"201", body_of(ref("StadttalerSettlement"), "Settled")}, {"409", problem("The period overlaps a settled one")}, {"422", problem("Bad period")}}}}}}},
    };
}

} // namespace

void add_shop_paths(nlohmann::json& doc) {
    for (auto part : {shop_paths(), stadttaler_paths()})
        for (auto& [path, item] : part.items())
            doc["paths"][path] = item;
    auto own = schemas();
    for (auto& [name, schema] : own.items())
        doc["components"]["schemas"][name] = schema;
}

} // namespace teilhabe::app
