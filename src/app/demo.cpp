// `teilhabe demo`: a small town to try the product with — departments, topics, a few hundred
// citizens with activities, and an administrator whose password is printed.

#include "activity/activity_store.h"
#include "activity/consumer.h"
#include "app/commands.h"
#include "app/runtime.h"
#include "campaigns/campaign_store.h"
#include "citizens/citizen_store.h"
#include "citizens/field_store.h"
#include "consent/consent_store.h"
#include "events/event_store.h"
#include "ledger/ledger_store.h"
#include "points/points_consumer.h"
#include "mail/template.h"
#include "portal/account_store.h"
#include "portal/accounts.h"
#include "security/crypto.h"
#include "staff/staff_store.h"
#include "surveys/survey_store.h"

#include <array>
#include <fmt/format.h>
#include <iostream>

namespace teilhabe::app {

namespace {

constexpr std::string_view kAdminEmail = "admin@musterstadt.example";

struct Dept {
    const char *key, *de, *en;
};
constexpr std::array<Dept, 7> kDepartments{{
    {"kommunikation", "Presse- und Öffentlichkeitsarbeit", "Communications office"},
    {"vhs", "Volkshochschule", "Adult education centre"},
    {"baeder", "Bäderbetriebe", "Public pools"},
    {"umwelt", "Umweltamt", "Environment office"},
    {"buergeramt", "Bürgeramt", "Citizens' office"},
    {"datenschutz", "Datenschutz", "Data protection"},
    {"it", "IT", "IT"},
}};

struct Topic {
    const char *key, *de, *en, *dept;
};
constexpr std::array<Topic, 6> kTopics{{
    {"stadtnews", "Neues aus dem Rathaus", "News from the town hall", "kommunikation"},
    {"kultur", "Kultur und Veranstaltungen", "Culture and events", "kommunikation"},
    {"vhs-kurse", "VHS-Kursprogramm", "Adult education courses", "vhs"},
    {"baeder", "Bäder und Sport", "Pools and sport", "baeder"},
    {"umwelt", "Umwelt und Klima", "Environment and climate", "umwelt"},
    {"ehrenamt", "Ehrenamt und Mitmachen", "Volunteering", "buergeramt"},
}};

constexpr std::array<const char*, 24> kFirst{
    "Anna", "Ben", "Clara", "David", "Emma", "Felix", "Greta", "Hannes", "Ida", "Jonas", "Lena",
    "Mats", "Nora", "Ole", "Paula", "Quentin", "Rosa", "Samuel", "Tilda", "Umut", "Vera",
    "Wilhelm", "Yasemin", "Zoe"};
constexpr std::array<const char*, 20> kLast{
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
    "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Yılmaz",
    "Zimmermann", "Krüger"};
constexpr std::array<const char*, 7> kDistricts{"Altstadt", "Nord", "Süd", "Oststadt",
                                                "Weststadt", "Am See", "Bergheim"};

// The town's own fields (the data model staff shape themselves), by department.
const char* const kFields[] = {
    R"({"key": "birth_year", "type": "number", "min": 1900, "max": 2030, "ask_in_portal": true,
        "portal_order": 1, "label": {"de": "Geburtsjahr", "en": "Year of birth"}})",
    R"({"key": "district_newsletter", "type": "bool", "personal": false, "ask_in_portal": true,
        "portal_order": 2, "department": "kommunikation",
        "label": {"de": "Stadtteil-Newsletter", "en": "District newsletter"}})",
    R"({"key": "has_dog", "type": "bool", "department": "umwelt", "retention_days": 730,
        "label": {"de": "Hund im Haushalt", "en": "Dog in the household"}})",
    R"({"key": "volunteering", "type": "multichoice", "department": "buergeramt",
        "options": ["Stadtgarten", "Bücherei", "Sportverein", "Putzaktion"], "ask_in_portal": true,
        "portal_order": 3, "label": {"de": "Ehrenamt", "en": "Volunteering"}})",
};

