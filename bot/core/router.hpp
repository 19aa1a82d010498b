#pragma once

#include "bot/core/adapter.hpp"
#include "bot/core/store.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace bot::core {

/// What processing one event produced; filled in by the unit of work on the store thread and read
/// by the caller only after the commit has been reported.
struct EventResult {
    bool duplicate = false;
    std::vector<OutgoingMessage> replies;  ///< what the event's handling says, in order
    std::size_t queued = 0;                ///< how many of them went into the outbox
};

/// How the replies of an event leave: written to the outbox (delivered by the worker) or handed
/// back in EventResult::replies (the console, and adapters whose webhook answer carries them).
enum class Delivery { outbox, inline_reply };

/// Builds the unit of work for one event (the composition root picks the conversation router).
using EventProcessor = std::function<store::Work(InboundEvent event,
                                                 TimePoint now,
                                                 std::chrono::seconds ttl,
                                                 Delivery delivery,
                                                 std::shared_ptr<EventResult> out)>;

/// An operator API request (/api/v1/…): answered at once (refused, malformed), or by a unit of work
/// that fills `response` inside the transaction; the server sends it once the commit is reported.
struct ApiCall {
    std::optional<HttpResponse> immediate;
    store::Work work;
    std::shared_ptr<HttpResponse> response;
};
using ApiHandler = std::function<ApiCall(const HttpRequest& request, TimePoint now)>;

/// The unit of work that only deduplicates: drop `event` when its key was seen, otherwise remember
/// it for `ttl`. (The conversation router in bot/conversation.cpp does this and then the rest.)
store::Work process_event(InboundEvent event,
                          TimePoint now,
                          std::chrono::seconds ttl,
                          Delivery delivery,
                          std::shared_ptr<EventResult> out);

}  // namespace bot::core
