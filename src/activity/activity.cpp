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

namespace {

// Prefixes of the types that only Teilhabe itself writes.
constexpr std::string_view kSystemPrefixes[] = {
    "citizen.", "consent.", "newsletter.", "email.", "staff.",    "field.",  "segment.",
    "journey.", "points.",  "voucher.",    "wallet.", "portal.", "import.", "gdpr.",
    "stadttaler.", // money: a forged top-up or payment would be a forged receipt
};

} // namespace

Result<void> validate_external(const Activity& a) {
    TRY(validate(a));
    for (auto prefix : kSystemPrefixes)
        if (a.type.starts_with(prefix))
            return fail(Error::invalid(
                "activities of type '" + a.type + "' are recorded by Teilhabe itself and cannot be "
                "posted; use a type of your own, e.g. library.loan or pool.visit",
                "type"));
    if (a.props.size() > 16 * 1024)
        return fail(Error::invalid("props must be at most 16 KiB of JSON", "props"));
    return {};
}

} // namespace teilhabe::activity
