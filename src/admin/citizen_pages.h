#pragma once
// Handlers of the citizen data hub's admin screens (see routes.cpp for who may call them).

#include "web/route.h"

namespace teilhabe::admin {

http::Response citizens_list(web::RouteContext& ctx);
http::Response citizens_export(web::RouteContext& ctx);
http::Response citizen_new(web::RouteContext& ctx);
http::Response citizen_create(web::RouteContext& ctx);
http::Response citizen_profile(web::RouteContext& ctx);
http::Response citizen_edit(web::RouteContext& ctx);
http::Response citizen_update(web::RouteContext& ctx);
http::Response citizen_restriction(web::RouteContext& ctx);
http::Response citizen_export(web::RouteContext& ctx);
http::Response citizen_delete_confirm(web::RouteContext& ctx);
http::Response citizen_delete(web::RouteContext& ctx);
// Merging a duplicate profile into this one (citizen_merge_pages.cpp).
http::Response citizen_merge_form(web::RouteContext& ctx);
http::Response citizen_merge_confirm(web::RouteContext& ctx);
http::Response citizen_merge(web::RouteContext& ctx);

http::Response fields_list(web::RouteContext& ctx);
http::Response field_new(web::RouteContext& ctx);
http::Response field_create(web::RouteContext& ctx);
http::Response field_edit(web::RouteContext& ctx);
http::Response field_update(web::RouteContext& ctx);
http::Response field_delete_confirm(web::RouteContext& ctx);
http::Response field_delete(web::RouteContext& ctx);

http::Response import_form(web::RouteContext& ctx);
http::Response import_submit(web::RouteContext& ctx);
http::Response import_run_page(web::RouteContext& ctx);
http::Response import_run_progress(web::RouteContext& ctx);

} // namespace teilhabe::admin
