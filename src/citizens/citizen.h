#pragma once
// A citizen's profile and the rules for what may be stored in it (no SQL, no HTTP). One
// profile per person, identified by the normalised e-mail address (SPEC "Citizen data hub").

#include "base/email.h"
#include "base/error.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace teilhabe::citizens {

enum class Language { De, En };
enum class Channel { Email, Post, None };
const char* to_string(Language l);
const char* to_string(Channel c);
std::optional<Language> parse_language(std::string_view s);
std::optional<Channel> parse_channel(std::string_view s);

struct Citizen {
    std::int64_t id{0};
    std::string email; // normalised: trimmed, lower-case
    std::string first_name;
    std::string last_name;
    Language language{Language::De};
    Channel preferred_channel{Channel::Email};
    std::string district;
    std::vector<std::string> tags;                        // normalised, sorted
    std::vector<std::string> interests;                   // topic keys, sorted
    nlohmann::json attributes = nlohmann::json::object(); // field key -> typed value
    // GDPR Art. 18: while set, the data is only stored, not otherwise processed.
    std::optional<std::int64_t> restricted_at;
    std::int64_t created_at{0};
    std::int64_t updated_at{0};
};

// The resource shape of SPEC.md ("Citizen"), times as ISO 8601.
nlohmann::json to_json(const Citizen& c);

// Trimmed and lower-cased: one profile per address however it is typed (base/email.h).
using ::teilhabe::normalise_email;
// Says what is wrong in words a person understands; the error's field is "email".
Result<void> validate_email(std::string_view normalised);

// Tags are trimmed and lower-cased ("Ehrenamt " and "ehrenamt" are one tag), 1 to 50
// characters, without control characters or commas (a comma separates tags in CSV files).
Result<std::string> normalise_tag(std::string_view tag);

constexpr std::size_t kMaxNameChars = 100;
constexpr std::size_t kMaxTags = 50;
constexpr std::size_t kMaxInterests = 100;

// What a create or a patch asks to change. Absent members stay as they are.
struct CitizenChanges {
    std::optional<std::string> email; // normalised and valid
    std::optional<std::string> first_name;
    std::optional<std::string> last_name;
    std::optional<Language> language;
    std::optional<Channel> preferred_channel;
    std::optional<std::string> district;
    std::optional<std::vector<std::string>> tags;      // replaces the set; normalised, sorted
    std::optional<std::vector<std::string>> interests; // topic keys; replaces the set; sorted
    bool clear_attributes{false}; // "attributes": null in a merge patch removes them all
    // Field key -> new value; null removes. Checked against the field definitions by the store.
    std::vector<std::pair<std::string, nlohmann::json>> attributes;
};

// Who reads or changes a profile, for the activity log and the audit log.
struct Actor {
    std::string id; // "staff:3", "apikey:2", "system:demo" (web::Principal::actor())
    std::string ip; // the remote address; empty when not over HTTP
};

enum class InputMode { Create, Patch };
// Reads a POST body (Create: e-mail required) or a JSON merge patch (RFC 7396) over the
// resource shape. Read-only members (id, created_at, updated_at, restricted) are ignored so
// that a client may send back what it read; unknown members are refused by name.
Result<CitizenChanges> parse_citizen_input(const nlohmann::json& body, InputMode mode);

} // namespace teilhabe::citizens
