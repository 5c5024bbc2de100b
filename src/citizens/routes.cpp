// The data hub's route table: who may do what, on one screen (staff/role.h says which role has
// which permission). Department staff are further limited to their own department's fields
// inside the field handlers, which know what a field belongs to.

#include "citizens/routes.h"

#include "citizens/route_support.h"

namespace teilhabe::citizens {

using http::Method;
using staff::Permission;
using web::Surface;
using namespace detail;

std::vector<web::RouteDef> routes() {
    return {
        {Method::Post, "/api/v1/citizens", Permission::WriteCitizens, Surface::Api, create_citizen},
        {Method::Get, "/api/v1/citizens", Permission::ReadCitizens, Surface::Api, list_citizens},
        {Method::Get, "/api/v1/citizens/{id}", Permission::ReadCitizens, Surface::Api, get_citizen},
        {Method::Patch, "/api/v1/citizens/{id}", Permission::WriteCitizens, Surface::Api,
         patch_citizen},
        // Another profile of the same person merged into this one (its history moves along).
        {Method::Post, "/api/v1/citizens/{id}/merge", Permission::WriteCitizens, Surface::Api,
         merge_citizen},
        // Erasure (GDPR Art. 17) is a data-protection request; restriction (Art. 18) and the
        // export (Art. 15/20) are in gdpr/routes.cpp.
        {Method::Delete, "/api/v1/citizens/{id}", Permission::GdprRequests, Surface::Api,
         delete_citizen},

        {Method::Get, "/api/v1/fields", Permission::ReadCitizens, Surface::Api, list_fields},
        {Method::Post, "/api/v1/fields", Permission::ManageFields, Surface::Api, create_field},
        {Method::Get, "/api/v1/fields/{key}", Permission::ReadCitizens, Surface::Api, get_field},
        {Method::Patch, "/api/v1/fields/{key}", Permission::ManageFields, Surface::Api,
         patch_field},
        {Method::Delete, "/api/v1/fields/{key}", Permission::ManageFields, Surface::Api,
         delete_field},
    };
}

} // namespace teilhabe::citizens
