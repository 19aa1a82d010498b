#pragma once

#include "bot/core/clock.hpp"
#include "bot/core/defaults.hpp"
#include "bot/core/message.hpp"
#include "handlers/roster.hpp"
#include "handlers/status.hpp"
#include "templates/calendar.hpp"
#include "templates/loader.hpp"
#include "templates/periods.hpp"

#include <chrono>
#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

/// What the scheduler sends and when: reminder ladders, escalations and the weekly digest. Pure:
/// time comes in as arguments; the store and the outbox are the caller's (bot/scheduler).
/// docs/scheduling.md explains the rules.
namespace bot::handlers {

/// No reminders between `from` and `to` (local time of each template's zone); equal: none.
struct QuietHours {
    std::chrono::minutes from{21 * 60};
    std::chrono::minutes to{8 * 60};
};

/// `t` itself, or the end of the quiet hours that contain it.
TimePoint after_quiet_hours(TimePoint t, const QuietHours& quiet, std::string_view zone);

/// One rung of one template's ladder for one period.
struct DueStep {
    const templates::Template* tmpl = nullptr;
    templates::Period period;
    std::size_t step = 0;  ///< index into tmpl->reminders
    TimePoint anchor{};    ///< the deadline (or the quota's month end)
    TimePoint nominal{};   ///< when the ladder puts it
    TimePoint at{};        ///< when it goes out: nominal, moved out of quiet hours
};

/// Every ladder step whose send time `at` is in (from, to], ordered by `at`.
std::vector<DueStep> due_steps(const templates::TemplateSet& templates,
                               const templates::WorkCalendar* calendar,
                               const QuietHours& quiet,
                               TimePoint from,
                               TimePoint to);

/// The weekly digest's schedule: an ISO weekday and a local time in a zone.
struct DigestRule {
    int weekday = 1;
    std::chrono::minutes time{9 * 60};
    std::string zone{kDefaultTimeZone};
};

struct DueDigest {
    std::string week;  ///< "2026-W49": the ISO week the digest is posted in
    TimePoint at{};
};

/// Digest times in (from, to], oldest first.
std::vector<DueDigest> due_digests(const DigestRule& rule, TimePoint from, TimePoint to);

/// A chat a bot posts to.
struct ChatTarget {
    std::string bot;
    std::string chat;
};

/// One message the scheduler wants sent, with the unique key that makes it happen once.
struct Send {
    std::string key;
    Message message;  ///< `direct`: a private message to mention_user_id
};

/// Everything a reminder round needs besides the template's period.
struct ReminderContext {
    const Roster& roster;
    std::vector<ChatTarget> coordinator_chats;
    std::string locale{kDefaultLocale};                            ///< default; a bot's or a person's wins
    std::function<std::string(std::string_view bot)> bot_locale;   ///< may be empty
    std::function<bool(std::string_view bot)> can_direct;          ///< bot can message people privately
    std::function<std::string(std::string_view bot)> platform_of;  ///< the bot's platform; may be empty
    /// The account of `person` on `bot` bound in chat (绑定, approved), when the roster has none
    /// there; may be empty.
    std::function<std::string(std::string_view person, std::string_view bot)> bound_account = {};
};

/// The messages of one reminder round. `key_prefix` identifies the round
/// ("remind/<template>/<period>/<step>" for the ladder, "manual/…" for 催报); each message's key
/// is the prefix plus its target. `units` narrows the round to those unit ids (empty: all).
/// Officers: those of units that have not reported, not on leave, not exempt; each privately when
/// `step.private_first` and their chat's bot can, else @-mentioned in the chat where their unit
/// reports; every such chat also gets a neutral count (unit names with `names_in_group`).
/// Coordinators: the status board with a follow-up header, to each coordinator chat.
std::vector<Send> reminder_round(const std::string& key_prefix,
                                 const templates::Template& tmpl,
                                 const templates::Period& period,
                                 TimePoint anchor,
                                 const templates::ReminderStep& step,
                                 const StatusBoard& board,
                                 const std::vector<std::string>& units,
                                 TimePoint now,
                                 const ReminderContext& ctx);

/// A report waiting for review, as the daily line to reviewers needs it.
struct WaitingReport {
    std::string number;
    std::string title;
    std::string unit_id;
    TimePoint since;  ///< submitted, or resubmitted
};

/// The daily "waiting for review" round (审核把关): every coordinator with reports in their scope
/// that have waited since before `cutoff` gets one line — the count and the oldest — privately
/// through the first coordinator chat's bot that can message them, else in that chat with an
/// @-mention. `waiting` is oldest first. Keys: `<key_prefix>/person:<id>`.
std::vector<Send> review_round(const std::string& key_prefix,
                               const std::vector<WaitingReport>& waiting,
                               TimePoint cutoff,
                               TimePoint now,
                               const ReminderContext& ctx);

/// "11月27日(周五)17:00" / "Fri 11/27 17:00", in `zone`.
std::string format_due(std::string_view locale, TimePoint t, std::string_view zone);

/// One template's part of the digest: the period summarized and the one before it.
struct DigestSection {
    const templates::Template* tmpl = nullptr;
    templates::Period period;
    StatusBoard board;
    std::vector<ReportSummary> reports;  ///< the period's reports, oldest first (titles are highlights)
    StatusBoard previous;
    int previous_count = 0;
    /// Event-driven templates: the current month is not over, so `previous_count` counts the same
    /// first `compared_days` days of the previous month (0: the whole previous period).
    int compared_days = 0;
};

/// The period a digest at `now` summarizes: the latest one whose deadline has passed (periodic
/// templates), or the current month (event-driven templates).
templates::Period digest_period(const templates::Template& tmpl,
                                TimePoint now,
                                const templates::WorkCalendar* calendar);

/// A unit's place in 比学赶超: its rank and figures over the window, and its rank over the window
/// before (0: it was not ranked then).
struct RankLine {
    std::string unit_name;
    int rank = 0;
    int previous_rank = 0;
    int points = 0;
    int approved = 0;
    int submitted = 0;
};

/// An adoption the digest announces.
struct AdoptedLine {
    std::string number;
    std::string title;
    std::string unit_name;
    std::string level;
    int points = 0;
    std::string venue;
};

/// 快 · 实 · 新 of the week's reports (docs/quality.md): averages, the share with figures, and the
/// units whose 实 is lowest.
struct DigestQuality {
    int reports = 0;
    int fast = -1;  ///< average; -1 when no report's template checks 快
    int solid = 0;
    int fresh = 0;
    int with_figures = 0;
    std::vector<std::pair<std::string, int>> lowest{};  ///< unit name, its average 实
};

/// What the digest says after the templates: the week's adoptions and the units at the top and
/// the bottom of the rankings.
struct DigestReview {
    std::vector<AdoptedLine> adopted{};
    std::vector<RankLine> top{};
    std::vector<RankLine> bottom{};
    int window_days = 30;
    DigestQuality quality{};
};

/// The digest in `locale`: a title, then one section per template, then the adoptions and the
/// rankings (the outbox splits a long digest between sections, each platform renders it in its
/// dialect). Highlights are approved (or adopted) reports only.
Doc digest_doc(const std::vector<DigestSection>& sections,
               std::string_view week_label,
               std::string_view locale,
               const DigestReview& review = {});

/// plain_text(digest_doc(…)).
std::string render_digest(const std::vector<DigestSection>& sections,
                          std::string_view week_label,
                          std::string_view locale,
                          const DigestReview& review = {});

/// "2026 年第 49 周" for the week containing `t` in `zone`.
std::string week_label(std::string_view locale, TimePoint t, std::string_view zone);

}  // namespace bot::handlers
