#pragma once

#include "bot/core/clock.hpp"
#include "bot/core/defaults.hpp"
#include "bot/core/store.hpp"
#include "handlers/roster.hpp"
#include "handlers/schedule.hpp"
#include "templates/calendar.hpp"
#include "templates/loader.hpp"

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

/// The use cases: each one function over a unit of work (`store::Tx`) and whoever acts, called by
/// every front door that offers it — chat (bot/router), the HTTP API (bot/api), the scheduler
/// (bot/scheduler) and, later, the web pages. The front doors translate (text or JSON ↔ the use
/// case's arguments and outcome); the use cases decide, through the pure rules of handlers/, and
/// write. docs/architecture.md, "Use cases".
namespace bot::usecase {

/// What the use cases share, from the configuration: owned by the runtime, outliving every unit.
struct Deps {
    Deps(const templates::TemplateSet& t,
         const handlers::Roster& r,
         const templates::WorkCalendar* c = nullptr)
        : templates(t), roster(r), calendar(c) {}

    const templates::TemplateSet& templates;
    const handlers::Roster& roster;
    const templates::WorkCalendar* calendar = nullptr;
    handlers::QuietHours quiet;
    std::chrono::minutes catch_up{180};
    std::chrono::seconds lease{90};
    std::chrono::minutes remind_cooldown{5};
    std::chrono::hours lookback{24 * 35};  ///< a cursor older than this is treated as this old
    std::vector<handlers::ChatTarget> coordinator_chats;
    std::optional<handlers::DigestRule> digest;  ///< absent: no scheduled digest
    std::vector<handlers::ChatTarget> digest_chats;
    std::string locale{kDefaultLocale};
    std::map<std::string, std::string, std::less<>> bot_locales;
    std::set<std::string, std::less<>> direct_bots;  ///< bots that can message a person privately
    /// Bots with a link opening a person's private chat (Adapter::deep_link("")), bot id → link.
    std::map<std::string, std::string, std::less<>> deep_links;
    std::set<std::string, std::less<>> push_bots;  ///< bots that can post without being asked
    std::map<std::string, std::string, std::less<>> bot_platforms;  ///< bot id → platform (mentions)
    bool bound_accounts = true;  ///< accounts bound in chat count (conversation.allow_binding)
    /// The daily "waiting for review" line to reviewers (review.waiting_after_h, waiting_time):
    /// absent when switched off.
    struct ReviewWaiting {
        std::chrono::hours after{24};
        std::chrono::minutes time{9 * 60};
        std::string zone{kDefaultTimeZone};
    };
    std::optional<ReviewWaiting> review_waiting;
    /// The calendar file's name, for the notice that its data is about to end.
    std::string calendar_file{};
    /// The pages (web.*; docs/web.md): how long a sign-in link lasts, and how long a signed-in
    /// browser may stay idle before it must sign in again.
    struct Web {
        std::chrono::minutes link_ttl{10};
        std::chrono::minutes idle{8 * 60};
        std::size_t upload_bytes = 8192 * 1024;  ///< the largest photo taken
        std::uint64_t uploads_per_day = 100;     ///< photos one person may upload in 24 hours
    };
    Web web{};

    /// The locale of `bot`'s chats: its own, else the service's.
    std::string bot_locale(std::string_view bot) const;
};

/// Who acts, and how the audit log records them: a roster person (a coordinator through chat or a
/// person-bound token), an account, a token, or the scheduler.
struct Actor {
    const handlers::Person* person = nullptr;  ///< nullptr: an admin token, the scheduler, a stranger
    std::string id;                            ///< the person's id, else the account or token
    std::string account;                       ///< "<bot>:<user id>", "api:<token>", "scheduler"
    std::string role;                          ///< officer, coordinator, admin, reviewer, stranger, system
    std::string request_id;                    ///< the event's dedupe key or the API request's id

    /// An audit entry of this actor at `at`.
    store::AuditEntry entry(
        TimePoint at, std::string action, std::string target, std::string before, std::string after) const;
};

/// One use case's list of audit entries, appended in the unit of work.
result<void> append(store::Tx& tx, const std::vector<store::AuditEntry>& entries);

}  // namespace bot::usecase
