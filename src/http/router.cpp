#include "http/router.h"

namespace teilhabe::http {

std::vector<std::string_view> split_path(std::string_view path) {
    std::vector<std::string_view> out;
    while (!path.empty()) {
        if (path.front() == '/') {
            path.remove_prefix(1);
            continue;
        }
        auto slash = path.find('/');
        out.push_back(path.substr(0, slash));
        path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash);
    }
    return out;
}

PathPattern PathPattern::parse(std::string_view pattern) {
    PathPattern p;
    p.source = std::string(pattern);
    for (auto seg : split_path(pattern)) {
        Segment s;
        if (seg.size() > 2 && seg.front() == '{' && seg.back() == '}') {
            s.capture = true;
            s.text = std::string(seg.substr(1, seg.size() - 2));
            if (s.text.ends_with("...")) {
                s.rest = true;
                s.text.resize(s.text.size() - 3);
            }
        } else {
            s.text = std::string(seg);
        }
        p.segments.push_back(std::move(s));
    }
    return p;
}

bool PathPattern::match(std::string_view path,
                        std::unordered_map<std::string, std::string>& params) const {
    return match(split_path(path), params);
}

bool PathPattern::match(const std::vector<std::string_view>& parts,
                        std::unordered_map<std::string, std::string>& params) const {
    // Cheap refusals first: without a rest capture the number of segments must be equal, and
    // a literal first segment must be the same.
    if (segments.empty() || !segments.back().rest) {
        if (parts.size() != segments.size())
            return false;
    }
    if (!segments.empty() && !parts.empty() && !segments.front().capture && !segments.front().rest &&
        segments.front().text != parts.front())
        return false;
    std::size_t i = 0;
    for (const auto& seg : segments) {
        if (seg.rest) {
            if (i >= parts.size())
                return false;
            std::string rest;
            for (std::size_t j = i; j < parts.size(); ++j) {
                if (parts[j] == ".." || parts[j] == ".")
                    return false; // no escaping the folder
                if (!rest.empty())
                    rest.push_back('/');
                rest.append(parts[j]);
            }
            params[seg.text] = std::move(rest);
            return true;
        }
        if (i >= parts.size())
            return false;
        if (seg.capture)
            params[seg.text] = std::string(parts[i]);
        else if (seg.text != parts[i])
            return false;
        ++i;
    }
    return i == parts.size();
}

} // namespace teilhabe::http
