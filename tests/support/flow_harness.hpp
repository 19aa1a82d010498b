#pragma once

#include "bot/api/api.hpp"
#include "bot/core/event.hpp"
#include "bot/router/router.hpp"
#include "bot/store/sqlite/store.hpp"
#include "handlers/commands.hpp"

#include <date/date.h>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace bot::test {

/// Drives the conversation as the server does: each message is one unit of work of the real router
/// (load → decide → apply) over an in-memory SQLite store, so reports, revisions, boards and leave
/// are real. Shipped templates, the demo roster and calendar (the demo bot can post unasked); the clock is
/// `now`, moved by the test.
class FlowHarness {
public:
    FlowHarness();
    ~FlowHarness();
    FlowHarness(const FlowHarness&) = delete;
    FlowHarness& operator=(const FlowHarness&) = delete;

    /// One message from `user` in `chat` — a roster person id (sent from their account on the demo
    /// bot, or as that id when they have none there), or a stranger's user id; returns all reply
    /// texts joined, as committed (report numbers filled in).
    std::string say(const std::string& user,
                    const std::string& text,
                    const std::string& chat = "demo-group",
                    bool addressed = true,
                    std::vector<std::string> attachments = {});

    handlers::Effects last;       ///< the effects of the latest message, as decided (before apply)
    handlers::Needs needed;       ///< what the latest message declared it needs read
    core::EventResult committed;  ///< the latest message's result, as committed
    std::vector<handlers::Submission> submitted;  ///< every submission and revision decided
    TimePoint now;
    templates::TemplateSet templates;
    handlers::Roster roster;
    templates::WorkCalendar calendar;
    std::string locale = "zh-CN";

    /// The stored session of `user` (as in say) in `chat` (valid until the next call), or nullptr.
    const handlers::Session* session(const std::string& user, const std::string& chat = "demo-group");
    /// The user id `user` (a person id or a stranger's id) sends as: the person's demo account.
    std::string user_id_of(const std::string& user) const;
    /// The conversation settings the router runs with (allow_binding, …).
    handlers::ConversationSettings& settings() { return deps_.settings; }
    /// Takes every message queued in the outbox so far (notices to other chats), oldest first.
    std::vector<store::OutboxMessage> take_outbox();
    /// Runs `work` as one unit of work and waits for its commit.
    result<void> in_tx(store::Work work);
    /// One request to /api/v1 (docs/api.md) over the same store and use cases, as the server runs
    /// it: `path` with its query, `body` JSON; bearer token "t-admin" (admin scope) or, with
    /// `person`, a token acting as that roster coordinator (within their scope).
    HttpResponse api(const std::string& method,
                     const std::string& path,
                     const std::string& body = "",
                     const std::string& person = "");

private:
    usecase::Deps usecases_;
    router::Deps deps_;
    std::unique_ptr<store::SqliteStore> store_;
    std::optional<handlers::Session> session_;
    int seq_ = 0;
};

inline TimePoint shanghai(int y, unsigned m, unsigned d, int h, int min) {
    return TimePoint{date::sys_days{date::year{y} / date::month{m} / date::day{d}} +
                     std::chrono::hours(h - 8) + std::chrono::minutes(min)};
}

}  // namespace bot::test
