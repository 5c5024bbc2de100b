// Exports on both engines: what a CSV file holds, read back by our own CSV reader and imported
// again; XLSX checked with openpyxl; filters, paging and the audit log.

#include "exports/citizen_export.h"
#include "exports/export_test_fixture.h"
#include "exports/temp_file.h"
#include "exports/xlsx_writer.h"
#include "imports/csv_reader.h"
#include "imports/importer.h"

#include <cstdio>
#include <fstream>
#include <sstream>

namespace teilhabe::exports::testing {
namespace {

using nlohmann::json;

class CitizenExportTest : public ExportTest {
protected:
    Result<std::string> run(std::vector<std::pair<std::string, std::string>> params,
                            std::unique_ptr<ExportWriter> writer, int page_size = 2) {
        auto request = TRY(parse_export_request(params));
        request.page_size = page_size; // several pages even for a few people
        auto e = TRY(
            CitizenExport::start(*m_t->db, std::move(request), std::move(writer), m_who, m_clock));
        std::string all;
        TRY(run_to_end(*e, [&](std::string_view part) -> Result<void> {
            all += part;
            return {};
        }));
        return all;
    }
    Result<std::string> csv(std::vector<std::pair<std::string, std::string>> params = {}) {
        return run(std::move(params), csv_writer());
    }

    // The rows of a CSV export as our import's reader sees them.
    std::vector<std::vector<std::string>> read_back(const std::string& csv,
                                                    std::vector<std::string>* header = nullptr) {
        std::istringstream in(csv);
        auto reader = imports::CsvReader::open(in);
        EXPECT_TRUE(reader) << reader.error().message;
        if (!reader)
            return {};
        EXPECT_EQ(reader->separator(), ';');
        EXPECT_EQ(reader->encoding(), imports::Encoding::Utf8);
        if (header)
            *header = reader->header();
        std::vector<std::vector<std::string>> rows;
        for (;;) {
            auto row = reader->next();
            EXPECT_TRUE(row) << row.error().message;
            if (!row || !*row)
                break;
            EXPECT_EQ((*row)->error, "");
            rows.push_back((*row)->cells);
        }
        return rows;
    }
};

TEST_P(CitizenExportTest, CsvReadBackByOurReaderIsTheData) {
    auto anna = create({{"email", "anna@example.org"},
                        {"first_name", "Anna-Lena"},
                        {"last_name", "Müller; \"Mülli\""},
                        {"language", "en"},
                        {"district", "Nord;Ost"},
                        {"tags", {"ehrenamt", "senioren"}},
                        {"interests", {"kultur", "umwelt"}},
                        {"attributes",
                         {{"birth_year", 1984},
                          {"share", 2.5},
                          {"member_since", "2024-02-29"},
                          {"has_dog", true},
                          {"notes", "Rückruf\nerbeten"},
                          {"size", "M"},
                          {"volunteering", {"Bücherei", "Garten"}}}}});
    auto bert = create({{"email", "bert@example.org"}, {"attributes", {{"has_dog", false}}}});
    create({{"email", "carla@example.org"}}); // three people, pages of two
    auto out = csv();
    ASSERT_TRUE(out) << out.error().message;
    ASSERT_TRUE(out->starts_with("\xEF\xBB\xBF"));
    std::vector<std::string> header;
    auto rows = read_back(*out, &header);
    EXPECT_EQ(header, (std::vector<std::string>{
                          "id", "email", "first_name", "last_name", "language", "preferred_channel",
                          "district", "tags", "interests", "created_at", "updated_at", "birth_year",
                          "has_dog", "member_since", "notes", "share", "size", "volunteering"}));
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0], (std::vector<std::string>{
                           std::to_string(anna.id), "anna@example.org", "Anna-Lena",
                           "Müller; \"Mülli\"", "en", "email", "Nord;Ost", "ehrenamt, senioren",
                           "kultur, umwelt", format_iso8601(from_unix_ms(anna.created_at)),
                           format_iso8601(from_unix_ms(anna.updated_at)), "1984", "ja",
                           "2024-02-29", "Rückruf\nerbeten", "2,5", "M", "Bücherei, Garten"}));
    EXPECT_EQ(rows[1][0], std::to_string(bert.id));
    EXPECT_EQ(rows[1][12], "nein");
    EXPECT_EQ(rows[1][13], "");
    EXPECT_EQ(rows[2][1], "carla@example.org");
}

TEST_P(CitizenExportTest, FormulasTypedByPeopleAreDefused) {
    create({{"email", "eve@example.org"},
            {"first_name", "=HYPERLINK(\"http://evil.example\";\"klick\")"},
            {"last_name", "@SUM(1+1)"},
            {"district", "+1"},
            {"attributes", {{"notes", "-1+2"}, {"share", -1.5}}}});
    auto out = csv();
    ASSERT_TRUE(out) << out.error().message;
    auto rows = read_back(*out);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0][2], "'=HYPERLINK(\"http://evil.example\";\"klick\")");
    EXPECT_EQ(rows[0][3], "'@SUM(1+1)");
    EXPECT_EQ(rows[0][6], "'+1");
    EXPECT_EQ(rows[0][14], "'-1+2");
    EXPECT_EQ(rows[0][15], "-1,5"); // a number we wrote ourselves stays a number
}

