#pragma once

// Internal to handlers/: what the command table (commands.cpp) and the form (report_flow.cpp)
// share. Not included outside handlers/.

#include "handlers/catalog.hpp"
#include "handlers/commands.hpp"
#include "handlers/effects.hpp"
#include "templates/validate.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bot::handlers {

/// Everything one call needs, so the helpers stay small.
struct Flow {
    const Incoming& in;
    const FlowContext& ctx;
    const Person* person;
    const std::string& locale;
    const Needs& needs;  ///< what the plan declared it reads (the kinds `reads` holds)
    const Reads& reads;
    Effects fx;
    /// An officer's own units as field_ctx hands them to validators (owned here, per message).
    mutable std::vector<templates::UnitRef> unit_storage{};

    std::string m(std::string_view key, const Args& args = {}) const { return msg(locale, key, args); }
    /// Every reply @-mentions the officer, by their roster name when the platform gave only an id.
    void say(std::string text) {
        fx.replies.push_back({.mention_user_id = in.user_id,
                              .mention_name = person != nullptr ? person->name : in.user_name,
                              .text = std::move(text)});
    }
    /// A reply with buttons (docs/conversation.md, "Buttons"): the text as it is, the buttons where the
    /// platform has them (the text says what to type everywhere).
    void say(std::string text, std::vector<DocAction> actions) {
        if (actions.empty()) {
            say(std::move(text));
            return;
        }
        std::vector<std::string> lines;
        for (std::size_t at = 0;;) {
            const auto nl = text.find('\n', at);
            lines.push_back(text.substr(at, nl == std::string::npos ? std::string::npos : nl - at));
            if (nl == std::string::npos) {
                break;
            }
            at = nl + 1;
        }
        say(Doc{.sections = {{.lines = std::move(lines)}}, .actions = std::move(actions)});
    }
    /// A reply with structure (a board): rendered in the platform's dialect.
    void say(Doc doc) {
        fx.replies.push_back(with_doc(
            {.mention_user_id = in.user_id, .mention_name = person != nullptr ? person->name : in.user_name},
            std::move(doc)));
    }
    /// A message to someone else about a decision, in the chat `chat` of bot `bot`: a reply when
    /// that is where this message came from, else (or when it is private) a notice through the
    /// outbox.
    void tell(const std::string& bot, const std::string& chat, Message m) {
        const std::string& here = in.from_chat.empty() ? in.chat_id : in.from_chat;
        if (bot == in.bot_id && chat == here && !m.direct) {
            fx.replies.push_back(std::move(m));
        } else {
            m.bot_id = bot;
            m.chat_id = chat;
            fx.changes.emplace_back(Notice{std::move(m)});
        }
    }
    void save(Session s) {
        s.updated_at = ctx.now;
        fx.op = SessionOp::save;
        fx.session = std::move(s);
    }
    /// What validating an answer to `t` may depend on: today in its zone, the officer, the roster.
    templates::FieldContext field_ctx(const templates::Template& t) const;
};

/// A quiet group (modes.cpp; docs/conversation.md).
namespace modes {
/// Whether a message is for the bot: it addresses the bot (a mention, a reply to the bot, a 1:1
/// chat), or its chat listens to everything, or the sender's form here waits for an answer and the
/// message looks like one (a command word; a choice, number, date or yes/no that validates).
bool heard(const Plan& p, const std::optional<Session>& stored, const FlowContext& ctx);
/// In a chat whose forms go on privately, the form's replies go to the sender's private chat and
/// the group sees one line when it opens and the receipt; a report filed privately is announced in
/// its group. In a chat whose forms open on the pages, 填报's line offers the private chat.
void settle(const Plan& p, Effects& fx, const FlowContext& ctx);
}  // namespace modes

/// The form: one template's questions, one at a time (report_flow.cpp).
namespace form {

/// 填报 [template]: begins a form (or asks which one).
void start(Flow& f, const std::string& arg);
/// A message while a form session is open: a form command (`c.spec` set) or an answer.
void step(Flow& f, Session s, const Command& c);
/// 修改 R-…: the stored report (Reads::report) opened at the preview, if it is theirs and editable.
void open_revision(Flow& f, std::string_view number);
// The steps of the form rows of the command table, each for a session at `t`.
void cancel(Flow& f, const templates::Template& t, Session s, const Command& c);
void already_filling(Flow& f, const templates::Template& t, Session s, const Command& c);
void resume(Flow& f, const templates::Template& t, Session s, const Command& c);
void help(Flow& f, const templates::Template& t, Session s, const Command& c);
void go_back(Flow& f, const templates::Template& t, Session s, const Command& c);
void preview(Flow& f, const templates::Template& t, Session s, const Command& c);
/// The preview's writing hints alone (快 · 实 · 新: the similar earlier report, figures, 套话, the
/// nearest 范文), said when there are any; the draft saved as it is (the page, while typing).
void hints(Flow& f, const templates::Template& t, Session s);
void submit_form(Flow& f, const templates::Template& t, Session s, const Command& c);
void edit(Flow& f, const templates::Template& t, Session s, const Command& c);
void skip_item(Flow& f, const templates::Template& t, Session s, const Command& c);

/// A stored answer as people read it (a choice's label, a unit's name, …), as in the preview.
std::string shown(const Flow& f, const templates::Field& field, const std::string& value);
/// The templates a person may start in this chat, and the "1 name  2 name" list of them.
std::vector<const templates::Template*> choices_for(const Flow& f);
std::string template_options(const Flow& f, const std::vector<const templates::Template*>& list);
/// A template picked by number, id or name from `list`.
const templates::Template* pick_template(const std::vector<const templates::Template*>& list,
                                         const std::string& answer);

}  // namespace form

/// 绑定 / 同意绑定 / 拒绝绑定 (binding.cpp).
namespace binding {
/// 绑定 姓名: a sender the roster does not know asks to be that officer.
void request(Flow& f, const Command& c);
/// 同意绑定 [B3] / 拒绝绑定 [B3]: decides a request; without a number, lists the pending ones.
void approve(Flow& f, const Command& c);
void refuse(Flow& f, const Command& c);
}  // namespace binding

/// 审核 / 查看 / 通过 / 退回 / 采用 / 分派 / 撤回 (review.cpp).
namespace review {
void queue(Flow& f, const Command& c);
void show(Flow& f, const Command& c);
void approve(Flow& f, const Command& c);
void send_back(Flow& f, const Command& c);
void adopt(Flow& f, const Command& c);
/// 分派 R-… 姓名: gives the report's review to a coordinator of its unit (desk::assign_refusal).
void assign(Flow& f, const Command& c);
void withdraw(Flow& f, const Command& c);
/// 我的: the sender's reports of this month and those still open, with number and status.
void mine(Flow& f, const Command& c);
}  // namespace review

/// 范文 [类型] / 范文 R-… (exemplars.cpp): the best reports of a kind, and one of them whole.
namespace exemplars {
void show(Flow& f, const Command& c);
/// The exemplar most like `fields` (a draft of `t`), if any was read.
const StoredReport* nearest(const Flow& f,
                            const templates::Template& t,
                            const std::map<std::string, std::string>& fields);
}  // namespace exemplars

/// 排名 [月|季|年] [模板] (ranking.cpp).
namespace ranking {
/// The window the argument names (this month by default), and the template, if one is named.
RankingWindow window(const FlowContext& ctx, std::string_view arg);
void show(Flow& f, const Command& c);
}  // namespace ranking
}  // namespace bot::handlers
