#include "bot/core/router.hpp"

namespace bot::core {

store::Work process_event(InboundEvent event,
                          TimePoint now,
                          std::chrono::seconds ttl,
                          Delivery /*delivery*/,
                          std::shared_ptr<EventResult> out) {
    return [event = std::move(event), now, ttl, out = std::move(out)](store::Tx& tx) -> result<void> {
        auto fresh = tx.remember_event(event.dedupe_key, now, now + ttl);
        if (!fresh) {
            return fresh.error();
        }
        out->duplicate = !*fresh;
        return {};
    };
}

}  // namespace bot::core
