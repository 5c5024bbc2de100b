// How many personalised messages of the demo campaign can one core render per second?
// Issue 4 asks for >= 100,000. Each render produces subject, preheader, the HTML document and
// the plain-text part for one of 1,000 recipients (names, districts, interests vary, so blocks
// are shown and hidden). Baselines in the same run:
//   BM_Concat   the same output built by appending precomputed pieces and the names (a floor:
//               the cost of producing that many bytes at all)
//   BM_Kainjow  kainjow mustache rendering a template of the body's size per recipient
#include "mail/template.h"

#include <benchmark/benchmark.h>
#include <kainjow/mustache.hpp>

using namespace teilhabe::mail;

namespace {

LayoutSettings town() {
    LayoutSettings s;
    s.branding.logo_url = "https://www.musterstadt.de/logo.png";
    s.imprint.organisation = "Stadt Musterstadt";
    s.imprint.street = "Marktplatz 1";
    s.imprint.postcode_city = "12345 Musterstadt";
    s.imprint.imprint_url = "https://www.musterstadt.de/impressum";
    return s;
}

std::vector<Recipient> recipients() {
    static const char* first[] = {"Anna", "Jürgen", "Zoë", "Mehmet", "Lena", "<Eva>", "Ole", ""};
    static const char* districts[] = {"Nord", "Süd", "Mitte", "Ost"};
    std::vector<Recipient> out;
    for (int i = 0; i < 1000; ++i) {
        Recipient r;
        r.first_name = first[i % 8];
        r.last_name = "Muster" + std::to_string(i);
        r.email = "person" + std::to_string(i) + "@example.org";
        r.language = i % 10 == 0 ? "en" : "de";
        r.district = districts[i % 4];
        if (i % 3 == 0)
            r.interests.insert("familie");
        r.unsubscribe_url =
            "https://teilhabe.musterstadt.de/unsubscribe/" + std::to_string(1000000 + i);
        r.preferences_url =
            "https://teilhabe.musterstadt.de/preferences/" + std::to_string(1000000 + i);
        out.push_back(std::move(r));
    }
    return out;
}

void BM_RenderDemoCampaign(benchmark::State& state) {
    auto campaign = *CompiledCampaign::compile(demo_campaign(), town());
    auto people = recipients();
    RenderedMail out;
    std::size_t i = 0, bytes = 0;
    for (auto _ : state) {
        campaign.render_into(people[i++ % people.size()], {}, out);
        bytes += out.html.size() + out.text.size();
        benchmark::DoNotOptimize(out.html.data());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
    state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_RenderDemoCampaign);

// With a link rewriter that builds a /r/{token} URL per link, as for people who consented to
// click tracking.
void BM_RenderDemoCampaignTracked(benchmark::State& state) {
    auto campaign = *CompiledCampaign::compile(demo_campaign(), town());
    auto people = recipients();
    RenderedMail out;
    std::size_t i = 0;
    std::string url;
    LinkRewriter rewrite = [&](std::string_view, std::optional<std::string_view>) {
        url = "https://teilhabe.musterstadt.de/r/";
        url += std::to_string(i * 7919);
        return url;
    };
    for (auto _ : state) {
        campaign.render_into(people[i++ % people.size()], rewrite, out);
        benchmark::DoNotOptimize(out.html.data());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_RenderDemoCampaignTracked);

void BM_Concat(benchmark::State& state) {
    auto campaign = *CompiledCampaign::compile(demo_campaign(), town());
    auto people = recipients();
    // The output of one recipient cut at the name into pieces, reassembled per recipient.
    auto sample = campaign.render(people[0]);
    auto cut = [](const std::string& s, const std::string& name) {
        auto p = s.find(name);
        return std::pair{s.substr(0, p), s.substr(p + name.size())};
    };
    auto [h1, h2] = cut(sample.html, "Anna");
    auto [t1, t2] = cut(sample.text, "Anna");
    auto [s1, s2] = cut(sample.subject, "Anna");
    RenderedMail out;
    std::size_t i = 0;
    for (auto _ : state) {
        const auto& r = people[i++ % people.size()];
        out.subject.clear();
        out.html.clear();
        out.text.clear();
        out.preheader = sample.preheader;
        out.subject.append(s1).append(r.first_name).append(s2);
        out.html.append(h1).append(r.first_name).append(h2).append(r.unsubscribe_url);
        out.text.append(t1).append(r.first_name).append(t2).append(r.unsubscribe_url);
        benchmark::DoNotOptimize(out.html.data());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_Concat);

void BM_Kainjow(benchmark::State& state) {
    auto campaign = *CompiledCampaign::compile(demo_campaign(), town());
    auto people = recipients();
    auto sample = campaign.render(people[0]);
    // The same HTML as a mustache template with the recipient's values as variables.
    std::string tpl = sample.html;
    tpl.replace(tpl.find("Anna"), 4, "{{first_name}}");
    tpl += "{{#nord}}<p>Nord</p>{{/nord}}<a href=\"{{unsubscribe_url}}\">x</a>";
    kainjow::mustache::mustache m(tpl);
    std::size_t i = 0;
    for (auto _ : state) {
        const auto& r = people[i++ % people.size()];
        kainjow::mustache::data d;
        d.set("first_name", r.first_name);
        d.set("nord", r.district == "Nord");
        d.set("unsubscribe_url", r.unsubscribe_url);
        auto html = m.render(d);
        benchmark::DoNotOptimize(html.data());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_Kainjow);

} // namespace

BENCHMARK_MAIN();
