#pragma once

#include "bot/core/clock.hpp"
#include "bot/core/defaults.hpp"
#include "bot/core/message.hpp"
#include "handlers/roster.hpp"
#include "handlers/session.hpp"
#include "handlers/status.hpp"
#include "templates/calendar.hpp"
#include "templates/loader.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

/// What the pure conversation takes in and gives back: one message, what the router loaded for it,
/// and the effects the router applies. No I/O, no clock (time is `FlowContext::now`), no Asio.
namespace bot::handlers {

struct Incoming {
    std::string chat_id;
    std::string user_id;
    std::string user_name;
    std::string text;
    bool addressed = true;                 ///< the message @-mentions the bot (or is a direct chat)
    std::vector<std::string> attachments;  ///< platform references ("image:…", "file:…")
    bool too_long = false;                 ///< over kMaxTextBytes: `text` was dropped
    std::string bot_id = {};               ///< the bot it came through
    std::string platform = {};             ///< the bot's platform ("console" for the console)
};

/// Where the report number and revision go in the replies to a submission: the store assigns
/// them, so the router fills them in. Delimited by Unicode noncharacters, which unicode::clean
/// removes from everything typed: a title can never contain a slot.
inline constexpr std::string_view kNumberSlot = "\xEF\xB7\x90number\xEF\xB7\x91";      // U+FDD0 … U+FDD1
inline constexpr std::string_view kRevisionSlot = "\xEF\xB7\x90revision\xEF\xB7\x91";  // U+FDD0 … U+FDD1

/// A report to store. The replies that go with it contain kNumberSlot (and kRevisionSlot for a
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
    /// Messages to the chat the event came from, @-mentioning `mention_*` (the adapter adds the
    /// platform's mention syntax; empty: nobody). Chat and bot are left empty: the router fills in
    /// the event's.
    std::vector<Message> replies;
    SessionOp op = SessionOp::keep;
    Session session;                       ///< the session to store when op == save
    std::optional<Submission> submission;  ///< a report to store (or a revision)
    std::optional<RemindRequest> remind;   ///< the router runs the round (rate limited per chat)
    std::optional<LeaveChange> leave;      ///< stored by the router; the reply is already in `replies`
};

/// A stored report, as the router reads it for a revision.
struct StoredReport {
    std::string number{};
    std::string template_id{};
    int template_version = 0;
    std::string author_id{};
    std::string status{};  ///< submitted, returned, approved, adopted, withdrawn
    int revision = 1;
    std::map<std::string, std::string> fields{};
};

/// What a message needs read from the store before it can be decided, declared by its command's
/// row in the command table (handlers/commands.hpp). The router reads exactly this.
struct Needs {
    std::string report;               ///< the report with this number (修改 R-…)
    std::vector<std::string> boards;  ///< the current period's board of these templates (进度)
    bool digest = false;              ///< the digest text as of now (周报)
    bool open_leave = false;          ///< how many of the sender's stored leaves end today or later (销假)
    bool any() const { return !report.empty() || !boards.empty() || digest || open_leave; }
};

/// What the router read for `Needs`, in the same order.
struct Reads {
    std::optional<StoredReport> report;  ///< absent when Needs::report names no stored report
    std::vector<StatusBoard> boards;     ///< boards[i] is the board of Needs::boards[i]
    std::string digest;
    std::uint64_t open_leaves = 0;  ///< the sender's stored leaves ending today or later
};

/// The conversation's settings, from the configuration (`conversation` section): one struct, held
/// by the router and read by the handlers through FlowContext.
struct ConversationSettings {
    std::string locale{kDefaultLocale};                           ///< the bot's; a person's own locale wins
    std::map<std::string, std::string, std::less<>> bot_locales;  ///< bot id → locale, where it differs
    std::chrono::minutes draft_after{30};                         ///< idle longer than this: a draft
    std::chrono::hours draft_ttl{24 * 7};                         ///< idle longer than this: gone
    std::vector<std::string> bot_names{std::string(kDefaultBotName)};  ///< @-mentions to strip
    std::string time_zone{kDefaultTimeZone};                           ///< where "today" is, for leave
};

/// The settings when none are configured (tests, tools).
const ConversationSettings& default_settings();

/// The locale to answer `person` in: their own, else the bot's (`bot_locale`), else the default.
std::string locale_for(const Person* person, std::string_view bot_locale);

/// Everything the pure step reads besides the message and the session. Cheap to build per
/// message: it refers to the settings, it does not copy them.
struct FlowContext {
    TimePoint now;
    const templates::TemplateSet& templates;
    const Roster& roster;
    std::string locale{kDefaultLocale};                 ///< the bot's; a person's own locale wins
    const templates::WorkCalendar* calendar = nullptr;  ///< holidays and make-up workdays, if known
    const ConversationSettings& settings = default_settings();
};

}  // namespace bot::handlers
