#include "activity/activity.h"

namespace teilhabe::activity {

Result<void> validate_type(std::string_view type) {
    if (type.empty() || type.size() > 64)
        return fail(Error::invalid("type must have 1 to 64 characters", "type"));
    bool dot_ok = false;
    for (char c : type) {
        bool word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
        if (c == '.' && dot_ok) {
            dot_ok = false;
            continue;
        }
        if (!word)
            return fail(Error::invalid(
                "type must be lower-case words separated by dots, e.g. survey.completed", "type"));
        dot_ok = true;
    }
    if (!dot_ok)
        return fail(Error::invalid("type must not end with a dot", "type"));
    return {};
}

Result<void> validate(const Activity& a) {
    TRY(validate_type(a.type));
    if (a.actor.empty())
        return fail(Error::invalid("actor is missing", "actor"));
    if (a.object.size() > 200)
        return fail(Error::invalid("object must have at most 200 characters", "object"));
    if (a.idempotency_key && (a.idempotency_key->empty() || a.idempotency_key->size() > 200))
        return fail(Error::invalid("Idempotency-Key must have 1 to 200 characters",
                                   "idempotency_key"));
    return {};
}

} // namespace teilhabe::activity
