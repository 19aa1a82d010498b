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

    /// One message from `user` in their 1:1 chat with the bot (chat "dm-<user id>", Incoming::direct).
    std::string say_privately(const std::string& user, const std::string& text);

    /// A report's form from the pages (FormPost), as the pages send it: a message of `user` in
    /// `chat` carrying the form; returns the replies joined (the receipt, when it was filed).
    std::string post_form(const std::string& user, FormPost form, const std::string& chat = "demo-group");

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
    /// A weekly progress report filed by `user` with `title` in demo-group; its number ("" when
    /// it was not stored).
    std::string file_weekly(const std::string& user, const std::string& title);
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
    std::optional<FormPost> form_;  ///< the next say() carries this form (post_form)
    bool direct_ = false;           ///< the next say() is a 1:1 message (say_privately)
};

/// A roster with a tree: 孙红 coordinates 东城 (幸福里 and 和平 below it), 周敏 reviews 西城 (the
/// school below it), 钱部长 is an admin; 张三, 李四 and 王五 are officers of 幸福里, 和平 and the
/// school (review, scope and front-door tests).
inline constexpr const char* kTreeRoster = R"({
  "units": [
    { "id": "dongcheng", "name": "东城区委" },
    { "id": "xingfuli", "name": "幸福里社区", "parent": "dongcheng" },
    { "id": "heping", "name": "和平街道", "parent": "dongcheng" },
    { "id": "xicheng", "name": "西城区委" },
    { "id": "school", "name": "城东中学党支部", "parent": "xicheng" } ],
  "people": [
    { "id": "zhangsan", "name": "张三", "unit": "xingfuli", "accounts": [ { "bot": "demo", "user": "u-zhangsan" } ] },
    { "id": "lisi", "name": "李四", "unit": "heping", "accounts": [ { "bot": "demo", "user": "u-lisi" } ] },
    { "id": "wangwu", "name": "王五", "unit": "school", "accounts": [ { "bot": "demo", "user": "u-wangwu" } ] },
    { "id": "sunhong", "name": "孙红", "role": "coordinator", "scope": ["dongcheng"],
      "accounts": [ { "bot": "demo", "user": "u-sunhong" } ] },
    { "id": "zhoumin", "name": "周敏", "role": "reviewer", "scope": ["xicheng"],
      "accounts": [ { "bot": "demo", "user": "u-zhoumin" } ] },
    { "id": "chief", "name": "钱部长", "role": "admin", "accounts": [ { "bot": "demo", "user": "u-chief" } ] } ],
  "chats": [ { "id": "demo-group", "bot": "demo", "units": ["*"], "templates": ["*"] } ] })";

inline TimePoint shanghai(int y, unsigned m, unsigned d, int h, int min) {
    return TimePoint{date::sys_days{date::year{y} / date::month{m} / date::day{d}} +
                     std::chrono::hours(h - 8) + std::chrono::minutes(min)};
}

/// The templates whose boards `n` declares (empty: no board read).
inline std::vector<std::string> boards_needed(const handlers::Needs& n) {
    const auto* b = n.find<handlers::read::Boards>();
    return b != nullptr ? b->templates : std::vector<std::string>{};
}

/// The report number `n` declares (empty: no report read).
inline std::string report_needed(const handlers::Needs& n) {
    const auto* r = n.find<handlers::read::Report>();
    return r != nullptr ? r->number : std::string{};
}

}  // namespace bot::test
