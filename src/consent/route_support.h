#pragma once
// What the consent routes share (internal to src/consent): who is asking, ids, errors, the
// proof of a request, the handlers of each file.

#include "consent/consent.h"
#include "consent/mailer.h"
#include "consent/topic.h"
#include "consent/topic_store.h"
#include "http/message.h"
#include "web/route.h"

#include <optional>
#include <string_view>

namespace teilhabe::consent::detail {

using Form = std::vector<std::pair<std::string, std::string>>;

std::string tr(const web::RouteContext& ctx, std::string_view key);
store::Actor actor_of(const web::RouteContext& ctx);
std::optional<std::int64_t> parse_id(std::string_view text);
std::vector<std::string> form_values(const Form& form, std::string_view name);
// Department staff manage only their department's topics; API keys of that role have no
// department and manage none.
Result<TopicScope> topic_scope(db::Connection& c, const web::Principal& who);
// When, from where, with which browser; form_url from the Referer unless given.
Proof proof_of(const web::RouteContext& ctx, std::string form_url = {});
// An error as problem+json: 422 for a value naming its member, else by code.
http::Response api_problem(const Error& e, std::string_view what);
// The generic error page (logs internal errors).
http::Response page_failure(web::RouteContext& ctx, const Error& e, std::string_view what);

// API (topic_routes.cpp)
http::Response list_topics(web::RouteContext& ctx);
http::Response get_topic(web::RouteContext& ctx);
http::Response create_topic(web::RouteContext& ctx);
http::Response patch_topic(web::RouteContext& ctx);
http::Response delete_topic(web::RouteContext& ctx);
http::Response get_consent_texts(web::RouteContext& ctx);
http::Response post_consent_text(web::RouteContext& ctx);
http::Response citizen_consents(web::RouteContext& ctx);

// Public pages (public_pages.cpp, unsubscribe_pages.cpp)
http::Response subscribe_form(web::RouteContext& ctx);
http::Response subscribe_submit(web::RouteContext& ctx, const ConfirmationMailer& mailer);
http::Response confirm_page(web::RouteContext& ctx);
http::Response confirm_submit(web::RouteContext& ctx);
http::Response confirm_resend(web::RouteContext& ctx, const ConfirmationMailer& mailer);
http::Response unsubscribe_page(web::RouteContext& ctx);
http::Response unsubscribe_submit(web::RouteContext& ctx);
http::Response preferences_submit(web::RouteContext& ctx);

// Admin screens (admin_pages.cpp, proof_page.cpp)
http::Response topics_page(web::RouteContext& ctx);
http::Response topic_new(web::RouteContext& ctx);
http::Response topic_create(web::RouteContext& ctx);
http::Response topic_edit(web::RouteContext& ctx);
http::Response topic_update(web::RouteContext& ctx);
http::Response topic_delete_confirm(web::RouteContext& ctx);
http::Response topic_delete(web::RouteContext& ctx);
http::Response topics_embed(web::RouteContext& ctx);
http::Response consent_proof_page(web::RouteContext& ctx);

} // namespace teilhabe::consent::detail
