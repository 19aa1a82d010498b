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

/// Something an event did that is worth a log line, logged only once its unit has committed.
struct Happened {
    std::string event;   ///< report_submitted, report_revised, …
    std::string number;  ///< the report's number
    std::string detail;  ///< template id, or revision
};

/// What processing one event produced; filled in by the unit of work on the store thread and read
/// by the caller only after the commit has been reported.
struct EventResult {
    bool duplicate = false;
    std::vector<Message> replies;    ///< what the event's handling says, in order
    std::size_t queued = 0;          ///< how many of them went into the outbox
    std::vector<Happened> happened;  ///< for log_committed()
};

/// Writes the log lines of `result.happened`. Call after the commit was reported, never inside
/// the unit of work (a rolled-back unit did not happen).
void log_committed(const EventResult& result);

/// How the replies of an event leave: written to the outbox (delivered by the worker) or handed
/// back in EventResult::replies (the console, and adapters whose webhook answer carries them).
enum class ReplyRoute { outbox, inline_reply };

/// Builds the unit of work for one event (the composition root picks the conversation router).
using EventProcessor = std::function<store::Work(InboundEvent event,
                                                 TimePoint now,
                                                 std::chrono::seconds ttl,
                                                 ReplyRoute route,
                                                 std::shared_ptr<EventResult> out)>;

/// What another service answered to a `fetch` (status and body).
struct Fetched {
    unsigned status = 0;
    std::string body;
};

/// An operator API request (/api/v1/…) or a page: answered at once (refused, malformed), or by a
/// unit of work that fills `response` inside the transaction; the server sends it once the commit
/// is reported. A page that must first ask another service (a platform's sign-in exchange) gives
/// `fetch`: the server performs that request and calls `then` with its answer, which is the next
/// step — the handler stays a pure translator and the server does the I/O.
struct ApiCall {
    std::optional<HttpResponse> immediate;
    store::Work work;
    std::shared_ptr<HttpResponse> response;
    std::optional<OutboundRequest> fetch{};
    std::function<ApiCall(result<Fetched>)> then{};
};
using ApiHandler = std::function<ApiCall(const HttpRequest& request, TimePoint now)>;

}  // namespace bot::core
