// The audience query: confirmed consents (consent/, migration 0009) of the campaign's topics,
// people whose processing is not restricted. The suppression list is keyed by a hash of the
// address; the sender checks it for every message, right before it goes out.

#include "campaigns/audience.h"

#include "delivery/outbox_store.h"

#include <fmt/format.h>

namespace teilhabe::campaigns {

namespace {

// Confirmed subscribers of the campaign's topics; without topics (a campaign to a segment
// alone), people with at least one confirmed subscription of a topic still offered. Then, with a
// segment, only its members (segments/, kept live). Never anyone without a confirmed consent.
constexpr const char* kByTopics =
    "FROM citizens c WHERE c.restricted_at IS NULL AND EXISTS (SELECT 1 FROM consents k "
    "JOIN campaign_topics ct ON ct.topic_id = k.topic_id WHERE ct.campaign_id = ? "
    "AND k.citizen_id = c.id AND k.status = 'confirmed')";
constexpr const char* kByAnyTopic =
    "FROM citizens c WHERE c.restricted_at IS NULL AND EXISTS (SELECT 1 FROM consents k "
    "JOIN topics t ON t.id = k.topic_id WHERE k.citizen_id = c.id AND k.status = 'confirmed' "
    "AND t.archived_at IS NULL)";
constexpr const char* kInSegment =
    " AND EXISTS (SELECT 1 FROM segment_members m WHERE m.segment_id = ? AND m.citizen_id = c.id)";

struct Audience {
    std::string sql;
    db::Params params;
};

Audience audience_of(const Campaign& k) {
    Audience a;
    if (k.topics.empty() && k.segment_id) {
        a.sql = kByAnyTopic;
    } else {
        a.sql = kByTopics;
        a.params.emplace_back(k.id);
    }
    if (k.segment_id) {
        a.sql += kInSegment;
        a.params.emplace_back(*k.segment_id);
    }
    return a;
}

constexpr std::size_t kChunk = 5000;

} // namespace

Result<std::int64_t> count_audience(db::Connection& c, const Campaign& k) {
    auto a = audience_of(k);
    auto row = TRY(c.query_one(fmt::format("SELECT COUNT(*) {}", a.sql), a.params));
    return row.get_int(0);
}

Result<std::optional<std::int64_t>> first_of_audience(db::Connection& c, const Campaign& k) {
    auto a = audience_of(k);
    auto rows = TRY(c.query(fmt::format("SELECT c.id {} ORDER BY c.id LIMIT 1", a.sql), a.params));
    if (rows.rows.empty())
        return std::optional<std::int64_t>{};
    return std::optional<std::int64_t>{rows.rows[0].get_int(0)};
}

Result<void> check_audience(db::Connection& c, const Campaign& k) {
    auto rows = TRY(c.query("SELECT t.key FROM campaign_topics ct JOIN topics t ON t.id = ct.topic_id "
                            "WHERE ct.campaign_id = ? AND t.archived_at IS NOT NULL",
                            {k.id}));
    if (!rows.rows.empty())
        return fail(Error::invalid(
            fmt::format("the topic '{}' is archived; its subscribers no longer get mail", rows.rows[0].get_text(0)),
            "topics"));
    return {};
}

Result<std::int64_t> queue_recipients(db::Connection& c, const Campaign& k, const Clock& clock) {
    auto a = audience_of(k);
    auto rows = TRY(c.query(fmt::format("SELECT c.id, c.email {} ORDER BY c.id", a.sql), a.params));
    std::int64_t queued = 0;
    std::vector<delivery::outbox::CampaignRecipient> chunk;
    chunk.reserve(std::min(rows.rows.size(), kChunk));
    for (const auto& r : rows.rows) {
        chunk.push_back({r.get_int(0), r.get_text(1)});
        if (chunk.size() == kChunk) {
            queued += TRY(delivery::outbox::enqueue_campaign_recipients(c, k.id, chunk, clock));
            chunk.clear();
        }
    }
    if (!chunk.empty())
        queued += TRY(delivery::outbox::enqueue_campaign_recipients(c, k.id, chunk, clock));
    return queued;
}

Result<void> cancel_recipients(db::Connection& c, std::int64_t campaign_id, const Clock& clock) {
    TRY(delivery::outbox::cancel_campaign(c, campaign_id, "campaign cancelled", clock));
    return {};
}

namespace {
constexpr const char* kSegmentChoice =
    "SELECT s.id, s.name, (SELECT COUNT(*) FROM segment_members m WHERE m.segment_id = s.id) FROM segments s";
SegmentChoice segment_choice_of(const db::Row& r) { return {r.get_int(0), r.get_text(1), r.get_int(2)}; }
} // namespace

Result<std::vector<SegmentChoice>> segment_choices(db::Connection& c) {
    auto rows = TRY(c.query(fmt::format("{} ORDER BY s.name, s.id", kSegmentChoice)));
    std::vector<SegmentChoice> out;
    out.reserve(rows.rows.size());
    for (const auto& r : rows.rows)
        out.push_back(segment_choice_of(r));
    return out;
}

Result<std::optional<SegmentChoice>> find_segment_choice(db::Connection& c, std::int64_t id) {
    auto rows = TRY(c.query(fmt::format("{} WHERE s.id = ?", kSegmentChoice), {id}));
    if (rows.rows.empty())
        return std::optional<SegmentChoice>{};
    return std::optional<SegmentChoice>{segment_choice_of(rows.rows[0])};
}

Result<std::int64_t> open_recipients(db::Connection& c, std::int64_t campaign_id) {
    auto row = TRY(c.query_one("SELECT COUNT(*) FROM outbox WHERE campaign_id = ? AND state IN ('queued', 'claimed')",
                               {campaign_id}));
    return row.get_int(0);
}

} // namespace teilhabe::campaigns
