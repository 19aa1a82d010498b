#pragma once

#include "bot/core/clock.hpp"
#include "handlers/roster.hpp"
#include "handlers/session.hpp"
#include "handlers/status.hpp"
#include "templates/calendar.hpp"
#include "templates/loader.hpp"

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/// The report conversation: a pure state machine. `handle` takes one message and the officer's
/// session and returns what to say and what to store. No I/O, no clock (time is `FlowContext::now`),
/// no Asio.
namespace bot::handlers {

struct Incoming {
    std::string chat_id;
    std::string user_id;
    std::string user_name;
    std::string text;
    bool addressed = true;                 ///< the message @-mentions the bot (or is a direct chat)
    std::vector<std::string> attachments;  ///< platform references ("image:…", "file:…")
};

/// A message to the chat the event came from, @-mentioning `mention_*` (the renderer adds the
/// platform's mention syntax).
struct Reply {
    std::string text;
    std::string mention_user_id;
    std::string mention_name;
};

/// A report to store. The replies that go with it contain "{number}" (and "{revision}" for a
/// revision): the router fills them in once the store has assigned them.
struct Submission {
    std::string template_id;
    int template_version = 0;
    std::string period_key;
    std::string unit_id;
    std::string author_id;
    std::string author_name;
    std::string title;
    std::map<std::string, std::string> fields;
    bool on_time = true;
    std::string revises;  ///< number of the report this revises, or empty for a new report
    int year = 0;         ///< the submission's local year, which numbers it (R-<year>-<n>)
};

enum class SessionOp { keep, save, erase };

/// A coordinator's 催报: remind the missing officers of these templates now (units empty: all).
struct RemindRequest {
    std::vector<std::string> templates;
    std::vector<std::string> units;
};

/// 请假 from–to (ISO local dates) or 销假 (`end`).
struct LeaveChange {
    bool end = false;
    std::string from;
    std::string to;
};

struct Effects {
    std::vector<Reply> replies;
    SessionOp op = SessionOp::keep;
    Session session;                       ///< the session to store when op == save
    std::optional<Submission> submission;  ///< a report to store
    std::string open_report;               ///< the officer asked to revise this report number
    /// A coordinator asked for the status board of these templates (the router loads the period's
    /// reports and calls status_replies()).
    std::vector<std::string> status_of;
    std::optional<RemindRequest> remind;  ///< the router runs the round (rate limited per chat)
    bool digest = false;                  ///< a coordinator asked for the digest now
    std::optional<LeaveChange> leave;     ///< the router stores it; the reply is already in `replies`
};

struct FlowContext {
    TimePoint now;
    const templates::TemplateSet& templates;
    const Roster& roster;
    std::string locale = "zh-CN";                       ///< the bot's; a person's own locale wins
    std::chrono::minutes draft_after{30};               ///< idle longer than this: the session is a draft
    std::chrono::hours draft_ttl{24 * 7};               ///< idle longer than this: the draft is gone
    std::vector<std::string> bot_names{"联络员助手"};   ///< @-mentions of the bot to strip
    const templates::WorkCalendar* calendar = nullptr;  ///< holidays and make-up workdays, if known
    std::string time_zone = "Asia/Shanghai";            ///< where "today" is, for leave dates
};

Effects handle(const Incoming& in, const std::optional<Session>& session, const FlowContext& ctx);

/// A stored report, as the router reads it for a revision.
struct StoredReport {
    std::string number;
    std::string template_id;
    int template_version = 0;
    std::string author_id;
    std::string status;  ///< submitted, returned, approved, adopted, withdrawn
    int revision = 1;
    std::map<std::string, std::string> fields;
};

/// The officer asked to revise `report` (found by the router after Effects::open_report): checks
/// that it is theirs and still editable, and opens it at the preview.
Effects open_revision(const Incoming& in,
                      const std::optional<StoredReport>& report,
                      std::string_view number,
                      const FlowContext& ctx);

/// The status boards a coordinator asked for, one message per template, for the period containing
/// `ctx.now`; `boards[i]` is the board of `templates[i]` (status_board() over that period's reports
/// and the people on leave).
Effects status_replies(const Incoming& in,
                       const std::vector<const templates::Template*>& templates,
                       const std::vector<StatusBoard>& boards,
                       const FlowContext& ctx);

/// Removes @-mentions of the bot ("@联络员助手", full-width "＠" too) and surrounding spaces.
std::string strip_mentions(std::string_view text, const std::vector<std::string>& bot_names);

}  // namespace bot::handlers
