#pragma once
// SQL of topics. Every function runs inside the caller's transaction; changes are audited.

#include "base/clock.h"
#include "consent/topic.h"
#include "db/connection.h"

#include <optional>
#include <vector>

namespace teilhabe::consent::store {

struct Actor {
    std::string id; // "staff:3", "apikey:2"
    std::string ip;
};

// Every topic, archived ones last, with subscriber counts.
Result<std::vector<Topic>> list_topics(db::Connection& c);
// Active public topics (the sign-up form), in name order.
Result<std::vector<Topic>> public_topics(db::Connection& c);
Result<std::optional<Topic>> find_topic(db::Connection& c, std::int64_t id);
Result<std::optional<Topic>> find_topic_by_key(db::Connection& c, std::string_view key);
// AlreadyExists naming "key" when the key is taken; InvalidArgument naming "department_id"
// for an unknown department.
Result<Topic> create_topic(db::Connection& c, const TopicInput& in, const Actor& who,
                           const Clock& clock);
Result<Topic> update_topic(db::Connection& c, std::int64_t id, const TopicInput& in,
                           const Actor& who, const Clock& clock);
// Conflict while consents refer to the topic (archive it instead: active = false).
Result<void> delete_topic(db::Connection& c, std::int64_t id, const Actor& who,
                          const Clock& clock);

} // namespace teilhabe::consent::store
