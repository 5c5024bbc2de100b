#pragma once
// The handlers of the signed-in citizen's pages, by file (internal to src/portal).

#include "citizens/field.h"
#include "portal/me_support.h"
#include "portal/profiling.h"
#include "web/route.h"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace teilhabe::portal::detail {

// A question's form sent again after a refusal: what was typed and the message beside it.
struct Retry {
    std::string key;
    std::vector<std::string> texts;
    FieldErrors errors;
};

// home_page.cpp, question_pages.cpp
http::Response home_page(web::RouteContext& ctx, const ProfilingPolicy& policy);
http::Response home_view(web::RouteContext& ctx, int status, const ProfilingPolicy& policy,
                         const Retry& retry);
// One small form per question, leading back to `next` ("/portal" or "/portal/questions").
nlohmann::json question_cards(const web::RouteContext& ctx,
                              const std::vector<citizens::FieldDefinition>& questions,
                              const Retry& retry, const std::string& next);
http::Response questions_page(web::RouteContext& ctx, const ProfilingPolicy& policy);
http::Response questions_submit(web::RouteContext& ctx, const ProfilingPolicy& policy);
// profile_pages.cpp
http::Response profile_page(web::RouteContext& ctx);
http::Response profile_submit(web::RouteContext& ctx);
// preference_pages.cpp
http::Response preferences_page(web::RouteContext& ctx);
http::Response preferences_submit(web::RouteContext& ctx);
// privacy_pages.cpp, export_page.cpp, delete_pages.cpp
http::Response privacy_page(web::RouteContext& ctx);
http::Response withdraw_submit(web::RouteContext& ctx);
http::Response export_page(web::RouteContext& ctx);
http::Response export_download(web::RouteContext& ctx);
http::Response delete_page(web::RouteContext& ctx);
http::Response delete_submit(web::RouteContext& ctx);
http::Response goodbye_page(web::RouteContext& ctx);

} // namespace teilhabe::portal::detail
