#pragma once
// Topics (newsletters) per department: what a person can subscribe to. Domain rules only: no
// HTTP, no SQL. A topic with consents is archived, never deleted: the consents and their proof
// refer to it (GDPR Art. 7(1): the town must be able to show what was consented to).

#include "base/error.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace teilhabe::consent {

struct Topic {
    std::int64_t id{0};
    std::string key; // lower-case letters, digits, '-' and '_', 2 to 50 characters
    std::string name_de;
    std::string name_en;
    std::string description_de;
    std::string description_en;
    std::optional<std::int64_t> department_id; // none: the whole town
    bool is_public{true};                      // offered on the public sign-up form
    std::optional<std::int64_t> archived_at;   // no longer offered nor sent
    std::int64_t created_at{0};
    std::int64_t updated_at{0};
    std::int64_t subscribers{0}; // confirmed consents (filled by the store)
    std::int64_t consents{0};    // consents in any state (decides delete vs archive)

    bool active() const { return !archived_at; }
    // The name in "de" or "en" (the other language when that one is empty).
    const std::string& name(std::string_view language) const;
    const std::string& description(std::string_view language) const;
};

Result<void> validate_topic_key(std::string_view key);

// The body of POST (key, name_de, name_en required) or PATCH (members present change).
enum class InputMode { Create, Patch };
struct TopicInput {
    std::optional<std::string> key;
    std::optional<std::string> name_de;
    std::optional<std::string> name_en;
    std::optional<std::string> description_de;
    std::optional<std::string> description_en;
    std::optional<std::optional<std::int64_t>> department_id; // inner none: the whole town
    std::optional<bool> is_public;
    std::optional<bool> active;
};
// Errors name the member, for a 422 or the message beside a form field.
Result<TopicInput> parse_topic_input(const nlohmann::json& body, InputMode mode);
Result<void> validate_topic_input(const TopicInput& in, InputMode mode);

nlohmann::json to_json(const Topic& t);

// Which topics a principal may change (staff/role.h "Department: only their department's
// topics"). Unlimited for administrators and editors.
struct TopicScope {
    bool limited{false};
    std::optional<std::int64_t> department; // when limited: the own department (none: nothing)

    bool may_manage(const Topic& t) const {
        return !limited || (department && t.department_id == department);
    }
    bool may_assign(const std::optional<std::int64_t>& dept) const {
        return !limited || (department && dept == department);
    }
};

} // namespace teilhabe::consent
