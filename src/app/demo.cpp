// `teilhabe demo`: a small town to try the product with — departments, topics, a few hundred
// citizens with activities, and an administrator whose password is printed.

#include "activity/activity_store.h"
#include "app/commands.h"
#include "app/runtime.h"
#include "security/crypto.h"
#include "staff/staff_store.h"

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

Result<int> seed(db::Connection& c, const Clock& clock, int citizens) {
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
    int created = 0;
    for (int i = 0; i < citizens; ++i) {
        std::string first = kFirst[static_cast<std::size_t>(i) % kFirst.size()];
        std::string last = kLast[static_cast<std::size_t>(i * 7 + i / 20) % kLast.size()];
        std::string email = fmt::format("{}.{}{}@example.org", ascii_local(first),
                                        ascii_local(last), i);
        std::int64_t at = now - std::int64_t{i} * 3'600'000 * 5;
        auto rows = TRY(c.query(
            "INSERT INTO citizens (email, first_name, last_name, language, district, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (email) DO NOTHING RETURNING id",
            {email, first, last, i % 9 == 0 ? "en" : "de",
             kDistricts[static_cast<std::size_t>(i) % kDistricts.size()], at, at}));
        if (rows.empty())
            continue;
        ++created;
        auto id = rows.first().get_int(0);
        const auto& topic = kTopics[static_cast<std::size_t>(i) % kTopics.size()];
        TRY(activity::append(c,
                             {.type = "newsletter.confirmed",
                              .citizen_id = id,
                              .actor = "system:demo",
                              .object = std::string("topic:") + topic.key,
                              .occurred_at = from_unix_ms(at),
                              .idempotency_key = "demo:confirmed:" + email},
                             clock));
    }
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
    std::cout << "Demo-Stadt " << config.town_name << ": " << *created << " neue Bürgerinnen und "
              << "Bürger, " << kTopics.size() << " Themen, " << kDepartments.size()
              << " Fachbereiche.\n";
    std::cout << "Admin-Anmeldung: " << config.effective_base_url() << "/admin/login  E-Mail "
              << kAdminEmail << "  Passwort " << password << "\n";
    return 0;
}

} // namespace teilhabe::app
