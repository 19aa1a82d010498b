// 审核把关: the review queue, a report in full, and the decisions on it — 通过, 退回 with a comment,
// 采用 at a level — and the author's 撤回. Pure: the router reads the report (and its history, or
// the queue) before, and stores the change and its audit entry after (docs/review.md).
#include "handlers/review.hpp"

#include "handlers/desk.hpp"
#include "handlers/flow.hpp"
#include "templates/text.hpp"

#include <algorithm>
#include <cctype>

namespace bot::handlers::review {
namespace {

namespace text = templates::text;

std::string state_name(const Flow& f, std::string_view status) {
    return f.m("state." + std::string(status));
}

std::string unit_name(const Flow& f, std::string_view id) {
    const Unit* u = f.ctx.roster.unit(id);
    return u != nullptr ? u->name : std::string(id);
}

std::string age(const Flow& f, TimePoint since) {
    const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(f.ctx.now - since).count();
    if (minutes < 1) {
        return f.m("age_now");
    }
    if (minutes < 60) {
        return f.m("age_minutes", {{"n", std::to_string(minutes)}});
    }
    const long hours = minutes / 60;
    return hours >= 24 ? f.m("age_days", {{"n", std::to_string(hours / 24)}})
                       : f.m("age_hours", {{"n", std::to_string(hours)}});
}

/// "R-2026-0001 rest of the words" (or "R-2026-0001、rest") → the rest, as typed.
std::string after_number(const std::string& arg) {
    const auto end = number_end(arg);
    if (end == std::string::npos) {
        return {};
    }
    std::string rest = text::trim(arg.substr(end));
    for (const std::string_view sep : {",", "、"}) {
        if (rest.starts_with(sep)) {
            rest = text::trim(rest.substr(sep.size()));
        }
    }
    return rest;
}

/// The report a decision names, or says why there is none.
const StoredReport* named(Flow& f, const Command& c) {
    if (c.arg.empty()) {
        f.say(f.m("review.usage_" + std::string(c.spec->name)));
        return nullptr;
    }
    if (!f.reads.report) {
        f.say(f.m("report_not_found", {{"number", report_number(c.arg)}}));
        return nullptr;
    }
    return &*f.reads.report;
}

/// Refuses a transition from the report's status that the state machine does not allow.
std::optional<Refusal> illegal(const StoredReport& r,
                               std::initializer_list<std::string_view> from,
                               std::string_view action,
                               std::string_view locale) {
    if (std::find(from.begin(), from.end(), r.status) != from.end()) {
        return std::nullopt;
    }
    return Refusal{Refusal::Why::illegal_transition,
                   msg(locale,
                       "review.illegal",
                       {{"number", r.number},
                        {"state", msg(locale, "state." + r.status)},
                        {"action", msg(locale, "action." + std::string(action))}})};
}

/// A decision in chat: the rules, then the reply to the reviewer and the notice to the author
/// (here when the report was filed in this chat, else through the outbox; nobody when the author
/// decided on their own report).
void decide_in_chat(Flow& f, const Command& c, Ask ask) {
    const StoredReport* r = named(f, c);
    if (r == nullptr) {
        return;
    }
    const std::string rest = after_number(c.arg);
    // One report a message: 通过 R-1 R-2 would otherwise approve R-1 and drop R-2 unsaid.
    const std::string next = rest.substr(0, rest.find(' '));
    if ((ask.action == "approve" && !rest.empty()) || is_report_number(next)) {
        f.say(f.m("review.one_at_a_time",
                  {{"command", std::string(c.spec->words.front())}, {"number", r->number}, {"extra", rest}}));
        return;
    }
    if (ask.action == "return") {
        ask.comment = rest;
    } else if (ask.action == "adopt") {
        ask.level = rest.substr(0, rest.find(' '));
        ask.venue = after_number(rest);
    }
    auto decided = rule(f.ctx, f.person, *r, ask, f.locale, f.reads.adoptions);
    if (const auto* no = std::get_if<Refusal>(&decided)) {
        f.say(no->text);
        return;
    }
    auto& change = std::get<ReviewChange>(decided);
    if (change.repeat) {
        f.say(f.m("review.adopted_already",
                  {{"number", r->number},
                   {"level", change.level},
                   {"points", std::to_string(change.points)},
                   {"venue", change.venue.empty() ? "" : f.m("review.venue", {{"venue", change.venue}})}}));
        return;
    }
    const Args args{{"number", r->number},
                    {"title", r->title},
                    {"author", r->author_name},
                    {"level", change.level},
                    {"points", std::to_string(change.points)},
                    {"venue", change.venue.empty() ? "" : f.m("review.venue", {{"venue", change.venue}})}};
    const std::string said = f.m("review." + change.to, args);
    Telling told = telling(f.ctx, f.person, *r, change, f.in.bot_id, f.in.chat_id);
    if (told.how == Told::own) {
        f.say(said);  // their own report: nobody else to tell
    } else {
        // Say how the author hears of it, or that they cannot (a bot that cannot post unasked).
        const std::string how = told.how == Told::cannot      ? "review.cannot_tell"
                                : told.how == Told::here      ? "review.told_here"
                                : told.how == Told::privately ? "review.told_private"
                                                              : "review.told_there";
        f.say(said + "\n" + f.m(how, {{"author", r->author_name}}));
    }
    if (told.how == Told::here) {
        f.fx.replies.push_back(std::move(*told.message));
    } else {
        change.notice = std::move(told.message);
    }
    change.news = std::move(told.news);
    f.fx.changes.emplace_back(std::move(change));
}

}  // namespace

/// "快 80 · 实 65 · 新 100" (快 "—" when the template does not check it).
std::string marks_text(const Flow& f, const quality::Marks& m) {
    return f.m("quality.marks",
               {{"fast", m.fast < 0 ? std::string("—") : std::to_string(m.fast)},
                {"solid", std::to_string(m.solid)},
                {"fresh", std::to_string(m.fresh)}});
}

void queue(Flow& f, const Command& /*c*/) {
    if (f.reads.waiting.empty()) {
        f.say(f.m("review.queue_empty"));
        return;
    }
    std::string out = f.m("review.queue_header", {{"count", std::to_string(f.reads.waiting.size())}});
    for (std::size_t i = 0; i < f.reads.waiting.size(); ++i) {
        const auto& r = f.reads.waiting[i];
        out += "\n" + f.m("review.queue_line",
                          {{"i", std::to_string(i + 1)},
                           {"number", r.number},
                           {"unit", unit_name(f, r.unit_id)},
                           {"author", r.author_name},
                           {"title", r.title},
                           {"age", age(f, r.updated_at)},
                           {"revision", std::to_string(r.revision)}});
        if (!r.quality.empty()) {
            out += " · " + marks_text(f, quality::marks_from_json(r.quality));
        }
    }
    out += "\n" + f.m("review.queue_footer");
    std::vector<DocAction> actions;  // 查看 the first few, where the platform has buttons
    for (std::size_t i = 0; i < f.reads.waiting.size() && i < 5; ++i) {
        actions.push_back({.label = f.reads.waiting[i].number,
                           .command = f.m("button.show") + " " + f.reads.waiting[i].number});
    }
    f.say(out, std::move(actions));
}

namespace {

/// A reviewer's buttons under a report they may decide on (docs/conversation.md, "Buttons"): each says the
/// typed command with the report's number, so a stale press gets the current state like a typed one.
std::vector<DocAction> decision_actions(const Flow& f, const StoredReport& r) {
    if (f.person == nullptr || !f.person->coordinates() || !f.ctx.roster.in_scope(*f.person, r.unit_id)) {
        return {};
    }
    const auto button = [&](std::string_view key, bool primary) {
        const std::string word = f.m(key);
        return DocAction{.label = word, .command = word + " " + r.number, .primary = primary};
    };
    if (r.status == "submitted") {
        return {
            button("button.approve", true), button("button.return", false), button("button.adopt", false)};
    }
    if (r.status == "approved") {
        return {button("button.adopt", true)};
    }
    return {};
}

}  // namespace

void show(Flow& f, const Command& c) {
    if (c.arg.empty()) {
        f.say(f.m("review.usage_show"));
        return;
    }
    const auto& r = f.reads.report;
    if (!r) {
        f.say(f.m("report_not_found", {{"number", report_number(c.arg)}}));
        return;
    }
    if (f.person == nullptr ||
        (f.person->id != r->author_id && !f.ctx.roster.in_scope(*f.person, r->unit_id))) {
        f.say(f.m("report_not_found", {{"number", r->number}}));
        return;
    }
    std::string out = f.m("review.show_header",
                          {{"number", r->number},
                           {"title", r->title},
                           {"unit", unit_name(f, r->unit_id)},
                           {"author", r->author_name},
                           {"state", state_name(f, r->status)},
                           {"revision", std::to_string(r->revision)}});
    if (const auto* t = f.ctx.templates.find(r->template_id)) {
        for (const auto& field : t->fields) {
            if (const auto it = r->fields.find(field.id); it != r->fields.end() && !it->second.empty()) {
                out += "\n" + field.label.in(f.locale) + ":" + form::shown(f, field, it->second);
            }
        }
    }
    for (const auto& a : f.reads.adoptions) {
        out += "\n" + f.m("review.show_adoption",
                          {{"level", a.level}, {"points", std::to_string(a.points)}, {"venue", a.venue}});
    }
    for (const auto& h : f.reads.history) {
        const Person* who = f.ctx.roster.person_by_id(h.actor);
        out +=
            "\n" +
            f.m("review.show_history",
                {{"age", age(f, h.at)},
                 {"who", who != nullptr ? who->name : h.actor},
                 {"action", f.m("history." + h.action)},
                 // The comment of a return, the level of an adoption; the rest says itself.
                 {"detail", h.action == "report.returned" || h.action == "report.adopted" ? h.after : ""}});
    }
    f.say(out, decision_actions(f, *r));
}

void approve(Flow& f, const Command& c) {
    decide_in_chat(f, c, {.action = "approve"});
}

void mine(Flow& f, const Command& /*c*/) {
    if (f.reads.mine.empty()) {
        f.say(f.m("mine.none"));
        return;
    }
    std::string out = f.m("mine.header", {{"count", std::to_string(f.reads.mine.size())}});
    for (const auto& r : f.reads.mine) {
        const auto* t = f.ctx.templates.find(r.template_id);
        out += "\n" + f.m("mine.line",
                          {{"number", r.number},
                           {"template", t != nullptr ? t->name.in(f.locale) : r.template_id},
                           {"title", r.title},
                           {"state", state_name(f, r.status)},
                           {"age", age(f, r.updated_at)}});
        if (r.status == "returned" || r.status == "submitted") {
            out += " · " + f.m("mine.editable", {{"number", r.number}});
        }
    }
    f.say(out);
}

void send_back(Flow& f, const Command& c) {
    decide_in_chat(f, c, {.action = "return"});
}

void adopt(Flow& f, const Command& c) {
    decide_in_chat(f, c, {.action = "adopt"});
}

namespace {

/// The coordinator 分派 names: by roster id, or by name when one coordinator has it.
const Person* reviewer_named(Flow& f, const std::string& who, const std::string& number) {
    if (const Person* by_id = f.ctx.roster.person_by_id(who); by_id != nullptr) {
        return by_id;
    }
    std::vector<const Person*> named;
    for (const auto& p : f.ctx.roster.people()) {
        if (p.coordinates() && p.name == who) {
            named.push_back(&p);
        }
    }
    if (named.size() > 1) {
        std::string ids;
        for (const auto* p : named) {
            ids += (ids.empty() ? "" : "、") + p->id;
        }
        f.say(f.m("review.assign_which", {{"number", number}, {"name", who}, {"ids", ids}}));
        return nullptr;
    }
    if (named.empty()) {
        f.say(f.m("desk.assign_not_reviewer", {{"number", number}}));
        return nullptr;
    }
    return named.front();
}

}  // namespace

void assign(Flow& f, const Command& c) {
    const StoredReport* r = named(f, c);
    if (r == nullptr) {
        return;
    }
    const std::string who = after_number(c.arg);
    if (who.empty()) {
        f.say(f.m("review.usage_assign"));
        return;
    }
    const Person* to = reviewer_named(f, who, r->number);
    if (to == nullptr) {
        return;
    }
    if (const auto no = desk::assign_rule(f.ctx.roster, f.person, *r, to); !no.empty()) {
        f.say(f.m(no, {{"number", r->number}, {"name", to->name}}));
        return;
    }
    Assignment a{.number = r->number,
                 .to_id = to->id,
                 .notice = desk::assignment_notice(f.ctx, *r, f.person->name, *to)};
    f.say(
        f.m(a.notice ? "desk.assigned" : "desk.assigned_quiet", {{"number", r->number}, {"name", to->name}}));
    f.fx.changes.emplace_back(std::move(a));
}

void withdraw(Flow& f, const Command& c) {
    if (c.arg.empty()) {
        f.say(f.m("review.usage_withdraw"));
        return;
    }
    const auto& r = f.reads.report;
    if (!r) {
        f.say(f.m("report_not_found", {{"number", report_number(c.arg)}}));
        return;
    }
    if (f.person->id != r->author_id) {
        f.say(f.m("review.withdraw_not_yours", {{"number", r->number}}));
        return;
    }
    if (const auto no = illegal(*r, {"submitted", "returned"}, "withdraw", f.locale)) {
        f.say(no->text);
        return;
    }
    f.fx.changes.emplace_back(
        ReviewChange{.number = r->number, .action = "withdrawn", .from = r->status, .to = "withdrawn"});
    f.say(f.m("review.withdrawn", {{"number", r->number}, {"title", r->title}}));
}

}  // namespace bot::handlers::review

