#pragma once

#include "bot/core/defaults.hpp"
#include "bot/core/store.hpp"
#include "handlers/effects.hpp"
#include "handlers/roster.hpp"
#include "handlers/schedule.hpp"
#include "templates/calendar.hpp"
#include "templates/loader.hpp"

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

/// The scheduler: `tick(now)` is a unit of work that finds what is due between the last tick and
/// `now` (handlers/schedule, pure) and commits each send's decision and its outbox rows together.
/// A thin timer (bot/app.cpp) or `liaison-bot tick --at` drives it. docs/scheduling.md.
namespace bot::scheduler {

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
    std::set<std::string, std::less<>> push_bots;    ///< bots that can post without being asked
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
};

/// What one tick did.
struct TickReport {
    bool leader = false;  ///< held the lease (otherwise it did nothing)
    int rounds = 0;       ///< ladder steps and digests decided now
    int queued = 0;       ///< messages put in the outbox
    int skipped = 0;      ///< sends recorded as skipped (missed by more than the catch-up window)
    int unroutable = 0;   ///< sends whose bot cannot post unasked (recorded, not queued)
};

/// The unit of work of one tick at `now` by `holder` (a process id): take or renew the lease,
/// decide every send due since the stored cursor, move the cursor.
store::Work tick(const Deps& deps, std::string holder, TimePoint now, std::shared_ptr<TickReport> out);

/// What a board reads of each report: everything it shows, or what its totals need (the digest's
/// previous period: no numbers, authors or titles).
enum class BoardReads { all, totals };

/// The status board of `tmpl` for `period` as stored now (reports and leave at `now`).
result<handlers::StatusBoard> load_board(const Deps& deps,
                                         store::Tx& tx,
                                         const templates::Template& tmpl,
                                         const templates::Period& period,
                                         TimePoint now,
                                         std::vector<handlers::ReportSummary>* reports = nullptr,
                                         BoardReads reads = BoardReads::all);

/// A manual reminder (催报 in chat, POST /api/v1/remind): at most once per `remind_cooldown` per
/// `scope` (a chat, or "api"). Queues the officers' reminders and returns what to answer, in
/// `locale`; `too_soon` is set (seconds to wait) when refused.
struct ManualOutcome {
    std::vector<std::string> replies;
    int people = 0;
    int queued = 0;
    std::optional<std::chrono::seconds> too_soon;
};
result<ManualOutcome> remind_now(const Deps& deps,
                                 store::Tx& tx,
                                 std::string_view scope,
                                 const std::vector<std::string>& template_ids,
                                 const std::vector<std::string>& units,
                                 TimePoint now,
                                 std::string_view locale);

/// The store's per-unit figures as the handlers read them (排名, the digest).
std::vector<handlers::UnitFigures> figures_of(std::vector<store::UnitStats> stats);

/// The digest at `now` in `locale`: every template's period, the week's adoptions and the
/// rankings over the last 30 days against the 30 before. `scope`: only these units (a scoped
/// coordinator's 周报); null: every unit.
result<Doc> digest_doc(const Deps& deps,
                       store::Tx& tx,
                       TimePoint now,
                       std::string_view locale,
                       const std::set<std::string, std::less<>>* scope = nullptr);

/// Queues `doc` (in each chat's bot's locale) to each of `chats` (digest now, via the API).
/// Returns how many rows.
result<int> post_to(const Deps& deps,
                    store::Tx& tx,
                    const std::vector<handlers::ChatTarget>& chats,
                    const std::string& key_prefix,
                    const std::function<Doc(std::string_view locale)>& doc,
                    TimePoint now);

}  // namespace bot::scheduler
