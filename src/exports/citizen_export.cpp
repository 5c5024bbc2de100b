#include "exports/citizen_export.h"

#include "citizens/citizen_store.h"
#include "citizens/field_store.h"
#include "staff/staff_store.h"

#include <algorithm>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace teilhabe::exports {

Result<ExportRequest>
parse_export_request(const std::vector<std::pair<std::string, std::string>>& params) {
    ExportRequest out;
    std::vector<std::pair<std::string, std::string>> filters;
    for (const auto& [name, value] : params) {
        if (name == "format") {
            auto f = parse_export_format(value);
            if (!f)
                return fail(Error::invalid("format must be csv, xlsx or json", "format"));
            out.format = *f;
            continue;
        }
        if (name == "limit" || name == "cursor")
            return fail(Error::invalid(
                fmt::format("An export contains the whole list; '{}' is for pages of the list.",
                            name),
                name));
        if (name == "restricted" && value != "false")
            return fail(Error::invalid(
                "People whose processing is restricted (GDPR Art. 18) are not exported in bulk; "
                "use the GDPR export of the person (/api/v1/citizens/{id}/export).",
                "restricted"));
        filters.emplace_back(name, value);
        if (std::ranges::find(out.filter_names, name) == out.filter_names.end())
            out.filter_names.push_back(name);
    }
    out.query = TRY(citizens::parse_citizen_query(filters));
    out.query.restricted = false;
    out.query.after_id = 0;
    return out;
}

CitizenExport::CitizenExport(db::Database& db, ExportRequest request,
                             std::unique_ptr<ExportWriter> writer, citizens::Actor who,
                             const Clock& clock)
    : m_db(db), m_request(std::move(request)), m_writer(std::move(writer)), m_who(std::move(who)),
      m_clock(clock) {}

Result<std::unique_ptr<CitizenExport>> CitizenExport::start(db::Database& db, ExportRequest request,
                                                            std::unique_ptr<ExportWriter> writer,
                                                            citizens::Actor who,
                                                            const Clock& clock) {
    std::unique_ptr<CitizenExport> e(
        new CitizenExport(db, std::move(request), std::move(writer), std::move(who), clock));
    auto first = TRY(
        db.transaction(db::TxMode::Write, [&](db::Connection& c) -> Result<citizens::CitizenPage> {
            e->m_table.emplace(TRY(citizens::store::list_fields(c)));
            auto page = TRY(e->read_page(c));
            TRY(staff::store::audit(
                c,
                {e->m_who.id, "citizen.export_started", "",
                 fmt::format("{}; filters: {}", to_string(e->format()), e->filters()), e->m_who.ip},
                clock));
            return page;
        }));
    e->m_pending = std::move(first);
    return e;
}

std::string CitizenExport::filters() const {
    std::string out;
    for (const auto& n : m_request.filter_names)
        out += (out.empty() ? "" : ", ") + n;
    return out.empty() ? "none" : out;
}

Result<citizens::CitizenPage> CitizenExport::read_page(db::Connection& c) const {
    auto q = m_request.query;
    q.after_id = m_after;
    q.limit = m_request.page_size;
    return citizens::store::list_citizens(c, q);
}

Result<void> CitizenExport::record(const std::string& action, const std::string& what) {
    return m_db.transaction(db::TxMode::Write, [&](db::Connection& c) {
        return staff::store::audit(
            c,
            {m_who.id, action, "",
             fmt::format("{}; {}; filters: {}", to_string(format()), what, filters()), m_who.ip},
            m_clock);
    });
}

Result<bool> CitizenExport::write_next(std::string& out) {
    if (!m_begun) {
        TRY(m_writer->begin(*m_table, out));
        m_begun = true;
    }
    citizens::CitizenPage page;
    if (m_pending) {
        page = std::move(*m_pending);
        m_pending.reset();
    } else {
        page = TRY(
            m_db.transaction(db::TxMode::Read, [&](db::Connection& c) { return read_page(c); }));
    }
    for (const auto& c : page.items) {
        TRY(m_writer->row(*m_table, c, out));
        ++m_rows;
    }
    if (!page.items.empty())
        m_after = page.items.back().id;
    if (!page.next_cursor) {
        TRY(m_writer->end(out));
        m_done = true;
        TRY(record("citizen.exported", fmt::format("{} profiles", m_rows)));
    }
    return true;
}

Result<bool> CitizenExport::next(std::string& out) {
    if (m_done)
        return false;
    auto r = write_next(out);
    if (!r && !m_done) {
        m_done = true;
        auto rec = record("citizen.export_aborted", fmt::format("broken off after {} profiles: {}",
                                                                m_rows, r.error().message));
        if (!rec)
            spdlog::error("export: cannot record the broken-off export: {}", rec.error().message);
    }
    return r;
}

void CitizenExport::cancelled() {
    if (m_done)
        return;
    m_done = true;
    auto rec = record("citizen.export_aborted",
                      fmt::format("broken off after {} profiles: the reader went away", m_rows));
    if (!rec)
        spdlog::error("export: cannot record the broken-off export: {}", rec.error().message);
}

Result<std::int64_t> run_to_end(CitizenExport& e,
                                const std::function<Result<void>(std::string_view)>& sink) {
    std::string part;
    for (;;) {
        part.clear();
        if (!TRY(e.next(part)))
            return e.rows();
        if (!part.empty()) {
            if (auto s = sink(part); !s) {
                e.cancelled();
                return fail(s.error());
            }
        }
    }
}

} // namespace teilhabe::exports
