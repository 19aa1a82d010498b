#pragma once

#include "bot/core/event.hpp"
#include "bot/core/store.hpp"
#include "bot/usecases/deps.hpp"
#include "handlers/commands.hpp"
#include "handlers/effects.hpp"
#include "handlers/roster.hpp"
#include "handlers/session.hpp"
#include "templates/calendar.hpp"
#include "templates/loader.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

/// The router: one unit of work per inbound event, in three steps.
///   load   (load.cpp)    what the event needs: dedupe, the session, and what its command's row
///                        declares (a stored report, status boards, the digest);
///   decide (handlers/)   the pure conversation step (handlers::decide): no store, no clock;
///   apply  (apply.cpp)   one small function per effect, inside the same transaction.
/// Everything commits together or not at all; log lines of what happened are written by the
/// caller after the commit (core::log_committed).
namespace bot::router {

/// The sessions last saved, parsed, each with the text it was saved as: a message whose stored
/// session is that text again (the usual case: the store keeps the text in memory) reuses the
/// parsed session instead of parsing the JSON again. Checked by the text itself, so a session
/// changed elsewhere (another process, a rolled-back unit) is parsed anew, never taken stale.
/// Thread-safe; at most `kCapacity` sessions, one dropped for each new one beyond.
class SessionMemo {
public:
    static constexpr std::size_t kCapacity = 4096;
    /// The session saved under `key` as `text`, if it is the one kept.
    std::optional<handlers::Session> find(const store::SessionKey& key, std::string_view text) const;
    void keep(const store::SessionKey& key, std::string text, const handlers::Session& session);
    void forget(const store::SessionKey& key);

private:
    struct Kept {
        std::string text;
        handlers::Session session;
    };
    mutable std::mutex mutex_;
    std::unordered_map<std::string, Kept> kept_;
};

/// What the router needs besides the event; owned by the App and outliving every unit of work.
struct Deps {
    const templates::TemplateSet& templates;
    const handlers::Roster& roster;
    handlers::ConversationSettings settings;
    const templates::WorkCalendar* calendar = nullptr;  ///< moves deadlines off days off
    const usecase::Deps* usecases = nullptr;  ///< the use cases' (催报, 周报, boards); absent: a bare router
    /// Sees each decision before it is applied (the test harness reads the effects through it).
    std::function<void(const handlers::Plan&, const handlers::Effects&)> observe = {};
    /// Shared by copies of these deps (every copy serves the same store).
    std::shared_ptr<SessionMemo> sessions = std::make_shared<SessionMemo>();
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
