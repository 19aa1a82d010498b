#pragma once

#include "bot/core/clock.hpp"
#include "bot/core/defaults.hpp"
#include "bot/core/message.hpp"
#include "handlers/quality.hpp"
#include "handlers/roster.hpp"
#include "handlers/session.hpp"
#include "handlers/status.hpp"
#include "templates/calendar.hpp"
#include "templates/loader.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

/// The vocabulary the pure conversation and the router share: the commands' identities, the kinds
/// of reads a command declares (read::*), one message, what the router loaded for it, and the changes the
/// router applies. No I/O, no clock (time is `FlowContext::now`), no Asio.
namespace bot::handlers {

/// Every command, by identity: what the code compares (never a command's name or words).
enum class Cmd {
    start,
    back,
    skip,
    edit_item,
    preview,
    submit,
    cancel,
    resume,
    edit_report,
    help,
    mine,
    leave,
    end_leave,
    status,
    remind,
    digest,
    review_queue,
    approve,
    send_back,
    adopt,
    assign,
    exemplars,
    ranking,
    show,
    withdraw,
    approve_binding,
    refuse_binding,
    bind,
    next_page,
    web_link,
};

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
    /// The roster person this account is bound to through chat (绑定, approved), when the roster
    /// itself does not know the account: the router looks it up for such senders only.
    std::string bound_person = {};
    std::optional<FormPost> form = {};  ///< a report's form from the pages (Route::page)
    bool direct = false;                ///< a 1:1 conversation with the bot (not a group)
    /// A form that continues privately: the 1:1 chat the message came from, while `chat_id` is the
    /// group the form belongs to (its templates, its report, its receipt). Empty: `chat_id`.
    std::string from_chat = {};
};

/// Where the report number and revision go in the replies to a submission: the store assigns
/// them, so the router fills them in. Delimited by Unicode noncharacters, which unicode::clean
/// removes from everything typed: a title can never contain a slot.
inline constexpr std::string_view kNumberSlot = "\xEF\xB7\x90number\xEF\xB7\x91";      // U+FDD0 … U+FDD1
inline constexpr std::string_view kRevisionSlot = "\xEF\xB7\x90revision\xEF\xB7\x91";  // U+FDD0 … U+FDD1
/// Where a sign-in link to the pages goes in its private message, filled in by the router once the
/// token exists (网页填报; docs/web.md).
inline constexpr std::string_view kLinkSlot =
    "\xEF\xB7\x90"
    "link"
    "\xEF\xB7\x91";  // U+FDD0 … U+FDD1
/// Where a new binding request's number (B<id>) goes, filled in by the router the same way.
inline constexpr std::string_view kBindingSlot =
    "\xEF\xB7\x90"
    "binding"
    "\xEF\xB7\x91";  // U+FDD0 … U+FDD1

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
    std::string revises;               ///< number of the report this revises, or empty for a new report
    std::string status = "submitted";  ///< approved when the template requires no review
    int year = 0;                      ///< the submission's local year, which numbers it (R-<year>-<n>)
    std::string quality{};             ///< its marks (quality::to_json), stored with it
    quality::Signature signature{};    ///< what later reports are compared with (新)
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
    std::string covering{};  ///< 销假 DATE: end only the leave covering this ISO date
};

/// A review decision (通过 / 退回 / 采用) or the author's withdrawal (撤回), applied by the router:
/// the report moves from `from` to `to` (docs/review.md).
struct ReviewChange {
    std::string number;
    std::string action;  ///< approved, returned, adopted, withdrawn
    std::string from;    ///< the status the decision was made on
    std::string to;
    std::string comment{};  ///< 退回's 意见
    std::string level{};    ///< 采用: the level, its points and where it was used
    int points = 0;
    std::string venue{};
    /// 采用 of a level and carrier the report already has: nothing changes, nothing is counted twice.
    bool repeat = false;
    /// What the author is told, through the outbox (review::telling); absent: nobody, or a reply
    /// in the chat the decision was made in.
    std::optional<Message> notice{};
    /// An adoption's 喜报 for the report's group as well, when the chat wants it (`adoption_news`)
    /// and the author was told privately (docs/conversation.md, "Private notices").
    std::optional<Message> news{};
};

