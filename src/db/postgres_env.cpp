#include "db/postgres_env.h"

#include <libpq-fe.h>
#include <map>
#include <memory>

namespace teilhabe::db {

Result<std::vector<std::pair<std::string, std::string>>> postgres_environment(const std::string& url) {
    using Options = std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)>;
    char* error = nullptr;
    Options parsed(PQconninfoParse(url.c_str(), &error), &PQconninfoFree);
    if (!parsed) {
        std::string why = error ? error : "out of memory";
        PQfreemem(error);
        // libpq's message names the bad part, never the password.
        return fail(Error::invalid("the PostgreSQL URL cannot be read: " + why));
    }
    Options defaults(PQconndefaults(), &PQconninfoFree);
    if (!defaults)
        return fail(Error::internal("libpq gave no connection defaults"));
    std::map<std::string, std::string> env_of;
    for (auto* o = defaults.get(); o->keyword; ++o)
        if (o->envvar)
            env_of[o->keyword] = o->envvar;
    std::vector<std::pair<std::string, std::string>> out;
    for (auto* o = parsed.get(); o->keyword; ++o) {
        if (!o->val)
            continue;
        auto it = env_of.find(o->keyword);
        if (it == env_of.end())
            return fail(Error::invalid(std::string("the PostgreSQL URL sets '") + o->keyword +
                                       "', which cannot be passed on to pg_dump"));
        out.emplace_back(it->second, o->val);
    }
    return out;
}

} // namespace teilhabe::db
