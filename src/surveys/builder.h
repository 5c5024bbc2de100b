#pragma once
// The survey builder's form, which works without JavaScript: every button posts the whole
// form, and the server answers with the form changed (a question added, moved, deleted after a
// confirmation) or saves it. Internal to src/surveys.

#include "surveys/survey.h"
#include "web/route.h"

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace teilhabe::surveys::builder {

struct QuestionForm {
    std::string text, kind{"single_choice"}, options, rows; // options, rows: one per line
    bool required{false};
};

struct Form {
    std::string title, description, opens_on, closes_on; // dates YYYY-MM-DD (the town's days)
    std::string audience{"everyone"}, topic, segment, department;
    bool anonymous{false};
    std::vector<QuestionForm> questions;
    std::optional<std::size_t> confirm_delete; // 0-based: the question asked about
};

using Form_t = std::vector<std::pair<std::string, std::string>>;
Form read(const Form_t& posted);
Form of(const Survey& s);

// What the pressed button asked for.
struct Action {
    enum class Kind { Save, Add, Up, Down, AskDelete, Delete, Keep };
    Kind kind{Kind::Save};
    std::size_t index{0};
};
Action action_of(const Form_t& posted);
// Changes the form for every action but Save.
void perform(Form& f, const Action& a);

using Errors = std::map<std::string, std::string>; // form field id -> message
// The form's values onto `base` (which keeps id, status, department unless the form names one);
// messages beside the fields that do not fit (in the request's language).
Survey to_survey(const web::RouteContext& ctx, Survey base, const Form& f, Errors& errors,
                 bool questions_locked);

// The builder's whole days are the town's days (Europe/Berlin, journeys/calendar.h; the town has
// no other time-zone setting): "from 1 Dec to 7 Dec" opens at 00:00 on 1 Dec and closes at 24:00
// on 7 Dec local time, whatever the clocks do in between. A day is typed 2026-12-01 or
// 01.12.2026; nothing when it is no day.
std::optional<std::int64_t> local_day_start(const std::string& typed); // unix ms
std::optional<std::int64_t> local_day_end(const std::string& typed);   // unix ms (exclusive)
// The local day of an instant, YYYY-MM-DD.
std::string local_day_text(std::int64_t ms);

// The template's data for the form.
nlohmann::json view(const web::RouteContext& ctx, const Form& f, const Errors& errors,
                    bool questions_locked);

} // namespace teilhabe::surveys::builder
