// A quiet group (docs/conversation.md): which group messages are for the bot, and where a form goes
// on — in the group, in the person's private chat with the bot, or on the pages.

#include "handlers/flow.hpp"
#include "templates/periods.hpp"
#include "templates/text.hpp"

#include <algorithm>
#include <cctype>

namespace bot::handlers {

ChatMode chat_mode(const FlowContext& ctx, std::string_view bot, std::string_view chat) {
    const Chat* c = ctx.roster.chat(chat);
    if (c == nullptr || (!c->bot.empty() && c->bot != bot)) {
        return ChatMode::group;
    }
    const bool reaches = ctx.settings.direct_bots.count(bot) > 0;
    if (c->mode == ChatMode::private_ && reaches) {
        return ChatMode::private_;
    }
    if (c->mode == ChatMode::page && reaches && !ctx.settings.web_url.empty()) {
        return ChatMode::page;
    }
    return ChatMode::group;  // the bot cannot carry the chat's mode out (check-config says so)
}

std::string session_chat(const FlowContext& ctx, const Incoming& in) {
    if (in.direct || (!in.form && chat_mode(ctx, in.bot_id, in.chat_id) == ChatMode::private_)) {
        return "@" + in.user_id;
    }
    return in.chat_id;
}

namespace modes {
namespace {

/// Whether `text` would be taken as the answer to the item the form asks now, for the items whose
/// answers cannot be mistaken for chatter: a choice, a number, a date, yes or no, a report type.
/// A free text (地点, 内容) is never guessed: it is taken when the message addresses the bot.
bool looks_like_answer(const Session& s, std::string_view typed, const FlowContext& ctx) {
    const std::string answer = templates::text::trim(typed);
    if (answer.empty()) {
        return false;
    }
    if (s.stage == Stage::choosing) {
        std::vector<const templates::Template*> all;
        for (const auto& t : ctx.templates.all()) {
            all.push_back(&t);
        }
        return form::pick_template(all, answer) != nullptr;
    }
    const templates::Template* t = ctx.templates.find(s.template_id);
    if (s.stage != Stage::filling || t == nullptr || s.field_index >= t->fields.size()) {
        return false;
    }
    const templates::Field& field = t->fields[s.field_index];
    using templates::FieldType;
    switch (field.type) {
        case FieldType::choice:
        case FieldType::multichoice:
        case FieldType::integer:
        case FieldType::decimal:
        case FieldType::percent:
        case FieldType::date:
        case FieldType::yesno:
            break;
        default:
            return false;
    }
    templates::FieldContext fctx;
    fctx.today = templates::local_date(ctx.now, ctx.settings.time_zone);
    return std::holds_alternative<std::string>(templates::validate(field, answer, fctx));
}

bool form_related(const Plan& p) {
    if (p.route == Route::form) {
        return true;
    }
    const CommandSpec* spec = p.command.spec;
    return spec != nullptr && spec->id != Cmd::help &&
           (spec->in_form == InForm::form || spec->id == Cmd::edit_report);
}

/// A message of the form, sent privately to the sender instead of into the group.
Message privately(const Plan& p, Message m) {
    m.bot_id = p.in.bot_id;
    m.chat_id = "@" + p.in.user_id;
    m.mention_user_id = p.in.user_id;
    m.direct = true;
    return m;
}

/// The group's line when a form goes on privately, with a button that opens the private chat where
/// the platform has such a link (a Telegram bot cannot write first).
Message started_line(const Plan& p, const FlowContext& ctx, std::string_view payload, std::string text) {
    Message m{.mention_user_id = p.in.user_id,
              .mention_name = p.person != nullptr ? p.person->name : p.in.user_name,
              .text = text};
    if (const auto link = ctx.settings.deep_links.find(p.in.bot_id); link != ctx.settings.deep_links.end()) {
        m = with_doc(std::move(m),
                     Doc{.sections = {{.lines = {std::move(text)}}},
                         .actions = {{.label = msg(p.locale, "private.open"),
                                      .url = link->second + std::string(payload),
                                      .primary = true}}});
    }
    return m;
}

/// What the group sees of a report filed privately: who filed what, and its number.
Message receipt(const Plan& p, const Submission& sub) {
    const std::string text =
        sub.revises.empty()
            ? msg(p.locale, "private.receipt", {{"title", sub.title}, {"number", std::string(kNumberSlot)}})
            : msg(p.locale,
                  "private.revised",
                  {{"title", sub.title}, {"number", sub.revises}, {"revision", std::string(kRevisionSlot)}});
    return {.mention_user_id = p.in.user_id,
            .mention_name = p.person != nullptr ? p.person->name : p.in.user_name,
            .text = text};
}

}  // namespace

bool heard(const Plan& p, const std::optional<Session>& stored, const FlowContext& ctx) {
    if (p.in.addressed || p.in.direct) {
        return true;
    }
    if (const Chat* chat = ctx.roster.chat(p.in.chat_id); chat != nullptr && chat->listen == Listen::all) {
        return true;  // every message of a form's owner, as before modes
    }
    if (!stored || !stored->home.empty()) {
        return false;  // nothing waits here (a form kept privately is answered privately)
    }
    const CommandSpec* spec = p.command.spec;
    if (ctx.now - stored->updated_at > ctx.settings.draft_after) {
        return spec != nullptr && spec->wakes_draft;  // a draft answers 继续, not the chatter
    }
    return spec != nullptr || looks_like_answer(*stored, p.in.text, ctx);
}

void settle(const Plan& p, Effects& fx, const FlowContext& ctx) {
    if (p.route == Route::page || p.route == Route::silent || p.route == Route::too_long) {
        return;
    }
    const std::string& here = p.in.from_chat.empty() ? p.in.chat_id : p.in.from_chat;
    const bool keeps_privately =
        !p.in.direct && p.person != nullptr && chat_mode(ctx, p.in.bot_id, here) == ChatMode::private_;
    // A form kept under the private conversation remembers the chat it files its report in.
    if (fx.op == SessionOp::save && fx.session.home.empty() && (p.in.direct || keeps_privately)) {
        fx.session.home = p.in.chat_id;
    }
    // A copy: the changes below grow, which would move it.
    const std::optional<Submission> sub =
        fx.find<Submission>() != nullptr ? std::optional(*fx.find<Submission>()) : std::nullopt;
    if (!p.in.direct && p.command.spec != nullptr && p.command.spec->id == Cmd::start &&
        chat_mode(ctx, p.in.bot_id, here) == ChatMode::page) {
        for (auto& r : fx.replies) {  // 填报 sent the sign-in link privately (start_form): its line
            r = started_line(p, ctx, "web", r.text);
        }
        return;
    }
    if (keeps_privately && form_related(p)) {
        auto replies = std::move(fx.replies);
        fx.replies.clear();
        for (auto& r : replies) {
            fx.changes.emplace_back(Notice{privately(p, std::move(r))});
        }
        const bool opens = p.command.spec != nullptr &&
                           (p.command.spec->id == Cmd::start || p.command.spec->id == Cmd::resume ||
                            p.command.spec->id == Cmd::edit_report);
        if (sub) {
            fx.replies.push_back(receipt(p, *sub));
        } else if (opens && fx.op == SessionOp::save) {
            fx.replies.push_back(started_line(p, ctx, "continue", msg(p.locale, "private.started")));
        }
        return;
    }
    if (p.in.direct && !p.in.from_chat.empty() && sub) {
        // Filed in the private chat: the group it belongs to sees the receipt, and nothing else.
        Message m = receipt(p, *sub);
        m.bot_id = p.in.bot_id;
        m.chat_id = p.in.chat_id;
        fx.changes.emplace_back(Notice{std::move(m)});
    }
}

}  // namespace modes
}  // namespace bot::handlers