namespace bot::handlers::review {

bool is_report_number(std::string_view word) {
    const std::string w = text::normalize(word);
    if (w.size() < 4 || w[0] != 'r' || w[1] != '-') {
        return false;
    }
    return std::all_of(w.begin() + 2, w.end(), [](char ch) {
        return ch == '-' || std::isdigit(static_cast<unsigned char>(ch));
    });
}

std::variant<ReviewChange, Refusal> rule(const FlowContext& ctx,
                                         const Person* reviewer,
                                         const StoredReport& r,
                                         const Ask& ask,
                                         std::string_view locale,
                                         const std::vector<AdoptionLine>& adoptions) {
    if (reviewer != nullptr && !ctx.roster.in_scope(*reviewer, r.unit_id)) {
        // Outside the reviewer's scope a report is not found: its unit is not told.
        return Refusal{Refusal::Why::out_of_scope, msg(locale, "report_not_found", {{"number", r.number}})};
    }
    if (ask.action == "approve") {
        if (auto no = illegal(r, {"submitted"}, "approve", locale)) {
            return std::move(*no);
        }
        return ReviewChange{.number = r.number, .action = "approved", .from = r.status, .to = "approved"};
    }
    if (ask.action == "return") {
        if (auto no = illegal(r, {"submitted"}, "return", locale)) {
            return std::move(*no);
        }
        if (ask.comment.empty()) {
            return Refusal{Refusal::Why::needs_comment,
                           msg(locale, "review.return_needs_comment", {{"number", r.number}})};
        }
        return ReviewChange{.number = r.number,
                            .action = "returned",
                            .from = r.status,
                            .to = "returned",
                            .comment = ask.comment};
    }
    if (ask.action == "adopt") {
        if (auto no = illegal(r, {"approved", "adopted"}, "adopt", locale)) {
            return std::move(*no);
        }
        const auto& levels = ctx.settings.adoption_levels;
        const auto found =
            std::find_if(levels.begin(), levels.end(), [&](const auto& l) { return l.first == ask.level; });
        if (found == levels.end()) {
            std::string names;
            for (const auto& l : levels) {
                names += (names.empty() ? "" : "、") + l.first;
            }
            return Refusal{Refusal::Why::unknown_level,
                           msg(locale, "review.adopt_level", {{"number", r.number}, {"levels", names}})};
        }
        const bool repeat = std::any_of(adoptions.begin(), adoptions.end(), [&](const AdoptionLine& a) {
            return a.level == found->first && a.venue == ask.venue;
        });
        return ReviewChange{.number = r.number,
                            .action = "adopted",
                            .from = r.status,
                            .to = "adopted",
                            .level = found->first,
                            .points = found->second,
                            .venue = ask.venue,
                            .repeat = repeat};
    }
    return Refusal{Refusal::Why::unknown_action, "unknown action: " + ask.action};
}

Telling telling(const FlowContext& ctx,
                const Person* reviewer,
                const StoredReport& r,
                const ReviewChange& change,
                std::string_view here_bot,
                std::string_view here_chat) {
    if (reviewer != nullptr && reviewer->id == r.author_id) {
        return {Told::own};
    }
    Message notice = author_notice(ctx, r, change);
    if (!here_bot.empty() && notice.bot_id == here_bot && notice.chat_id == here_chat && !notice.direct) {
        return {Told::here, std::move(notice)};
    }
    if (ctx.settings.push_bots.count(notice.bot_id) == 0) {
        return {Told::cannot};
    }
    const Told how = notice.direct ? Told::privately : Told::there;
    std::optional<Message> news;
    const Chat* group = ctx.roster.chat(r.chat_id);
    if (how == Told::privately && change.to == "adopted" && group != nullptr && group->adoption_news) {
        const Unit* unit = ctx.roster.unit(r.unit_id);
        // The group hears the good news too, without the @-mention the author's notice carries.
        news = Message{.mention_name = r.author_name, .bot_id = r.bot_id};
        news->text = msg(ctx.locale,
                         "review.adopted_news",
                         {{"author", r.author_name},
                          {"unit", unit != nullptr ? unit->name : r.unit_id},
                          {"title", r.title},
                          {"number", r.number},
                          {"level", change.level}});
        news->chat_id = r.chat_id;
    }
    return {how, std::move(notice), std::move(news)};
}

Message author_notice(const FlowContext& ctx, const StoredReport& r, const ReviewChange& change) {
    const Person* author = ctx.roster.person_by_id(r.author_id);
    const auto& s = ctx.settings;
    const auto platform = s.bot_platforms.find(r.bot_id);
    const auto bot_locale = s.bot_locales.find(r.bot_id);
    const std::string locale = locale_for(
        author, bot_locale != s.bot_locales.end() ? std::string_view(bot_locale->second) : s.locale);
    const Unit* unit = ctx.roster.unit(r.unit_id);
    const Args args{
        {"number", r.number},
        {"title", r.title},
        {"comment", change.comment},
        {"level", change.level},
        {"points", std::to_string(change.points)},
        {"venue", change.venue.empty() ? "" : msg(locale, "review.venue", {{"venue", change.venue}})},
        {"unit", unit != nullptr ? unit->name : r.unit_id}};
    Message m{
        .mention_user_id =
            author == nullptr
                ? std::string()
                : std::string(author->account_on(
                      r.bot_id, platform != s.bot_platforms.end() ? std::string_view(platform->second) : "")),
        .mention_name = r.author_name};
    // The notice's first line as its heading, any further lines (a return's "reply 修改…") below.
    const std::string text = msg(locale, "review." + change.to + "_notice", args);
    const auto nl = text.find('\n');
    DocSection notice{.heading = text.substr(0, nl)};
    for (std::size_t at = nl; at != std::string::npos;) {
        const auto next = text.find('\n', at + 1);
        notice.lines.push_back(
            text.substr(at + 1, next == std::string::npos ? std::string::npos : next - at - 1));
        at = next;
    }
    Doc doc{.sections = {std::move(notice)}};
    if (change.to == "returned") {  // the author's button: 修改 R-… opens it at the preview
        const std::string word = msg(locale, "button.edit");
        doc.actions.push_back({.label = word, .command = word + " " + r.number, .primary = true});
    }
    m = with_doc(std::move(m), std::move(doc));
    m.bot_id = r.bot_id;
    m.chat_id = r.chat_id;
    // Privately where the platform can (a return's comment is for the author); else in the group.
    if (!m.mention_user_id.empty() && s.direct_bots.count(r.bot_id) > 0) {
        m.direct = true;
        m.chat_id = "@" + m.mention_user_id;
    }
    return m;
}

}  // namespace bot::handlers::review
