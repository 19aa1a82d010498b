#pragma once

#include "bot/core/event.hpp"
#include "bot/scheduler/scheduler.hpp"
#include "handlers/commands.hpp"
#include "handlers/effects.hpp"
#include "handlers/roster.hpp"
#include "templates/calendar.hpp"
#include "templates/loader.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <string_view>

/// The router: one unit of work per inbound event, in three steps.
///   load   (load.cpp)    what the event needs: dedupe, the session, and what its command's row
///                        declares (a stored report, status boards, the digest);
///   decide (handlers/)   the pure conversation step (handlers::decide): no store, no clock;
///   apply  (apply.cpp)   one small function per effect, inside the same transaction.
/// Everything commits together or not at all; log lines of what happened are written by the
/// caller after the commit (core::log_committed).
namespace bot::router {

/// What the router needs besides the event; owned by the App and outliving every unit of work.
struct Deps {
    const templates::TemplateSet& templates;
    const handlers::Roster& roster;
    handlers::ConversationSettings settings;
    const templates::WorkCalendar* calendar = nullptr;  ///< moves deadlines off days off
    const scheduler::Deps* scheduling = nullptr;        ///< 催报 and 周报 (absent: not run)
    /// Sees each decision before it is applied (the test harness reads the effects through it).
    std::function<void(const handlers::Plan&, const handlers::Effects&)> observe = {};
};

/// The context of the pure step for an event of `bot_id` at `now`.
handlers::FlowContext flow_context(const Deps& deps, std::string_view bot_id, TimePoint now);

/// The unit of work for one inbound event, run on the store thread inside the group commit; the
/// replies are in `out` once the commit is reported (only then: a failed unit leaves `out` alone).
store::Work process(const Deps& deps,
                    InboundEvent event,
                    TimePoint now,
                    std::chrono::seconds ttl,
                    core::ReplyRoute route,
                    std::shared_ptr<core::EventResult> out);

/// `process` bound to `deps`, for the server.
core::EventProcessor processor(const Deps& deps);

}  // namespace bot::router