/// 绑定 姓名 (a new request: `person_id`) or a coordinator's decision on request `id`.
struct BindingChange {
    std::int64_t id = 0;    ///< the request decided; 0 for a new request
    std::string person_id;  ///< a new request: the roster person the sender asks to be
    bool approve = false;   ///< a decision: approved (else refused)
};

/// A message to another chat (bot_id and chat_id set), always through the outbox: the answer to a
/// binding request made elsewhere.
struct Notice {
    Message message;
};

/// 网页填报: a one-time link to the pages for the sender, sent privately in `message` (its text holds
/// kLinkSlot, where the router puts the link once the token is stored).
struct SignInRequest {
    Message message;
};

/// 分派: a report's review given to the coordinator `to_id` (the rule: desk::assign_refusal), who is
/// told in `notice` where the bot can message them.
struct Assignment {
    std::string number;
    std::string to_id;
    std::optional<Message> notice{};
};

/// What a message changes in the store: one of these types, each applied by its own overload of
/// bot/router/apply.cpp (in one visit, in the order decided) together with its audit entries. A
/// new kind of effect is a struct here, its place in this list, and its overload there.
using Change = std::variant<LeaveChange,
                            RemindRequest,
                            Submission,
                            BindingChange,
                            ReviewChange,
                            Assignment,
                            Notice,
                            SignInRequest>;

struct Effects {
    /// Messages to the chat the event came from, @-mentioning `mention_*` (the adapter adds the
    /// platform's mention syntax; empty: nobody). Chat and bot are left empty: the router fills in
    /// the event's.
    std::vector<Message> replies;
    SessionOp op = SessionOp::keep;
    Session session;  ///< the session to store when op == save
    /// The changes, applied in this order: a report to store (its replies hold kNumberSlot), a
    /// leave, 催报's round, a binding (replies hold kBindingSlot for a new one), a review decision,
    /// a notice to another chat.
    std::vector<Change> changes{};
    /// 新: this step assessed a draft of `similar_template` whose band keys the router had not read
    /// (a paste that completed the form, 提交 before any preview): the router reads them and decides
    /// again, so every path that ends in a preview or a stored report is compared (docs/quality.md).
    std::vector<std::int64_t> similar_wanted{};
    std::string similar_template{};
    std::string similar_exclude{};

    /// The first change of type T, or nullptr.
    template <class T>
    const T* find() const {
        for (const auto& c : changes) {
            if (const auto* t = std::get_if<T>(&c)) {
                return t;
            }
        }
        return nullptr;
    }
};

/// A binding request as the router reads it for a decision (同意绑定 B3) or the pending list.
struct StoredBinding {
    std::int64_t id = 0;
    std::string bot_id{};
    std::string user_id{};
    std::string user_name{};
    std::string person_id{};
    std::string chat_id{};
    std::string state{};  ///< pending, approved, refused
    /// Read with a request to decide: the account of the same bot already bound to the person
    /// (approved since the request was made), empty when none.
    std::string person_bound_to{};
};

/// A stored report, as the router reads it for a revision, a review or 查看.
struct StoredReport {
    std::string number{};
    std::string template_id{};
    int template_version = 0;
    std::string author_id{};
    std::string status{};  ///< submitted, returned, approved, adopted, withdrawn
    int revision = 1;
    std::map<std::string, std::string> fields{};
    std::string unit_id{};
    std::string author_name{};
    std::string title{};
    std::string bot_id{};  ///< where it was filed (where its author is told of decisions)
    std::string chat_id{};
    TimePoint submitted_at{};
    TimePoint updated_at{};
    std::string quality{};   ///< 快 · 实 · 新 marks (quality::to_json); '' when not assessed
    std::string assignee{};  ///< the coordinator its review was given to (分派); '' when none
};

