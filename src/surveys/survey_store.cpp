#include "surveys/survey_store.h"

#include "activity/activity_store.h"
#include "db/dialect.h"
#include "security/crypto.h"

#include <fmt/format.h>

namespace teilhabe::surveys::store {

namespace {

using nlohmann::json;

constexpr const char* kColumns =
    "s.id, s.title, s.description, s.opens_at, s.closes_at, s.audience_kind, s.audience_ref, "
    "s.anonymous, s.department_id, s.status, s.questions, s.created_at, s.updated_at, "
    "(SELECT COUNT(*) FROM survey_participations p WHERE p.survey_id = s.id)";

Result<Survey> survey_of(const db::Row& r) {
    Survey s;
    s.id = r.get_int(0);
    s.title = r.get_text(1);
    s.description = r.get_text(2);
    s.opens_at_ms = r.get_opt_int(3);
    s.closes_at_ms = r.get_opt_int(4);
    auto kind = r.get_text(5);
    if (kind == "topic") {
        s.audience.kind = Audience::Kind::Topic;
        s.audience.topic_key = r.get_text(6);
    } else if (kind == "segment") {
        s.audience.kind = Audience::Kind::Segment;
        s.audience.segment_id = std::atoll(r.get_text(6).c_str());
    }
    s.anonymous = r.get_int(7) != 0;
    s.department_id = r.get_opt_int(8);
    s.status = parse_status(r.get_text(9)).value_or(Status::Draft);
    auto parsed = json::parse(r.get_text(10), nullptr, false);
    if (parsed.is_discarded())
        return fail(Error::internal(fmt::format("survey {}: questions are not JSON", s.id)));
    s.questions = TRY(parse_questions(parsed));
    number_questions(s);
    s.created_at_ms = r.get_int(11);
    s.updated_at_ms = r.get_int(12);
    s.response_count = r.get_int(13);
    return s;
}

std::string audience_kind(const Audience& a) {
    switch (a.kind) {
    case Audience::Kind::Everyone:
        return "everyone";
    case Audience::Kind::Topic:
        return "topic";
    case Audience::Kind::Segment:
        return "segment";
    }
    return "everyone";
}

std::string audience_ref(const Audience& a) {
    switch (a.kind) {
    case Audience::Kind::Topic:
        return a.topic_key;
    case Audience::Kind::Segment:
        return std::to_string(a.segment_id);
    default:
        return "";
    }
}

Result<void> check_audience(db::Connection& c, const Audience& a) {
    if (a.kind == Audience::Kind::Topic &&
        TRY(c.query("SELECT 1 FROM topics WHERE key = ?", {a.topic_key})).empty())
        return fail(
            Error::invalid(fmt::format("There is no topic {}.", a.topic_key), "audience.topic"));
    if (a.kind == Audience::Kind::Segment &&
        TRY(c.query("SELECT 1 FROM segments WHERE id = ?", {a.segment_id})).empty())
        return fail(Error::invalid(fmt::format("There is no segment {}.", a.segment_id),
                                   "audience.segment_id"));
    return {};
}

Result<void> record_completed(db::Connection& c, const Survey& s, const Submission& sub,
                              const Clock& clock) {
    activity::Activity a;
    a.type = "survey.completed";
    a.citizen_id = sub.citizen_id;
    a.actor = sub.actor;
    a.object = fmt::format("survey:{}", s.id);
    // Who took part, never what they answered (also in anonymous mode).
    a.props = json{{"survey_id", s.id}, {"title", s.title}}.dump();
    TRY(activity::append(c, std::move(a), clock));
    return {};
}

} // namespace

Result<std::vector<Survey>> list(db::Connection& c, const Filter& f) {
    std::string sql = fmt::format("SELECT {} FROM surveys s WHERE s.id > ?", kColumns);
    db::Params params{f.after_id.value_or(0)};
    if (f.status) {
        sql += " AND s.status = ?";
        params.emplace_back(std::string(to_string(*f.status)));
    }
    if (f.scope.limited) {
        sql += f.scope.department ? " AND s.department_id = ?" : " AND s.department_id IS NULL";
        if (f.scope.department)
            params.emplace_back(*f.scope.department);
    }
    sql += " ORDER BY s.id LIMIT ?";
    params.emplace_back(std::int64_t{f.limit});
    auto rows = TRY(c.query(sql, params));
    std::vector<Survey> out;
    for (const auto& r : rows.rows)
        out.push_back(TRY(survey_of(r)));
    return out;
}

Result<std::optional<Survey>> find(db::Connection& c, std::int64_t id, Lock lock) {
    if (lock == Lock::ForUpdate)
        TRY(c.query(fmt::format("SELECT id FROM surveys WHERE id = ?{}",
                                db::dialect::for_update(c.backend())),
                    {id}));
    auto rows =
        TRY(c.query(fmt::format("SELECT {} FROM surveys s WHERE s.id = ?", kColumns), {id}));
    if (rows.empty())
        return std::optional<Survey>{};
    return std::optional<Survey>{TRY(survey_of(rows.first()))};
}

Result<Survey> create(db::Connection& c, Survey s, const std::string& actor, std::int64_t now_ms) {
    number_questions(s);
    TRY(validate(s));
    TRY(check_audience(c, s.audience));
    auto row = TRY(c.query_one(
        "INSERT INTO surveys (title, description, opens_at, closes_at, audience_kind, "
        "audience_ref, anonymous, department_id, status, questions, created_by, created_at, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {s.title, s.description, db::opt(s.opens_at_ms), db::opt(s.closes_at_ms),
         audience_kind(s.audience), audience_ref(s.audience), std::int64_t{s.anonymous ? 1 : 0},
         db::opt(s.department_id), std::string(to_string(s.status)), questions_text(s.questions),
         actor, now_ms, now_ms}));
    return TRY(find(c, row.get_int(0))).value();
}

