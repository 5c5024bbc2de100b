#include "consent/routes.h"

#include "consent/route_support.h"

namespace teilhabe::consent {

using http::Method;
using staff::Permission;
using web::Csrf;
using web::Surface;
using namespace detail;

// Who may do what with topics and consent, on one screen. Topics are the town's configuration
// like its own fields, so they share ManageFields (admin, editor, department); department staff
// change only their own department's topics (checked in the handlers, TopicScope), as with
// fields. The consent texts are legal texts: administrators and the data-protection officer
// (GdprRequests). Dedicated permissions can replace both when staff/role.h next changes.
// Public pages: POST /subscribe is exempt from the CSRF cookie check because the town's own
// website posts the embedded snippet to it (the signed form stamp and the double opt-in stand
// in); POST /unsubscribe/{token} because RFC 8058 one-click requests carry no cookie (the
// signed token is the authority). Every other form carries the CSRF token.
std::vector<web::RouteDef> routes(ConfirmationMailer mailer) {
    auto submit = [mailer](web::RouteContext& ctx) { return subscribe_submit(ctx, mailer); };
    auto resend = [mailer](web::RouteContext& ctx) { return confirm_resend(ctx, mailer); };
    return {
        {Method::Get, "/api/v1/topics", Permission::AnyStaff, Surface::Api, list_topics},
        {Method::Post, "/api/v1/topics", Permission::ManageFields, Surface::Api, create_topic},
        {Method::Get, "/api/v1/topics/{id}", Permission::AnyStaff, Surface::Api, get_topic},
        {Method::Patch, "/api/v1/topics/{id}", Permission::ManageFields, Surface::Api, patch_topic},
        {Method::Delete, "/api/v1/topics/{id}", Permission::ManageFields, Surface::Api, delete_topic},
        {Method::Get, "/api/v1/consent-texts/{kind}", Permission::AnyStaff, Surface::Api, get_consent_texts},
        {Method::Post, "/api/v1/consent-texts/{kind}", Permission::GdprRequests, Surface::Api, post_consent_text},
        {Method::Get, "/api/v1/citizens/{id}/consents", Permission::ReadCitizens, Surface::Api, citizen_consents},
        // Public: sign-up, double opt-in, unsubscribe and preference centre.
        {Method::Get, "/subscribe", Permission::Public, Surface::Page, subscribe_form},
        {Method::Post, "/subscribe", Permission::Public, Surface::Page, submit, Csrf::Exempt},
        {Method::Get, "/confirm/{token}", Permission::Public, Surface::Page, confirm_page},
        {Method::Post, "/confirm/{token}", Permission::Public, Surface::Page, confirm_submit},
        {Method::Post, "/confirm/{token}/resend", Permission::Public, Surface::Page, resend},
        {Method::Get, "/unsubscribe/{token}", Permission::Public, Surface::Page, unsubscribe_page},
        {Method::Post, "/unsubscribe/{token}", Permission::Public, Surface::Page, unsubscribe_submit, Csrf::Exempt},
        {Method::Post, "/unsubscribe/{token}/preferences", Permission::Public, Surface::Page, preferences_submit},
        // Admin screens (listed before the admin's catch-all /admin/{area}).
        {Method::Get, "/admin/topics", Permission::ManageFields, Surface::Page, topics_page},
        {Method::Get, "/admin/topics/new", Permission::ManageFields, Surface::Page, topic_new},
        {Method::Post, "/admin/topics/new", Permission::ManageFields, Surface::Page, topic_create},
        {Method::Get, "/admin/topics/embed", Permission::ManageFields, Surface::Page, topics_embed},
        {Method::Get, "/admin/topics/{id}/edit", Permission::ManageFields, Surface::Page, topic_edit},
        {Method::Post, "/admin/topics/{id}/edit", Permission::ManageFields, Surface::Page, topic_update},
        {Method::Get, "/admin/topics/{id}/delete", Permission::ManageFields, Surface::Page, topic_delete_confirm},
        {Method::Post, "/admin/topics/{id}/delete", Permission::ManageFields, Surface::Page, topic_delete},
        {Method::Get, "/admin/citizens/{id}/consents", Permission::ReadCitizens, Surface::Page, consent_proof_page},
    };
}

} // namespace teilhabe::consent
