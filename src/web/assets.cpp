// One lookup over both embedded roots (the repo's web/ and the npm assets copied at build).
#include <optional>
#include <string_view>
#include <vector>

std::optional<std::string_view> webassets_src_lookup(std::string_view path);
std::optional<std::string_view> webassets_npm_lookup(std::string_view path);

std::optional<std::string_view> webassets_lookup(std::string_view path) {
    if (auto v = webassets_src_lookup(path))
        return v;
    return webassets_npm_lookup(path);
}
