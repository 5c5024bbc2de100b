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
    // The same for a path already split at '/' (split_path): the router splits once per request,
    // not once per route it tries.
    bool match(const std::vector<std::string_view>& parts,
               std::unordered_map<std::string, std::string>& params) const;
};

// "/a//b/" -> {"a", "b"}; the views point into `path`.
std::vector<std::string_view> split_path(std::string_view path);

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
        index(m_routes.size() - 1);
    }

    Match match(Method method, std::string_view path) const {
        Match out;
        // HEAD is answered by the GET route (the server drops the body).
        Method want = method == Method::Head ? Method::Get : method;
        auto parts = split_path(path);
        std::unordered_map<std::string, std::string> params;
        for (auto i : candidates(parts)) {
            const auto& r = m_routes[i];
            params.clear();
            if (!r.pattern.match(parts, params))
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
    // Routes are tried in the order they were added. To try only those that can match, each
    // literal first segment ("api", "r", "portal") has the list of routes starting with it or
    // with a capture, in that order; a path with another first segment tries the captures only.
    // (A table of several hundred routes was walked whole for every request.)
    void index(std::size_t i) {
        m_all.push_back(i);
        const auto& segments = m_routes[i].pattern.segments;
        if (segments.empty())
            return; // "/": only a path without segments, which tries every route
        const auto& first = segments.front();
        if (first.capture || first.rest) {
            m_by_capture.push_back(i);
            for (auto& [key, list] : m_by_first)
                list.push_back(i);
            return;
        }
        auto [it, fresh] = m_by_first.try_emplace(first.text);
        if (fresh)
            it->second = m_by_capture;
        it->second.push_back(i);
    }

    const std::vector<std::size_t>& candidates(const std::vector<std::string_view>& parts) const {
        if (parts.empty())
            return m_all;
        auto it = m_by_first.find(std::string(parts.front()));
        return it == m_by_first.end() ? m_by_capture : it->second;
    }

    std::vector<Route> m_routes;
    std::unordered_map<std::string, std::vector<std::size_t>> m_by_first;
    std::vector<std::size_t> m_by_capture;
    std::vector<std::size_t> m_all;
};

} // namespace teilhabe::http
