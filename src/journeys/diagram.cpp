#include "journeys/diagram.h"

#include <fmt/format.h>

namespace teilhabe::journeys {

namespace {

std::string label(StepKind k, bool en) {
    switch (k) {
    case StepKind::Wait: return en ? "Wait" : "Warten";
    case StepKind::Branch: return en ? "Branch" : "Verzweigung";
    case StepKind::SendEmail: return en ? "Send e-mail" : "E-Mail senden";
    case StepKind::AwardPoints: return en ? "Award points" : "Punkte vergeben";
    case StepKind::SetField: return en ? "Set field" : "Feld setzen";
    case StepKind::AddTag: return en ? "Add tag" : "Schlagwort hinzufügen";
    case StepKind::AddInterest: return en ? "Add interest" : "Interesse hinzufügen";
    case StepKind::Webhook: return en ? "Call webhook" : "Webhook aufrufen";
    case StepKind::Exit: return en ? "Exit" : "Ende";
    }
    return "";
}

std::string detail(const Step& s, bool en) {
    switch (s.kind) {
    case StepKind::Wait:
        if (s.duration)
            return format_duration(*s.duration);
        if (s.until_minutes)
            return fmt::format("{} {}{}", en ? "until" : "bis", format_clock(*s.until_minutes),
                               s.skip_sundays ? (en ? ", not Sundays" : ", nicht sonntags") : "");
        if (s.until_date)
            return fmt::format("{} {}", en ? "until" : "bis", format_local(*s.until_date + s.offset, en));
        return fmt::format("{} trigger.{} {}", en ? "until" : "bis", s.until_trigger, format_duration(s.offset));
    case StepKind::Branch: return s.rule.dump();
    case StepKind::SendEmail: return s.subject;
    case StepKind::AwardPoints: return fmt::format("{}", s.points);
    case StepKind::SetField: return fmt::format("{} = {}", s.field, s.value.dump());
    case StepKind::AddTag:
    case StepKind::AddInterest: return s.tag;
    case StepKind::Webhook: return fmt::format("#{}", s.webhook_id);
    case StepKind::Exit: return "";
    }
    return "";
}

std::string target(const std::string& t, bool en) {
    if (t.empty())
        return en ? "done" : "fertig";
    if (t == kExit)
        return en ? "exit" : "Ausstieg";
    return t;
}

} // namespace

nlohmann::json diagram(const Definition& d, const std::vector<store::StepStats>& stats, bool en) {
    auto boxes = nlohmann::json::array();
    for (std::size_t i = 0; i < d.steps.size(); ++i) {
        const auto& s = d.steps[i];
        nlohmann::json box{{"id", s.id},
                           {"number", i + 1},
                           {"label", label(s.kind, en)},
                           {"kind", to_string(s.kind)},
                           {"detail", detail(s, en)}};
        if (s.kind == StepKind::Branch) {
            box["branch"] = true;
            box["then"] = target(s.then_step, en);
            box["else"] = target(s.else_step, en);
        } else if (s.kind != StepKind::Exit) {
            box["next"] = target(s.next, en);
            // An arrow straight down when the next step is the following one.
            box["jump"] = !(i + 1 < d.steps.size() && s.next == d.steps[i + 1].id);
        }
        for (const auto& st : stats)
            if (st.step == s.id)
                box["stats"] = {{"entered", st.entered},
                                {"waiting", st.waiting},
                                {"done", st.done},
                                {"exited", st.exited},
                                {"failed", st.failed},
                                {"retrying", st.retrying},
                                {"has_trouble", st.failed > 0 || st.retrying > 0},
                                {"last_error", st.last_error ? nlohmann::json(*st.last_error) : nlohmann::json(nullptr)}};
        boxes.push_back(box);
    }
    return boxes;
}

} // namespace teilhabe::journeys
