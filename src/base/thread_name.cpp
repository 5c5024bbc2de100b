#include "base/thread_name.h"

#include <pthread.h>

#include <string>

namespace teilhabe {

void name_this_thread(std::string_view name) {
    std::string cut(name.substr(0, 15));
    pthread_setname_np(pthread_self(), cut.c_str()); // only a label: a failure changes nothing
}

} // namespace teilhabe
