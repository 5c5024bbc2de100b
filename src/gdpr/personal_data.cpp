#include "gdpr/personal_data.h"

namespace teilhabe::gdpr {

const std::vector<PersonalTable>& personal_tables() {
    // Adding a table with a citizen reference? Add it here with its erasure and merge rules, or
    // the coverage tests fail (gdpr_test.cpp).
    static const std::vector<PersonalTable> tables = {
        {"citizen_tags", "citizen_id", OnErasure::Cascade, {}, "tag", OnMerge::MoveUnlessPresent,
         {"tag"}},
        {"citizen_interests", "citizen_id", OnErasure::Cascade, {}, "topic_id",
         OnMerge::MoveUnlessPresent, {"topic_id"}},
        // A field's values merge as a whole: the survivor's win (the merge first removes those the
        // caller chose to take from the duplicate), the duplicate's fill fields left empty.
        {"citizen_values", "citizen_id", OnErasure::Cascade, {}, "field_id, value",
         OnMerge::MoveUnlessPresent, {"field_id"}},
        // The dialogue history. Counts per type stay meaningful for the town's statistics;
        // what the person did in detail (object, props) goes with them.
        {"activities", "citizen_id", OnErasure::Anonymise, {{"object", "''"}, {"props", "'{}'"}, {"idempotency_key", "NULL"}},
         "occurred_at, id", OnMerge::Move},
        // Which events about the person went to which other system (webhooks/): the export shows
        // these recipients (Art. 15(1)(c)); on erasure the log of them goes, and deliveries not
        // yet sent are never sent. Attempts go with their delivery (ON DELETE CASCADE).
        {"webhook_deliveries", "citizen_id", OnErasure::Delete, {}, "id", OnMerge::Move},
        // Where the person is in the town's journeys (journeys/): the export shows it; erasure
        // removes it with the profile. A duplicate's places move to the survivor (each keeps
        // its own trigger, so nothing collides).
        {"journey_enrolments", "citizen_id", OnErasure::Cascade, {}, "id", OnMerge::Move},
        // The e-mail outbox (delivery/): the export shows which messages went to the person;
        // on erasure the rows stay for the campaigns' counts, without address or message, and
        // what was not sent yet is never sent. A duplicate's campaign rows move unless the
        // survivor got the same campaign (UNIQUE(campaign_id, citizen_id)).
        {"outbox", "citizen_id", OnErasure::Anonymise,
         {{"email", "''"},
          {"payload", "''"},
          {"smtp_reply", "NULL"},
          {"error", "CASE WHEN state IN ('queued', 'claimed') THEN 'erased' ELSE error END"},
          {"state", "CASE WHEN state IN ('queued', 'claimed') THEN 'cancelled' ELSE state END"}},
         "id", OnMerge::MoveUnlessPresent, {"campaign_id"},
         // Not the message itself: a queued transactional mail holds a one-time token (a
         // double opt-in or password link) that an export must not hand out.
         "id, kind, campaign_id, citizen_id, email, state, attempts, due_at, smtp_code, "
         "smtp_status, smtp_reply, queue_id, error, created_at, updated_at, finished_at"},
        // Consents with their proof (consent/), their history and the double opt-in tokens. The
        // export shows them (Art. 15); erasure removes them with the profile. On a merge the
        // survivor's consent for a subject wins; the duplicate's history moves along.
        {"consents", "citizen_id", OnErasure::Cascade, {}, "subject", OnMerge::MoveUnlessPresent,
         {"subject"}},
        {"consent_events", "citizen_id", OnErasure::Cascade, {}, "at, id", OnMerge::Move},
        {"consent_tokens", "citizen_id", OnErasure::Cascade, {}, "id",
         OnMerge::Move},
        // Through which campaign the person unsubscribed (campaigns/); a merge keeps the history.
        // (Which links they clicked, only with consent to tracking, are their activities
        // "email.clicked", above.)
        {"campaign_unsubscribes", "citizen_id", OnErasure::Delete, {}, "at, id", OnMerge::Move},
        // The portal account (portal/): its log-in address and dates, never the password's hash.
        // Its sessions go with it (ON DELETE CASCADE). On a merge the survivor's account wins.
        {"citizen_accounts", "citizen_id", OnErasure::Cascade, {}, "id",
         OnMerge::MoveUnlessSurvivorHasOne, {},
         "id, citizen_id, email, language, verified_at, created_at, updated_at, disabled_at"},
        // Progressive profiling (portal/): which question the person declined and when, so that
        // it rests for a while. On a merge the survivor's decline for a field wins.
        {"portal_declines", "citizen_id", OnErasure::Cascade, {}, "field_id",
         OnMerge::MoveUnlessPresent, {"field_id"}},
        // The offer shop and the Stadttaler (issue 7). Vouchers, payments and top-ups stay without
        // the person: partners' settlements and the town's books still need what was bought and
        // paid. The wallet (its code) goes; the ledger's accounts are the ledger's (anonymised).
        {"vouchers", "citizen_id", OnErasure::Anonymise, {}, "id", OnMerge::Move},
        {"stadttaler_wallets", "citizen_id", OnErasure::Delete, {}, "citizen_id",
         OnMerge::MoveUnlessSurvivorHasOne},
        {"stadttaler_payment_requests", "citizen_id", OnErasure::Anonymise, {{"note", "''"}}, "id",
         OnMerge::Move},
        {"stadttaler_topups", "citizen_id", OnErasure::Anonymise, {}, "id", OnMerge::Move},
        // Event registrations (issue 8): stay without the person, so that the organisers' counts
        // of registrations and attendance remain; the ticket code is random and says nothing
        // once the row names nobody. On a merge the survivor's registration for an event wins.
        {"event_registrations", "citizen_id", OnErasure::Anonymise, {}, "id",
         OnMerge::MoveUnlessPresent, {"event_id"}},
        // The ledger (ledger/): the person's accounts (points, Stadttaler) and every entry on
        // them, with what it was for. Erasure anonymises instead of deleting: each entry has its
        // counterpart on the town's or a partner's account, and balances must stay equal to the
        // sums of their entries (ledger::check). The account becomes owner 'erased' (owner_id =
        // its own id); its balance stays there, spendable by nobody. A merge first transfers the
        // duplicate's balances to the survivor's accounts (gdpr/person_merge.cpp), then moves
        // the emptied accounts (owner_id stays the duplicate's) and all entries to the survivor.
        {"ledger_accounts", "citizen_id", OnErasure::Anonymise,
         {{"owner", "'erased'"}, {"owner_id", "id"}}, "currency, id", OnMerge::Move, {},
         "id, owner, currency, balance, created_at, updated_at"},
        {"ledger_entries", "citizen_id", OnErasure::Anonymise, {}, "id", OnMerge::Move, {},
         "id, transfer_id, amount, created_at, (SELECT t.kind FROM ledger_transfers t WHERE t.id = "
         "ledger_entries.transfer_id) AS kind, (SELECT t.reason FROM ledger_transfers t WHERE "
         "t.id = ledger_entries.transfer_id) AS reason, (SELECT a.currency FROM ledger_accounts a "
         "WHERE a.id = ledger_entries.account_id) AS currency"},
        // Which points rule gave the person points for which activity (points/): the caps count
        // these. They go with the person.
        {"points_awards", "citizen_id", OnErasure::Delete, {}, "awarded_at, id", OnMerge::Move},
        // Live segments (segments/): which segments the person is in, and when their membership
        // is next looked at again. Exported (Art. 15: the groups they were put in); erased with
        // the profile. On a merge the survivor's membership wins; the activity of the merge
        // re-evaluates the survivor anyway.
        {"segment_members", "citizen_id", OnErasure::Cascade, {}, "segment_id",
         OnMerge::MoveUnlessPresent, {"segment_id"}},
        {"segment_rechecks", "citizen_id", OnErasure::Cascade, {}, "citizen_id",
         OnMerge::MoveUnlessSurvivorHasOne},
        // Surveys (surveys/): who took part in which survey and when (it earned points), and the
        // answers of named surveys. Both are exported and go with the person. Answers of an
        // anonymous survey have no citizen_id and are not personal data: they stay. On a merge
        // the survivor's participation (and named answers) for a survey win.
        {"survey_participations", "citizen_id", OnErasure::Cascade, {}, "survey_id",
         OnMerge::MoveUnlessPresent, {"survey_id"}},
        {"survey_responses", "citizen_id", OnErasure::Cascade, {}, "survey_id",
         OnMerge::MoveUnlessPresent, {"survey_id"}},
    };
    return tables;
}

} // namespace teilhabe::gdpr
