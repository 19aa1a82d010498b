#pragma once

#include <chrono>
#include <memory>

#include "bot/core/adapter.hpp"
#include "bot/core/store.hpp"

namespace bot::core {

/// What processing one event produced; filled in by the unit of work on the store thread and read
/// by the caller only after the commit has been reported.
struct EventResult {
    bool duplicate = false;
};

/// Builds the unit of work that processes `event` inside the store's transaction: drop it when its
/// dedupe key was seen, otherwise remember the key (for `ttl`) together with the event's effects.
/// Later issues add the session, report and outbox writes here; all of them commit together.
store::Work process_event(InboundEvent event, TimePoint now, std::chrono::seconds ttl,
                          std::shared_ptr<EventResult> out);

}  // namespace bot::core