Result<Survey> update(db::Connection& c, const Survey& changed, std::int64_t now_ms) {
    auto s = changed;
    number_questions(s);
    auto before = TRY(find(c, s.id));
    if (!before)
        return fail(Error::not_found("There is no such survey."));
    if (before->response_count > 0) {
        if (questions_text(before->questions) != questions_text(s.questions))
            return fail(
                Error::conflict("The survey has answers: its questions can no longer change."));
        if (before->anonymous != s.anonymous)
            return fail(Error::conflict(
                "The survey has answers: whether it is anonymous can no longer change."));
    }
    TRY(validate(s));
    TRY(check_audience(c, s.audience));
    TRY(c.query("UPDATE surveys SET title = ?, description = ?, opens_at = ?, closes_at = ?, "
                "audience_kind = ?, audience_ref = ?, anonymous = ?, department_id = ?, "
                "status = ?, questions = ?, updated_at = ? WHERE id = ?",
                {s.title, s.description, db::opt(s.opens_at_ms), db::opt(s.closes_at_ms),
                 audience_kind(s.audience), audience_ref(s.audience),
                 std::int64_t{s.anonymous ? 1 : 0}, db::opt(s.department_id),
                 std::string(to_string(s.status)), questions_text(s.questions), now_ms, s.id}));
    return TRY(find(c, s.id)).value();
}

Result<void> remove(db::Connection& c, std::int64_t id) {
    auto s = TRY(find(c, id));
    if (!s)
        return fail(Error::not_found("There is no such survey."));
    if (s->response_count > 0)
        return fail(Error::conflict("The survey has answers: close it instead of deleting it."));
    TRY(c.query("DELETE FROM survey_responses WHERE survey_id = ?", {id}));
    TRY(c.query("DELETE FROM surveys WHERE id = ?", {id}));
    return {};
}

Result<bool> in_audience(db::Connection& c, const Audience& a, std::int64_t citizen_id) {
    switch (a.kind) {
    case Audience::Kind::Everyone:
        return true;
    case Audience::Kind::Topic: {
        auto rows = TRY(c.query(
            "SELECT 1 FROM topics t WHERE t.key = ? AND (EXISTS (SELECT 1 FROM consents k WHERE "
            "k.topic_id = t.id AND k.citizen_id = ? AND k.status = 'confirmed') OR EXISTS (SELECT "
            "1 FROM citizen_interests i WHERE i.topic_id = t.id AND i.citizen_id = ?))",
            {a.topic_key, citizen_id, citizen_id}));
        return !rows.empty();
    }
    case Audience::Kind::Segment: {
        auto rows =
            TRY(c.query("SELECT 1 FROM segment_members WHERE segment_id = ? AND citizen_id = ?",
                        {a.segment_id, citizen_id}));
        return !rows.empty();
    }
    }
    return false;
}

Result<bool> has_answered(db::Connection& c, std::int64_t survey_id, std::int64_t citizen_id) {
    auto rows =
        TRY(c.query("SELECT 1 FROM survey_participations WHERE survey_id = ? AND citizen_id = ?",
                    {survey_id, citizen_id}));
    return !rows.empty();
}