TEST_P(CitizenExportTest, FiltersOfTheListAreHonouredAndRestrictedPeopleLeftOut) {
    auto a = create({{"email", "a@example.org"},
                     {"district", "Nord"},
                     {"tags", {"ehrenamt"}},
                     {"attributes", {{"has_dog", true}}}});
    create({{"email", "b@example.org"}, {"district", "Nord"}, {"tags", {"sport"}}});
    create({{"email", "c@example.org"}, {"district", "Süd"}, {"tags", {"ehrenamt"}}});
    auto d = create({{"email", "d@example.org"},
                     {"district", "Nord"},
                     {"tags", {"ehrenamt"}},
                     {"attributes", {{"has_dog", true}}}});
    auto e = create({{"email", "e@example.org"},
                     {"district", "Nord"},
                     {"tags", {"ehrenamt"}},
                     {"attributes", {{"has_dog", true}}}});
    ASSERT_TRUE(tx([&](db::Connection& c) {
        return c.query("UPDATE citizens SET restricted_at = 1 WHERE id = ?", {e.id});
    }));
    auto emails = [&](std::vector<std::pair<std::string, std::string>> params) {
        auto out = csv(std::move(params));
        EXPECT_TRUE(out) << out.error().message;
        std::vector<std::string> got;
        for (const auto& r : read_back(out.value_or("")))
            got.push_back(r[1]);
        return got;
    };
    EXPECT_EQ(emails({{"district", "Nord"}, {"tag", "ehrenamt"}, {"field.has_dog", "ja"}}),
              (std::vector<std::string>{"a@example.org", "d@example.org"}));
    EXPECT_EQ(emails({{"q", "c@"}}), std::vector<std::string>{"c@example.org"});
    EXPECT_EQ(emails({}).size(), 4u); // e is restricted (GDPR Art. 18)
    EXPECT_EQ(emails({{"restricted", "false"}}).size(), 4u);
    (void)a;
    (void)d;

    auto refused = [&](std::vector<std::pair<std::string, std::string>> params) {
        auto out = csv(std::move(params));
        return out ? std::string("accepted") : out.error().field;
    };
    EXPECT_EQ(refused({{"restricted", "true"}}), "restricted");
    EXPECT_EQ(refused({{"limit", "10"}}), "limit");
    EXPECT_EQ(refused({{"cursor", "abc"}}), "cursor");
    EXPECT_EQ(refused({{"format", "pdf"}}), "format");
    EXPECT_EQ(refused({{"field.nope", "1"}}), "field.nope");
    EXPECT_EQ(refused({{"interest", "nope"}}), "interest");
    EXPECT_EQ(refused({{"distrikt", "Nord"}}), "distrikt");
}

TEST_P(CitizenExportTest, EveryExportIsAuditedWithFilterNamesAndTheNumberOfPeople) {
    for (int i = 0; i < 5; ++i)
        create({{"email", "p" + std::to_string(i) + "@example.org"}, {"district", "Nord"}});
    ASSERT_TRUE(csv({{"district", "Nord"}, {"q", "p"}}));
    auto audit = export_audit();
    ASSERT_EQ(audit.size(), 2u);
    EXPECT_EQ(audit[0], "citizen.export_started|csv; filters: district, q|192.0.2.1");
    EXPECT_EQ(audit[1], "citizen.exported|csv; 5 profiles; filters: district, q|192.0.2.1");
    // Never the values: a search term can itself be personal data.
    EXPECT_EQ(audit[0].find("Nord"), std::string::npos);

    // Broken off by the reader after the first page.
    auto request = parse_export_request({{"format", "json"}});
    ASSERT_TRUE(request);
    request->page_size = 2;
    auto e = CitizenExport::start(*m_t->db, *request, json_writer(), m_who, m_clock);
    ASSERT_TRUE(e) << e.error().message;
    std::string part;
    ASSERT_TRUE((*e)->next(part).value_or(false));
    (*e)->cancelled();
    (*e)->cancelled(); // recorded once
    audit = export_audit();
    ASSERT_EQ(audit.size(), 4u);
    EXPECT_EQ(audit[3], "citizen.export_aborted|json; broken off after 2 profiles: the reader "
                        "went away; filters: none|192.0.2.1");
}

TEST_P(CitizenExportTest, JsonIsAnArrayOfCitizens) {
    auto a = create({{"email", "a@example.org"}, {"attributes", {{"share", 0.25}}}});
    auto b = create({{"email", "b@example.org"}, {"interests", {"kultur"}}});
    auto out = run({}, json_writer());
    ASSERT_TRUE(out) << out.error().message;
    auto j = json::parse(*out);
    ASSERT_EQ(j.size(), 2u);
    EXPECT_EQ(j[0], citizens::to_json(a));
    EXPECT_EQ(j[1], citizens::to_json(b));
}

