#pragma once
// Path matching for route tables. Patterns are literal segments and {name} captures, with an
// optional trailing {name...} that captures the rest (static files). Each route carries a Meta
// (the web layer's handler and permission), so the table reads as one list per area.

#include "http/message.h"

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace teilhabe::http {

struct PathPattern {
    struct Segment {
        std::string text;
        bool capture{false};
        bool rest{false};
    };
    std::string source;
    std::vector<Segment> segments;

    static PathPattern parse(std::string_view pattern);
    bool match(std::string_view path, std::unordered_map<std::string, std::string>& params) const;
};

template <class Meta> class Router {
public:
    struct Route {
        Method method;
        PathPattern pattern;
        Meta meta;
    };
    struct Match {
        const Route* route{nullptr};
        std::unordered_map<std::string, std::string> params;
        bool path_known{false}; // some route has this path, but not with this method (405)
        std::vector<Method> allowed;
    };

    void add(Method method, std::string_view pattern, Meta meta) {
        m_routes.push_back(Route{method, PathPattern::parse(pattern), std::move(meta)});
    }

    Match match(Method method, std::string_view path) const {
        Match out;
        // HEAD is answered by the GET route (the server drops the body).
        Method want = method == Method::Head ? Method::Get : method;
        for (const auto& r : m_routes) {
            std::unordered_map<std::string, std::string> params;
            if (!r.pattern.match(path, params))
                continue;
            if (r.method == want) {
                out.route = &r;
                out.params = std::move(params);
                return out;
            }
            out.path_known = true;
            out.allowed.push_back(r.method);
        }
        return out;
    }

    const std::vector<Route>& routes() const { return m_routes; }

private:
    std::vector<Route> m_routes;
};

} // namespace teilhabe::http
