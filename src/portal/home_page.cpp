// GET /portal: what is new for the person. The first open question of progressive profiling as
// a small card, the points balance (ledger/), and the places where events and surveys will show
// (those capabilities come later; each says so kindly), with the ways to the person's own data.

#include "citizens/citizen_store.h"
#include "ledger/ledger_store.h"
#include "portal/me_pages.h"
#include "portal/me_service.h"
#include "portal/me_support.h"
#include "web/respond.h"

namespace teilhabe::portal::detail {

namespace {

using nlohmann::json;

struct HomeData {
    std::string first_name;
    std::vector<citizens::FieldDefinition> questions;
    std::int64_t points{0};
};

} // namespace

http::Response home_view(web::RouteContext& ctx, int status, const ProfilingPolicy& policy,
                         const Retry& retry) {
    auto data =
        ctx.app.db.transaction(db::TxMode::Read, [&](db::Connection& c) -> Result<HomeData> {
            auto person = TRY(citizens::store::find_citizen(c, me(ctx)));
            if (!person)
                return fail(Error::not_found("the person is gone"));
            return HomeData{person->first_name,
                            TRY(open_questions(c, me(ctx), policy, ctx.app.clock)),
                            TRY(ledger::balance(c, ledger::AccountRef::citizen(me(ctx))))};
        });
    if (!data)
        return failure(ctx, data.error(), "portal home");
    std::vector<citizens::FieldDefinition> first;
    if (!data->questions.empty())
        first.push_back(data->questions.front());
    auto cards = question_cards(ctx, first, retry, "/portal");
    json view{{"first_name", data->first_name},
              {"questions", cards},
              {"has_questions", !cards.empty()},
              {"more_questions", data->questions.size() > 1},
              {"points", data->points},
              {"has_points", data->points > 0},
              {"answered", ctx.req.query_param("answered").has_value()},
              {"declined", ctx.req.query_param("declined").has_value()}};
    return web::page(ctx, status, "portal_home", std::move(view), tr(ctx, "portal_home.title"));
}

http::Response home_page(web::RouteContext& ctx, const ProfilingPolicy& policy) {
    return home_view(ctx, 200, policy, {});
}

} // namespace teilhabe::portal::detail
