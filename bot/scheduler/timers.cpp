#include "bot/scheduler/timers.hpp"

#include <random>
#include <unistd.h>

namespace bot::scheduler {

std::string process_holder() {
    char host[256] = {};
    (void)::gethostname(host, sizeof host - 1);
    std::random_device rd;
    return std::string(host) + "/" + std::to_string(::getpid()) + "/" + std::to_string(rd());
}

}  // namespace bot::scheduler