Result<void> submit(db::Connection& c, const Submission& sub, const Clock& clock,
                    std::vector<AnswerProblem>* problems) {
    auto s = TRY(find(c, sub.survey_id));
    if (!s)
        return fail(Error::not_found("There is no such survey."));
    if (auto closed = closed_reason(*s, clock.now_ms()))
        return fail(to_error(*closed));
    if (TRY(c.query("SELECT 1 FROM citizens WHERE id = ?", {sub.citizen_id})).empty())
        return fail(
            Error::invalid(fmt::format("There is no person {}.", sub.citizen_id), "citizen_id"));
    if (!TRY(in_audience(c, s->audience, sub.citizen_id)))
        return fail(Error::precondition("The person is not in this survey's audience."));
    if (TRY(has_answered(c, s->id, sub.citizen_id)))
        return fail(Error::exists("This person has already answered the survey."));
    auto found = check_answers(*s, sub.answers);
    if (!found.empty()) {
        if (problems)
            *problems = found;
        return fail(to_error(found));
    }
    auto now = clock.now_ms();
    // The unique constraint decides between two answers sent at the same moment.
    auto took_part = c.query("INSERT INTO survey_participations (survey_id, citizen_id, via, "
                             "completed_at) VALUES (?, ?, ?, ?)",
                             {s->id, sub.citizen_id, sub.via, now});
    if (!took_part) {
        if (took_part.error().code == ErrorCode::AlreadyExists)
            return fail(Error::exists("This person has already answered the survey."));
        return fail(took_part.error());
    }
    auto answers = normalise_answers(*s, sub.answers).dump();
    // Anonymous: no person, no time, a random key (docs/decisions.md "Surveys").
    auto key = security::random_token(16);
    if (s->anonymous)
        TRY(c.query("INSERT INTO survey_responses (id, survey_id, citizen_id, submitted_at, "
                    "answers) VALUES (?, ?, NULL, NULL, ?)",
                    {key, s->id, answers}));
    else
        TRY(c.query("INSERT INTO survey_responses (id, survey_id, citizen_id, submitted_at, "
                    "answers) VALUES (?, ?, ?, ?, ?)",
                    {key, s->id, sub.citizen_id, now, answers}));
    TRY(record_completed(c, *s, sub, clock));
    return {};
}

Result<std::vector<json>> answer_sets(db::Connection& c, std::int64_t survey_id) {
    std::vector<json> out;
    for (const auto& r : TRY(responses(c, survey_id)))
        out.push_back(r.answers);
    return out;
}

Result<std::vector<ResponseRow>> responses(db::Connection& c, std::int64_t survey_id) {
    auto rows = TRY(c.query("SELECT citizen_id, submitted_at, answers FROM survey_responses "
                            "WHERE survey_id = ? ORDER BY id",
                            {survey_id}));
    std::vector<ResponseRow> out;
    for (const auto& r : rows.rows) {
        auto parsed = json::parse(r.get_text(2), nullptr, false);
        out.push_back(
            {r.get_opt_int(0), r.get_opt_int(1), parsed.is_discarded() ? json::object() : parsed});
    }
    return out;
}

Result<std::vector<PortalItem>> for_citizen(db::Connection& c, std::int64_t citizen_id,
                                            std::int64_t now_ms) {
    auto rows = TRY(c.query(
        fmt::format("SELECT {} FROM surveys s WHERE s.status = 'open' AND (s.opens_at IS NULL OR "
                    "s.opens_at <= ?) AND (s.closes_at IS NULL OR s.closes_at > ?) ORDER BY "
                    "s.closes_at IS NULL, s.closes_at, s.id",
                    kColumns),
        {now_ms, now_ms}));
    std::vector<PortalItem> out;
    for (const auto& r : rows.rows) {
        auto s = TRY(survey_of(r));
        if (!TRY(in_audience(c, s.audience, citizen_id)))
            continue;
        bool answered = TRY(has_answered(c, s.id, citizen_id));
        out.push_back({std::move(s), answered});
    }
    return out;
}

Result<Points> points_for(db::Connection& c, std::int64_t survey_id, std::int64_t citizen_id) {
    Points p;
    auto awarded = TRY(c.query_one(
        "SELECT COALESCE(SUM(t.amount), 0) FROM points_awards w JOIN activities a ON a.id = "
        "w.activity_id JOIN ledger_transfers t ON t.id = w.transfer_id WHERE w.citizen_id = ? AND "
        "a.type = 'survey.completed' AND a.object = ?",
        {citizen_id, fmt::format("survey:{}", survey_id)}));
    p.awarded = awarded.get_int(0);
    auto expected = TRY(c.query_one("SELECT COALESCE(SUM(points), 0) FROM points_rules WHERE "
                                    "activity_type = 'survey.completed' AND enabled = 1"));
    p.expected = expected.get_int(0);
    return p;
}

} // namespace teilhabe::surveys::store