TEST_P(CitizenExportTest, AnExportedCsvImportsAgainWithoutAChange) {
    create({{"email", "anna@example.org"},
            {"first_name", "Anna"},
            {"district", "Nord"},
            {"tags", {"ehrenamt"}},
            {"interests", {"kultur"}},
            {"attributes",
             {{"birth_year", 1984},
              {"share", 2.5},
              {"member_since", "2024-02-29"},
              {"has_dog", false},
              {"size", "L"},
              {"volunteering", {"Garten", "Sport"}}}}});
    create({{"email", "bert@example.org"}, {"language", "en"}});
    auto out = csv();
    ASSERT_TRUE(out) << out.error().message;
    std::istringstream in(*out);
    auto report = imports::import_citizens(*m_t->db, in, {}, m_who, m_clock);
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_EQ(report->error_count, 0) << imports::to_json(*report).dump();
    EXPECT_EQ(report->unchanged, 2);
    EXPECT_EQ(report->updated, 0);
}

// openpyxl (Debian python3-openpyxl) reads the workbook as Excel would.
json read_xlsx(const std::string& path) {
    std::string script = R"PY(
import datetime, json, sys
import openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).active
def show(v):
    if isinstance(v, (datetime.datetime, datetime.date)):
        return v.isoformat()
    return v
print(json.dumps({"freeze": ws.freeze_panes, "filter": ws.auto_filter.ref,
                  "rows": [[[c.data_type, show(c.value), c.is_date] for c in row]
                           for row in ws.iter_rows()]}))
)PY";
    std::string script_path = path + ".py";
    std::ofstream(script_path) << script;
    std::string cmd = std::string(TEILHABE_PYTHON) + " " + script_path + " " + path + " 2>&1";
    std::string output;
    if (FILE* p = ::popen(cmd.c_str(), "r")) {
        char buf[4096];
        while (auto n = std::fread(buf, 1, sizeof buf, p))
            output.append(buf, n);
        ::pclose(p);
    }
    std::remove(script_path.c_str());
    auto j = json::parse(output, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << output;
    return j;
}

TEST_P(CitizenExportTest, XlsxHasAFrozenHeaderRealDatesAndNumbersAndNoFormulas) {
    auto anna = create({{"email", "anna@example.org"},
                        {"first_name", "=1+1"},
                        {"tags", {"ehrenamt", "senioren"}},
                        {"attributes",
                         {{"birth_year", 1984},
                          {"share", 2.5},
                          {"member_since", "2024-02-29"},
                          {"has_dog", true},
                          {"volunteering", {"Garten"}}}}});
    create({{"email", "bert@example.org"}});
    create({{"email", "carla@example.org"}});
    auto file = TempFile::create(".xlsx");
    ASSERT_TRUE(file) << file.error().message;
    auto writer = xlsx_writer(file->path());
    ASSERT_TRUE(writer) << writer.error().message;
    auto out = run({{"format", "xlsx"}}, std::move(*writer));
    ASSERT_TRUE(out) << out.error().message;
    EXPECT_EQ(*out, ""); // the workbook went into the file
    auto x = read_xlsx(file->path());
    EXPECT_EQ(x["freeze"], "A2");
    EXPECT_EQ(x["filter"], "A1:R4");
    auto rows = x["rows"];
    ASSERT_EQ(rows.size(), 4u);
    EXPECT_EQ(rows[0][0], json({"s", "id", false}));
    EXPECT_EQ(rows[0][11], json({"s", "birth_year", false}));
    const auto& r = rows[1];
    EXPECT_EQ(r[0], json({"n", anna.id, false}));
    EXPECT_EQ(r[1], json({"s", "anna@example.org", false}));
    EXPECT_EQ(r[2], json({"s", "=1+1", false})) << "text, never a formula";
    EXPECT_EQ(r[7], json({"s", "ehrenamt, senioren", false}));
    EXPECT_EQ(r[9][1], format_iso8601(from_unix_ms(anna.created_at)).substr(0, 19));
    EXPECT_EQ(r[9][2], true);
    EXPECT_EQ(r[11], json({"n", 1984, false}));
    EXPECT_EQ(r[12], json({"b", true, false}));
    EXPECT_EQ(r[13][1], "2024-02-29T00:00:00");
    EXPECT_EQ(r[13][2], true);
    EXPECT_EQ(r[15], json({"n", 2.5, false}));
    EXPECT_EQ(r[17], json({"s", "Garten", false}));
    EXPECT_EQ(rows[2][1][1], "bert@example.org");
    EXPECT_EQ(rows[2][11][1], nullptr); // no value: an empty cell
}

INSTANTIATE_TEST_SUITE_P(Backends, CitizenExportTest, ::testing::ValuesIn(db::testing::backends()),
                         backend_test_name);

} // namespace
} // namespace teilhabe::exports::testing