/// 排名: a time range in the bot's zone and, optionally, one template.
struct RankingWindow {
    TimePoint from{};
    TimePoint to{};
    std::string span{};  ///< month, quarter or year
    int year = 0;
    int number = 0;             ///< the month (1–12) or quarter (1–4); 0 for a year
    std::string template_id{};  ///< empty: every template
    std::string unknown{};      ///< a word that named no template: 排名 says so, nothing is read
    std::string zone{};         ///< the zone whose calendar drew it
};

/// A unit's figures for 排名 (as store::UnitStats).
struct UnitFigures {
    std::string unit_id{};
    int submitted = 0;
    int on_time = 0;
    int approved = 0;
    int adopted = 0;
    int points = 0;
    std::map<std::string, int, std::less<>> adopted_by_level{};
};

/// A line of a report's history (查看): an audit entry.
struct HistoryLine {
    TimePoint at{};
    std::string actor{};  ///< person id
    std::string action{};
    std::string after{};
};

/// An adoption of a report (查看).
struct AdoptionLine {
    std::string level{};
    int points = 0;
    std::string venue{};
};

/// The kinds of read a command may declare before it is decided, each a type: a command's row
/// declares its reads (CommandSpec::reads), the router reads each by its overload in
/// bot/router/load.cpp, and the results land in `Reads`. A new kind of read is a struct here, its
/// place in `Read`, its field in `Reads`, and its overload there.
namespace read {
/// The report with this number (修改 R-…, 通过 R-…); with its adoptions and audit history (查看).
struct Report {
    std::string number;
    bool history = false;
};
/// The current period's boards of these templates, in the sender's scope (进度).
struct Boards {
    std::vector<std::string> templates;
};
/// The digest as of now, in the sender's scope (周报).
struct Digest {};
/// How many of the sender's stored leaves end today or later (销假).
struct OpenLeave {};
/// The reports waiting for review in the sender's scope (审核).
struct Waiting {};
/// Per-unit figures of this window among the units the sender is compared with (排名).
struct Ranking {
    RankingWindow window;
};
/// The binding request with this id (同意绑定 B3); 0: the pending requests (同意绑定 alone).
struct Binding {
    std::int64_t id = 0;
};
/// 新: earlier reports sharing one of these LSH band keys (a draft about to be previewed or
/// submitted), other than `exclude` (the report being revised).
struct Similar {
    std::vector<std::int64_t> keys;
    std::string exclude{};
};
/// 范文: adopted (else approved) reports of this template in the sender's comparison scope.
struct Exemplars {
    std::string template_id;
    std::string unknown{};  ///< 范文 WORD where WORD named no template: said so, nothing is read
};
/// 我的: the sender's reports submitted since this moment (the month's start) or still open.
struct Mine {
    TimePoint since{};
};
}  // namespace read

using Read = std::variant<read::Report,
                          read::Boards,
                          read::Digest,
                          read::OpenLeave,
                          read::Waiting,
                          read::Ranking,
                          read::Binding,
                          read::Similar,
                          read::Exemplars,
                          read::Mine>;

/// What a message needs read from the store before it can be decided: its command row's reads
/// (and the form's, for 新). The router reads exactly these, in this order.
struct Needs {
    std::vector<Read> list{};

    /// The read of type T, or nullptr.
    template <class T>
    const T* find() const {
        for (const auto& r : list) {
            if (const auto* t = std::get_if<T>(&r)) {
                return t;
            }
        }
        return nullptr;
    }
    /// Adds `r`, replacing a read of the same type.
    template <class T>
    void set(T r) {
        for (auto& have : list) {
            if (std::holds_alternative<T>(have)) {
                have = std::move(r);
                return;
            }
        }
        list.emplace_back(std::move(r));
    }
    bool any() const { return !list.empty(); }
};

