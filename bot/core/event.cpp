#include "bot/core/event.hpp"

#include "bot/core/log.hpp"

namespace bot::core {

void log_committed(const EventResult& result) {
    for (const auto& h : result.happened) {
        log::info("conversation").kv("event", h.event).kv("number", h.number).kv("detail", h.detail);
    }
}

}  // namespace bot::core
