#include "imports/importer.h"

#include "citizens/citizen_store.h"
#include "citizens/field_store.h"
#include "citizens/field_value.h"
#include "db/dialect.h"
#include "imports/cell_values.h"

#include <algorithm>
#include <fmt/format.h>
#include <optional>

namespace teilhabe::imports {

namespace {

using citizens::FieldDefinition;
using nlohmann::json;

constexpr std::int64_t kProgressEveryRows = 1000;

std::string fold(std::string_view s) {
    std::string out;
    for (char c : trim(s)) {
        if (c == '-' || c == ' ' || c == '.')
            out += '_';
        else
            out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

// Column names as town halls write them, German and English.
std::optional<std::string> known_column(const std::string& folded) {
    static const std::vector<std::pair<std::string, std::vector<std::string>>> aliases = {
        {"email", {"email", "e_mail", "mail", "e_mail_adresse", "emailadresse", "email_address"}},
        {"first_name", {"first_name", "firstname", "vorname", "given_name"}},
        {"last_name", {"last_name", "lastname", "nachname", "familienname", "name", "surname"}},
        {"language", {"language", "sprache"}},
        {"district", {"district", "stadtteil", "ortsteil", "bezirk"}},
        {"preferred_channel", {"preferred_channel", "channel", "kanal"}},
        {"tags", {"tags", "schlagworte", "schlagwörter", "stichworte"}},
        {"interests", {"interests", "interessen", "themen", "topics"}},
    };
    for (const auto& [target, names] : aliases)
        if (std::ranges::find(names, folded) != names.end())
            return target;
    return std::nullopt;
}

// Consent to newsletters or to tracking needs proof — when, where, which text, confirmed by
// double opt-in (GDPR Art. 7(1), SPEC "Consent") — which a column of a spreadsheet cannot give.
// Such columns are never imported as consent; the report says so.
bool looks_like_consent(const std::string& folded) {
    static const char* const words[] = {"newsletter", "einwillig", "consent", "opt_in", "optin",
                                        "double_opt", "werbung",   "marketing", "abonn",
                                        "subscri",    "zustimm",   "tracking"};
    return std::ranges::any_of(words, [&](const char* w) {
        return folded.find(w) != std::string::npos;
    });
}

std::vector<ColumnNote> consent_notes(const std::vector<std::string>& header,
                                      const std::vector<std::string>& targets) {
    std::vector<ColumnNote> out;
    for (std::size_t i = 0; i < header.size(); ++i) {
        if (!looks_like_consent(fold(header[i])))
            continue;
        out.push_back(
            {header[i],
             targets[i].empty()
                 ? "not imported: a consent to newsletters or tracking needs proof (when, where, "
                   "which text, confirmed by double opt-in) that a spreadsheet cannot give; "
                   "invite these people to subscribe instead"
                 : "stored as " + targets[i] +
                       ", which is not a consent: newsletters are only sent to people who "
                       "subscribed with double opt-in"});
    }
    return out;
}

bool valid_target(const std::string& t, const std::vector<FieldDefinition>& fields) {
    if (t.empty() || known_column(t) == t)
        return true;
    return t.starts_with("attributes.") &&
           std::ranges::any_of(fields, [&](const auto& f) { return "attributes." + f.key == t; });
}

Result<std::vector<std::string>> plan_columns(const std::vector<std::string>& header,
                                              const Mapping& explicit_map,
                                              const std::vector<FieldDefinition>& fields) {
    for (const auto& [column, target] : explicit_map) {
        if (std::ranges::find(header, column) == header.end())
            return fail(Error::invalid(fmt::format("the mapping names the column '{}', which the "
                                                   "file does not have",
                                                   column),
                                       "mapping"));
        if (!valid_target(target, fields))
            return fail(Error::invalid(fmt::format("column '{}': '{}' is neither a profile member "
                                                   "nor a field (attributes.<key>)",
                                                   column, target),
                                       "mapping"));
    }
    std::vector<std::string> targets;
    for (const auto& column : header) {
        std::string target;
        if (auto it = explicit_map.find(column); it != explicit_map.end()) {
            target = it->second;
        } else if (auto known = known_column(fold(column))) {
            target = *known;
        } else {
            auto folded = fold(column);
            for (const auto& f : fields)
                if (f.key == folded || fold(f.label_de) == folded || fold(f.label_en) == folded)
                    target = "attributes." + f.key;
        }
        if (!target.empty() && std::ranges::find(targets, target) != targets.end())
            return fail(Error::invalid(fmt::format("two columns go to '{}'; map one of them to "
                                                   "\"\" to ignore it",
                                                   target),
                                       "mapping"));
        targets.push_back(target);
    }
    if (std::ranges::find(targets, "email") == targets.end())
        return fail(Error::invalid("the file needs a column with the e-mail address (e.g. "
                                   "\"E-Mail\"): people are matched by it",
                                   "mapping"));
    return targets;
}

struct RowPlan {
    std::string email;
    json body = json::object();
};

class Run {
public:
    Run(const CsvReader& reader, std::vector<std::string> targets,
        std::vector<FieldDefinition> fields, ImportReport& report)
        : m_header(reader.header()), m_targets(std::move(targets)), m_fields(std::move(fields)),
          m_report(report) {}

    void error(std::int64_t line, const std::string& column, const std::string& message) {
        ++m_report.error_count;
        if (m_report.errors.size() < kMaxReportedErrors)
            m_report.errors.push_back({line, column, message});
    }

    // The column an error's field points at ("attributes.birth_year" -> "Geburtsjahr").
    std::string column_for(const std::string& field) const {
        for (std::size_t i = 0; i < m_targets.size(); ++i)
            if (!m_targets[i].empty() && (field == m_targets[i] || field.starts_with(m_targets[i] + "[") ||
                                          field.starts_with(m_targets[i] + ".")))
                return m_header[i];
        return {};
    }

    // Cells -> the JSON body of a create or patch; errors reported, nullopt then.
    std::optional<RowPlan> plan(const CsvRow& row) {
        if (row.cells.size() != m_header.size()) {
            error(row.line, "", fmt::format("the line has {} cells, the header {}", row.cells.size(),
                                            m_header.size()));
            return std::nullopt;
        }
        RowPlan p;
        bool ok = true;
        for (std::size_t i = 0; i < m_targets.size(); ++i) {
            const auto& target = m_targets[i];
            std::string cell = trim(row.cells[i]);
            if (target.empty() || cell.empty())
                continue; // an empty cell leaves the profile's value as it is
            if (target == "email")
                p.email = cell;
            if (target == "tags" || target == "interests") {
                p.body[target] = split_list(cell);
            } else if (target.starts_with("attributes.")) {
                auto key = target.substr(11);
                auto def = std::ranges::find_if(m_fields, [&](const auto& f) { return f.key == key; });
                auto value = cell_to_value(*def, cell);
                if (value)
                    if (auto checked = citizens::validate_value(*def, *value); !checked)
                        value = fail(checked.error());
                if (!value) {
                    error(row.line, m_header[i], value.error().message);
                    ok = false;
                    continue;
                }
                p.body["attributes"][key] = *value;
            } else {
                p.body[target] = cell;
            }
        }
        if (p.email.empty()) {
            error(row.line, column_for("email"), "the e-mail address is missing");
            ok = false;
        }
        return ok ? std::optional<RowPlan>(std::move(p)) : std::nullopt;
    }

private:
    const std::vector<std::string>& m_header;
    std::vector<std::string> m_targets;
    std::vector<FieldDefinition> m_fields;
    ImportReport& m_report;
};

// One row into the database, inside the import's transaction.
Result<void> apply_row(db::Connection& c, citizens::store::BatchWriter& writer, RowPlan& p,
                       Run& run, std::int64_t line, ImportReport& report,
                       const citizens::Actor& who, const Clock& clock) {
    auto report_error = [&](const Error& e) {
        run.error(line, run.column_for(e.field), e.message);
        return Result<void>{};
    };
    // Database failures end the import; anything else is this row's problem, in the report.
    auto refused = [](const Error& e) {
        return e.code != ErrorCode::Internal && e.code != ErrorCode::Unavailable;
    };
    auto existing_id = TRY(citizens::store::find_citizen_id_by_email(c, p.email));
    if (!existing_id) {
        auto changes = citizens::parse_citizen_input(p.body, citizens::InputMode::Create);
        if (!changes)
            return report_error(changes.error());
        auto created = writer.create(*changes, who, clock);
        if (!created)
            return refused(created.error()) ? report_error(created.error())
                                            : Result<void>(fail(created.error()));
        ++report.created;
        return {};
    }
    p.body.erase("email"); // matched by it; the stored form stays
    auto changes = citizens::parse_citizen_input(p.body, citizens::InputMode::Patch);
    if (!changes)
        return report_error(changes.error());
    auto changed = writer.update(*existing_id, *changes, who, clock);
    if (!changed)
        return refused(changed.error()) ? report_error(changed.error())
                                        : Result<void>(fail(changed.error()));
    ++(*changed ? report.updated : report.unchanged);
    return {};
}

} // namespace

nlohmann::json to_json(const ImportReport& r) {
    json errors = json::array();
    for (const auto& e : r.errors)
        errors.push_back({{"line", e.line}, {"column", e.column}, {"message", e.message}});
    json notes = json::array();
    for (const auto& n : r.notes)
        notes.push_back({{"column", n.column}, {"message", n.message}});
    return {{"encoding", r.encoding},
            {"separator", std::string(1, r.separator)},
            {"columns", r.columns},
            {"rows", r.rows},
            {"created", r.created},
            {"updated", r.updated},
            {"unchanged", r.unchanged},
            {"error_count", r.error_count},
            {"errors", errors},
            {"notes", notes},
            {"applied", r.applied}};
}

Result<ImportReport> import_citizens(db::Database& db, std::istream& csv,
                                     const ImportOptions& options, const citizens::Actor& who,
                                     const Clock& clock) {
    auto reader = TRY(CsvReader::open(csv));
    auto lease = TRY(db.acquire());
    auto& c = *lease;
    if (auto cache = db::dialect::bulk_write_cache(c.backend()); !cache.empty())
        TRY(c.exec_script(cache));
    struct CacheReset {
        db::Connection& c;
        ~CacheReset() {
            if (auto reset = db::dialect::default_cache(c.backend()); !reset.empty())
                (void)c.exec_script(reset);
        }
    } cache_reset{c};
    TRY(c.begin(true));
    auto result = [&]() -> Result<ImportReport> {
        if (options.on_begin)
            TRY(options.on_begin(c));
        auto fields = TRY(citizens::store::list_fields(c));
        auto targets = TRY(plan_columns(reader.header(), options.mapping, fields));
        ImportReport report;
        report.encoding = to_string(reader.encoding());
        report.separator = reader.separator();
        for (std::size_t i = 0; i < targets.size(); ++i)
            report.columns[reader.header()[i]] = targets[i];
        report.notes = consent_notes(reader.header(), targets);
        Run run(reader, targets, std::move(fields), report);
        auto writer = TRY(citizens::store::BatchWriter::start(c));
        for (;;) {
            auto row = TRY(reader.next());
            if (!row)
                break;
            ++report.rows;
            if (!row->error.empty()) {
                run.error(row->line, "", row->error);
                continue;
            }
            auto plan = run.plan(*row);
            // After the first refused row nothing more is written (it will all be rolled
            // back); the remaining rows are still checked, so the report lists their errors.
            if (plan && report.error_count == 0)
                TRY(apply_row(c, writer, *plan, run, row->line, report, who, clock));
            if (options.progress && report.rows % kProgressEveryRows == 0)
                options.progress(reader.bytes_read(), report.rows);
        }
        if (options.progress)
            options.progress(reader.bytes_read(), report.rows);
        return report;
    }();
    if (!result || result->error_count > 0 || options.mode == ImportOptions::Mode::DryRun) {
        c.rollback();
        return result;
    }
    result->applied = true;
    if (options.before_commit) {
        if (auto r = options.before_commit(c, *result); !r) {
            c.rollback();
            return fail(r.error());
        }
    }
    TRY(c.commit());
    return result;
}

} // namespace teilhabe::imports