/// What the router read for `Needs`, in the same order.
struct Reads {
    std::optional<StoredReport> report;           ///< absent when read::Report names no stored report
    std::vector<StatusBoard> boards;              ///< boards[i] is the board of read::Boards[i]
    std::optional<Doc> digest;                    ///< read::Digest; absent where no scheduler composes it
    std::uint64_t open_leaves = 0;                ///< the sender's stored leaves ending today or later
    std::vector<HistoryLine> history{};           ///< read::Report with history
    std::vector<AdoptionLine> adoptions{};        ///< read::Report with history
    std::vector<StoredReport> waiting{};          ///< read::Waiting, oldest first (at most kWaitingListed)
    std::vector<UnitFigures> ranking{};           ///< read::Ranking: every unit compared, best first
    std::optional<StoredBinding> binding;         ///< absent when read::Binding names none
    std::vector<StoredBinding> pending_bindings;  ///< oldest first (at most kPendingBindingsListed)
    std::vector<quality::Candidate> similar{};    ///< read::Similar: most shared bands first
    std::vector<std::int64_t> similar_keys{};     ///< the band keys `similar` was read for, sorted
    std::vector<StoredReport> exemplars{};        ///< read::Exemplars: adopted first, newest first
    /// read::Ranking: per unit, the marks of the window's assessed reports (快 · 实 · 新).
    std::map<std::string, quality::UnitMarks> ranking_quality{};
    std::string exemplars_of{};        ///< read::Exemplars' template as asked
    std::vector<StoredReport> mine{};  ///< read::Mine, newest first (at most kMineListed)
};

/// How many of their reports 我的 lists.
inline constexpr std::size_t kMineListed = 20;

/// How many 范文 are listed.
inline constexpr std::size_t kExemplarsListed = 3;

/// How many reports 审核 lists.
inline constexpr std::size_t kWaitingListed = 30;

/// How many pending binding requests 同意绑定 lists.
inline constexpr std::size_t kPendingBindingsListed = 20;

/// The conversation's settings, from the configuration (`conversation` section): one struct, held
/// by the router and read by the handlers through FlowContext.
struct ConversationSettings {
    std::string locale{kDefaultLocale};                           ///< the bot's; a person's own locale wins
    std::map<std::string, std::string, std::less<>> bot_locales;  ///< bot id → locale, where it differs
    std::chrono::minutes draft_after{30};                         ///< idle longer than this: a draft
    std::chrono::hours draft_ttl{24 * 7};                         ///< idle longer than this: gone
    std::vector<std::string> bot_names{std::string(kDefaultBotName)};  ///< @-mentions to strip
    std::string time_zone{kDefaultTimeZone};                           ///< where "today" is, for leave
    /// Whether people not on the roster may ask to be bound to a roster officer (绑定 姓名),
    /// pending a coordinator's 同意绑定 (conversation.allow_binding).
    bool allow_binding = false;
    /// 采用's levels, in order, with their points (review.adoption_levels).
    std::vector<std::pair<std::string, int>> adoption_levels{
        {"区级", 1}, {"市级", 3}, {"省级", 5}, {"中央级", 10}};
    std::map<std::string, std::string, std::less<>> bot_platforms{};  ///< bot id → platform (mentions)
    /// Bots that can message a person privately: a decision's notice to the author goes there
    /// privately rather than into the group.
    std::set<std::string, std::less<>> direct_bots{};
    /// Bots with a link that opens a person's private chat and says a word there (bot id → the
    /// link without its payload; Telegram's t.me/<bot>?start=): in the line a group sees when a form
    /// continues privately, for people who have not written to the bot yet.
    std::map<std::string, std::string, std::less<>> deep_links{};
    /// Bots that can post unasked (through the outbox): a notice to a chat other than the one a
    /// message came from reaches somebody only through one of these.
    std::set<std::string, std::less<>> push_bots{};
    /// Bots whose replies to one message must fit one push (bot id → bytes a page): longer ones
    /// are paged, 继续 for the next (the WeCom AI bot; bot/router/pages.hpp).
    std::map<std::string, std::size_t, std::less<>> page_bytes{};
    /// The pages' address (web.public_url; docs/web.md); empty: no pages, 网页填报 says so.
    std::string web_url{};
    std::chrono::minutes web_link_ttl{10};  ///< how long a sign-in link works (web.link_ttl_min)
    /// 快 · 实 · 新: the empty phrases and the similarity from which an earlier report is shown
    /// (quality.*; docs/quality.md).
    quality::Settings quality{};
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
