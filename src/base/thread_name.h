#pragma once
// Names the calling thread as `top -H`, `ps -L` and perf show it ("th-http", "th-clicks", ...):
// an operator who sees one thread busy can tell which part of the server it is. Linux keeps at
// most 15 characters; longer names are cut.

#include <string_view>

namespace teilhabe {

void name_this_thread(std::string_view name);

} // namespace teilhabe