std::string ascii_local(std::string s) {
    const std::pair<const char*, const char*> map[] = {{"ü", "ue"}, {"ö", "oe"}, {"ä", "ae"},
                                                       {"ß", "ss"}, {"ı", "i"}};
    for (auto [from, to] : map)
        for (auto p = s.find(from); p != std::string::npos; p = s.find(from))
            s.replace(p, std::string_view(from).size(), to);
    for (auto& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

Result<void> seed_fields(db::Connection& c, const citizens::Actor& who, const Clock& clock) {
    for (const char* text : kFields) {
        auto body = nlohmann::json::parse(text);
        if (TRY(citizens::store::find_field(c, body["key"].get<std::string>())))
            continue;
        auto in = TRY(citizens::parse_field_input(body, citizens::InputMode::Create));
        TRY(citizens::store::create_field(c, in, {}, who, clock));
    }
    return {};
}

// Tags, interests and field values that differ from person to person, so that filters and
// segments have something to find.
nlohmann::json demo_profile(int i, const std::string& email, const std::string& first,
                            const std::string& last) {
    auto n = static_cast<std::size_t>(i);
    nlohmann::json tags = nlohmann::json::array();
    if (i % 4 == 0)
        tags.push_back("ehrenamt");
    if (i % 10 == 3)
        tags.push_back("vhs-dozentin");
    nlohmann::json volunteering = nlohmann::json::array();
    const char* options[] = {"Stadtgarten", "Bücherei", "Sportverein", "Putzaktion"};
    if (i % 4 == 0)
        volunteering = {options[(n / 4) % 4], options[(n / 12) % 4]};
    nlohmann::json attributes{{"birth_year", 1940 + (i * 7) % 66},
                              {"district_newsletter", i % 2 == 0},
                              {"volunteering", volunteering}};
    if (i % 3 != 2)
        attributes["has_dog"] = i % 3 == 0;
    return {{"email", email},
            {"first_name", first},
            {"last_name", last},
            {"language", i % 9 == 0 ? "en" : "de"},
            {"district", kDistricts[n % kDistricts.size()]},
            {"tags", tags},
            {"interests", {kTopics[n % kTopics.size()].key, kTopics[(n + 2) % kTopics.size()].key}},
            {"attributes", attributes}};
}

// The demo newsletter (mail/demo_campaign.md) as a draft, ready to preview and send.
Result<void> seed_campaign(db::Connection& c, const Clock& clock) {
    if (!TRY(c.query("SELECT 1 FROM campaigns WHERE name = 'Frühjahrsputz (Demo)'")).rows.empty())
        return {};
    auto content = mail::demo_campaign();
    campaigns::CampaignInput in;
    in.name = "Frühjahrsputz (Demo)";
    in.subject = content.subject;
    in.preheader = content.preheader;
    in.body = content.body_markdown;
    in.topics = std::vector<std::string>{"umwelt"};
    TRY(campaigns::store::create(c, in, {"system:demo", ""}, clock));
    return {};
}

// A small points history: a survey answered by every fourth person, a clean-up day attended by
// every sixth (the points rules award them when the points consumer runs), and a thank-you from
// the town for every tenth, straight into the ledger.
Result<void> seed_points_history(db::Connection& c, int i, std::int64_t id, const std::string& email,
                                 std::int64_t at, const Clock& clock) {
    if (i % 4 == 0)
        TRY(activity::append(c,
                             {.type = "survey.completed", .citizen_id = id, .actor = "system:demo",
                              .object = "survey:stadtpark", .occurred_at = from_unix_ms(at + 3'600'000),
                              .idempotency_key = "demo:survey:" + email},
                             clock));
    if (i % 6 == 0)
        TRY(activity::append(c,
                             {.type = "event.attended", .citizen_id = id, .actor = "system:demo",
                              .object = "event:putztag", .occurred_at = from_unix_ms(at + 7'200'000),
                              .idempotency_key = "demo:event:" + email},
                             clock));
    if (i % 10 == 0)
        TRY(ledger::transfer(c,
                             {"demo:thanks:" + email, ledger::AccountRef::town(),
                              ledger::AccountRef::citizen(id), 15, std::string(ledger::kind::award),
                              "Danke fürs Mitmachen beim Stadtfest", "demo", "system:demo"},
                             clock.now()));
    return {};
}

// An open survey about the town park for everyone, once (a second run finds it by title).
Result<void> seed_survey(db::Connection& c, const Clock& clock) {
    if (!TRY(c.query("SELECT 1 FROM surveys WHERE title = 'Stadtpark: Ihre Meinung'")).empty())
        return {};
    surveys::Survey s;
    s.title = "Stadtpark: Ihre Meinung";
    s.description = "Die Stadt plant die Erneuerung des Stadtparks. Was ist Ihnen wichtig?";
    s.status = surveys::Status::Open;
    s.questions = {
        {"", surveys::QuestionKind::SingleChoice, "Wie oft sind Sie im Stadtpark?", true,
         {"täglich", "wöchentlich", "seltener", "nie"}, {}},
        {"", surveys::QuestionKind::MultipleChoice, "Was fehlt Ihnen dort?", false,
         {"Bänke", "Toiletten", "Beleuchtung", "Spielgeräte"}, {}},
        {"", surveys::QuestionKind::Rating, "Wie sauber ist der Park?", true, {}, {}},
        {"", surveys::QuestionKind::FreeText, "Ihre Idee für den Park", false, {}, {}}};
    TRY(surveys::store::create(c, s, "system:demo", clock.now_ms()));
    return {};
}

// A clean-up day three weeks ahead, published, with places and a waiting list (events/).
Result<void> seed_event(db::Connection& c, const Clock& clock) {
    if (!TRY(c.query("SELECT 1 FROM events LIMIT 1")).empty())
        return {};
    constexpr std::int64_t kDay = 24 * 3'600'000;
    auto start = (clock.now_ms() / kDay + 21) * kDay + 8 * 3'600'000; // 10:00 in Berlin (summer)
    events::Event e{.title = "Stadtputztag am Mühlbach",
                    .description = "Gemeinsam räumen wir das Ufer auf. Handschuhe, Zangen und Säcke "
                                   "stellt die Stadt; festes Schuhwerk mitbringen.",
                    .place = "Mühlbach, Treffpunkt Brücke Lindenstraße",
                    .starts_at_ms = start,
                    .ends_at_ms = start + 3 * 3'600'000,
                    .capacity = 25,
                    .waiting_list = true,
                    .points = 30,
                    .status = events::Status::Published};
    TRY(events::store::create_event(c, e, "system:demo", clock.now_ms()));
    return {};
}

Result<int> seed(db::Connection& c, const Clock& clock, int count) {
    auto now = clock.now_ms();
    for (const auto& d : kDepartments)
        TRY(c.query("INSERT INTO departments (key, name_de, name_en, created_at) VALUES (?, ?, ?, "
                    "?) ON CONFLICT (key) DO NOTHING",
                    {d.key, d.de, d.en, now}));
    for (const auto& t : kTopics)
        TRY(c.query("INSERT INTO topics (key, name_de, name_en, department_id, created_at) "
                    "SELECT ?, ?, ?, id, ? FROM departments WHERE key = ? ON CONFLICT (key) DO "
                    "NOTHING",
                    {t.key, t.de, t.en, now, t.dept}));
    const citizens::Actor who{"system:demo", ""};
    TRY(seed_fields(c, who, clock));
    int created = 0;
    for (int i = 0; i < count; ++i) {
        std::string first = kFirst[static_cast<std::size_t>(i) % kFirst.size()];
        std::string last = kLast[static_cast<std::size_t>(i * 7 + i / 20) % kLast.size()];
        std::string email = citizens::normalise_email(
            fmt::format("{}.{}{}@example.org", ascii_local(first), ascii_local(last), i));
        if (TRY(citizens::store::find_citizen_id_by_email(c, email)))
            continue; // a second run adds nobody twice
        std::int64_t at = now - std::int64_t{i} * 3'600'000 * 5;
        // Through the store, as staff would enter them, at a time in the demo town's past.
        ManualClock then(from_unix_ms(at));
        auto in = TRY(citizens::parse_citizen_input(demo_profile(i, email, first, last),
                                                    citizens::InputMode::Create));
        auto id = TRY(citizens::store::create_citizen(c, in, who, then)).id;
        ++created;
        const auto& topic = kTopics[static_cast<std::size_t>(i) % kTopics.size()];
        // The consent the activity below reports, with its proof (given at the town-hall desk),
        // and for a third of each topic's subscribers the consent to click tracking.
        auto text = TRY(consent::store::current_text(c, consent::TextKind::Newsletter));
        auto topic_id = TRY(c.query_one("SELECT id FROM topics WHERE key = ?", {std::string(topic.key)})).get_int(0);
        consent::Proof proof{.at = at, .ip = "", .user_agent = "", .form_url = "demo"};
        TRY(consent::store::grant(c, id, "topic:" + std::to_string(topic_id), topic_id, text.id,
                                  consent::Via::Staff, proof));
        if ((i / static_cast<int>(kTopics.size())) % 3 == 0) {
            auto tracking = TRY(consent::store::current_text(c, consent::TextKind::Tracking));
            TRY(consent::store::grant(c, id, "tracking", std::nullopt, tracking.id, consent::Via::Staff, proof));
        }
        TRY(activity::append(c,
                             {.type = "newsletter.confirmed",
                              .citizen_id = id,
                              .actor = "system:demo",
                              .object = std::string("topic:") + topic.key,
                              .occurred_at = from_unix_ms(at),
                              .idempotency_key = "demo:confirmed:" + email},
                             clock));
        TRY(seed_points_history(c, i, id, email, at, clock));
    }
    TRY(seed_campaign(c, clock));
    TRY(seed_survey(c, clock));
    TRY(seed_event(c, clock));
    return created;
}

} // namespace

int cmd_demo(const Config& config, int citizens) {
    auto rt = open_runtime(config);
    if (!rt)
        return 1;
    auto created = rt->db->transaction(db::TxMode::Write, [&](db::Connection& c) {
        return seed(c, rt->clock, citizens);
    });
    if (!created) {
        std::cerr << "teilhabe demo: " << created.error().message << "\n";
        return 1;
    }
    // A fresh password every run, so the printed one always works.
    std::string password = security::random_token(12);
    auto existing = rt->db->transaction(db::TxMode::Read, [](db::Connection& c) {
        return staff::store::find_user_by_email(c, std::string(kAdminEmail));
    });
    if (!existing) {
        std::cerr << "teilhabe demo: " << existing.error().message << "\n";
        return 1;
    }
    Result<void> account;
    if (*existing) {
        auto hash = security::hash_password(password);
        account = hash ? rt->db->transaction(db::TxMode::Write, [&](db::Connection& c) {
            return staff::store::update_password_hash(c, (*existing)->id, *hash, rt->clock);
        })
                       : Result<void>(fail(hash.error()));
    } else {
        auto u = rt->auth->create_user(std::string(kAdminEmail), password, staff::Role::Admin,
                                       std::nullopt, "Demo-Administration");
        account = u ? Result<void>() : Result<void>(fail(u.error()));
    }
    if (!account) {
        std::cerr << "teilhabe demo: " << account.error().message << "\n";
        return 1;
    }
    // The points rules applied to the demo's activities now, so the history is there at once
    // (`serve` would do the same at its start).
    points::PointsConsumer points_consumer(rt->clock);
    for (int round = 0; round < 10'000; ++round) {
        auto n = activity::run_consumer_once(*rt->db, points_consumer, rt->clock, 500);
        if (!n) {
            std::cerr << "teilhabe demo: points: " << n.error().message << "\n";
            return 1;
        }
        if (*n == 0)
            break;
    }
    // A citizen of the demo town with a portal account, also with a fresh password.
    std::string citizen_password = security::random_token(12);
    auto citizen = rt->db->transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<std::string> {
        auto email = TRY(c.query_one("SELECT email FROM citizens WHERE email <> '' ORDER BY id LIMIT 1")).get_text(0);
        auto hash = TRY(security::hash_password(citizen_password));
        if (auto existing = TRY(portal::store::find_account_by_email(c, email)))
            TRY(portal::store::update_password_hash(c, existing->id, hash, rt->clock.now_ms()));
        else
            TRY(portal::open_account(c, {.email = email, .password_hash = hash, .verified = true,
                                         .actor = "system:demo"},
                                     rt->clock));
        return email;
    });
    if (!citizen) {
        std::cerr << "teilhabe demo: " << citizen.error().message << "\n";
        return 1;
    }
    std::cout << "Demo-Stadt " << config.town_name << ": " << *created << " neue Bürgerinnen und "
              << "Bürger, " << kTopics.size() << " Themen, " << kDepartments.size()
              << " Fachbereiche.\n";
    std::cout << "Admin-Anmeldung: " << config.effective_base_url() << "/admin/login  E-Mail "
              << kAdminEmail << "  Passwort " << password << "\n";
    std::cout << "Bürgerportal: " << config.effective_base_url() << "/portal/login  E-Mail "
              << *citizen << "  Passwort " << citizen_password << "\n";
    return 0;
}

} // namespace teilhabe::app
