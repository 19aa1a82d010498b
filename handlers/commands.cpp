#include "handlers/commands.hpp"

#include "handlers/binding.hpp"
#include "handlers/desk.hpp"
#include "handlers/flow.hpp"
#include "handlers/page_form.hpp"
#include "handlers/ranking.hpp"
#include "templates/periods.hpp"
#include "templates/text.hpp"

#include <algorithm>
#include <cctype>

namespace bot::handlers {
namespace {

using templates::Template;
namespace text = templates::text;

bool is_coordinator(const Person* p) {
    return p != nullptr && p->coordinates();
}

bool allowed(const CommandSpec& spec, const Person* p) {
    switch (spec.allowed) {
        case Allowed::anyone:
            return true;
        case Allowed::rostered:
            return p != nullptr;
        case Allowed::coordinator:
            return is_coordinator(p);
    }
    return false;
}

/// Words of a command argument: split at spaces and the separators people type (、,,).
std::vector<std::string> words(std::string_view arg) {
    std::string s = text::fold_width(arg);
    for (const std::string sep : {"、", ",", ","}) {
        for (auto pos = s.find(sep); pos != std::string::npos; pos = s.find(sep)) {
            s.replace(pos, sep.size(), " ");
        }
    }
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < s.size()) {
        const auto end = s.find(' ', i);
        auto w = s.substr(i, end == std::string::npos ? std::string::npos : end - i);
        if (!w.empty()) {
            out.push_back(std::move(w));
        }
        if (end == std::string::npos) {
            break;
        }
        i = end + 1;
    }
    return out;
}

// ---- The functions of the rows ----

void say_help(Flow& f, const Command& /*c*/) {
    f.say(help_text(f.locale, is_coordinator(f.person)));
}

void say_nothing_to_continue(Flow& f, const Command& /*c*/) {
    f.say(f.m("nothing_to_continue"));
}

/// 下一页 with no page waiting (a bot whose replies are paged answers it before the conversation,
/// bot/router/pages.cpp).
void say_no_next_page(Flow& f, const Command& /*c*/) {
    f.say(f.m("pages.none"));
}

/// 网页填报: a one-time sign-in link to the pages, sent privately; never into a group.
void web_link(Flow& f, const Command& /*c*/) {
    if (f.ctx.settings.web_url.empty()) {
        f.say(f.m("web.off"));
        return;
    }
    if (f.ctx.settings.direct_bots.count(f.in.bot_id) == 0) {
        f.say(f.m("web.not_private"));
        return;
    }
    const std::string minutes = std::to_string(f.ctx.settings.web_link_ttl.count());
    Message m{.chat_id = "@" + f.in.user_id,
              .mention_user_id = f.in.user_id,
              .mention_name = f.person->name,
              .text = f.m("web.link", {{"link", std::string(kLinkSlot)}, {"minutes", minutes}}),
              .bot_id = f.in.bot_id};
    m.direct = true;
    // The link as a button too, where the platform has link buttons.
    std::string text = m.text;
    m = with_doc(
        std::move(m),
        Doc{.sections = {{.lines = {std::move(text)}}},
            .actions = {{.label = f.m("button.web"), .url = std::string(kLinkSlot), .primary = true}}});
    f.fx.changes.emplace_back(SignInRequest{std::move(m)});
    f.say(f.m("web.link_sent", {{"minutes", minutes}}));
}

void start_form(Flow& f, const Command& c) {
    if (!f.in.direct && chat_mode(f.ctx, f.in.bot_id, f.in.chat_id) == ChatMode::page) {
        web_link(f, c);  // the form opens on the pages: a private sign-in link (modes::settle)
        return;
    }
    form::start(f, c.arg);
}

void open_report(Flow& f, const Command& c) {
    form::open_revision(f, c.arg);
}

/// 进度 [template]: the templates whose boards are shown (those of this chat, or the one named);
/// empty when `arg` names none of them.
std::vector<const Template*> status_list(const FlowContext& ctx,
                                         const std::string& chat,
                                         const std::string& arg) {
    std::vector<const Template*> list;
    for (const auto& t : ctx.templates.all()) {
        if (t.applies_to_chat(chat)) {
            list.push_back(&t);
        }
    }
    if (arg.empty()) {
        return list;
    }
    const Template* t = form::pick_template(list, arg);
    return t != nullptr ? std::vector<const Template*>{t} : std::vector<const Template*>{};
}

void show_status(Flow& f, const Command& c) {
    const auto list = status_list(f.ctx, f.in.chat_id, c.arg);
    if (list.empty() && !c.arg.empty()) {
        f.say(f.m("choose_invalid",
                  {{"options", form::template_options(f, f.ctx.templates.available(f.in.chat_id, ""))}}));
        return;
    }
    for (std::size_t i = 0; i < list.size() && i < f.reads.boards.size(); ++i) {
        const auto period = templates::period_for(*list[i], f.ctx.now, f.ctx.calendar);
        f.say(status_doc(f.reads.boards[i], *list[i], period, f.locale));  // read in the sender's scope
    }
}

/// 催报 [template] [units…]: which templates and units; the router runs the round.
void remind(Flow& f, const Command& c) {
    std::vector<const Template*> list;
    for (const auto& t : f.ctx.templates.all()) {
        list.push_back(&t);
    }
    auto args = words(c.arg);
    RemindRequest req;
    if (!args.empty()) {
        if (const Template* t = form::pick_template(list, args.front())) {
            req.templates.push_back(t->id);
            args.erase(args.begin());
        }
    }
    if (req.templates.empty()) {
        for (const auto* t : list) {
            req.templates.push_back(t->id);
        }
    }
    for (const auto& a : args) {
        const Unit* found = f.ctx.roster.unit(a);
        for (const auto& u : f.ctx.roster.units()) {
            if (found == nullptr && text::normalize(u.name) == text::normalize(a)) {
                found = &u;
            }
        }
        if (found == nullptr) {
            f.say(f.m("remind_unknown_unit", {{"unit", a}}));
            return;
        }
        req.units.push_back(found->id);
    }
    // Whether the sender may remind those units (a coordinator's scope) is the use case's.
    f.fx.changes.emplace_back(std::move(req));
}

/// 周报: the digest as the router read it, posted to the chat (no @-mention).
void post_digest(Flow& f, const Command& /*c*/) {
    if (f.reads.digest) {  // absent: this installation has no scheduler to compose it
        f.fx.replies.push_back(with_doc({}, *f.reads.digest));
    }
}

/// 请假 FROM [TO].
void record_leave(Flow& f, const Command& c) {
    constexpr int kMaxDays = 366;
    const templates::LocalDate today = templates::local_date(f.ctx.now, f.ctx.settings.time_zone);
    const auto args = words(c.arg);
    std::optional<templates::LocalDate> from;
    std::optional<templates::LocalDate> to;
    if (args.size() == 1 || args.size() == 2) {
        from = templates::parse_date(args[0], today);
        to = args.size() == 2 ? templates::parse_date(args[1], today) : from;
    }
    if (!from || !to) {
        f.say(f.m("leave_usage"));
        return;
    }
    if (to->iso() < from->iso()) {
        f.say(f.m("leave_reversed", {{"from", from->iso()}, {"to", to->iso()}}));
        return;
    }
    if (to->iso() < today.iso()) {
        f.say(f.m("leave_past", {{"to", to->iso()}}));
        return;
    }
    if (from->plus_days(kMaxDays).iso() <= to->iso()) {
        f.say(f.m("leave_too_long", {{"days", std::to_string(kMaxDays)}}));
        return;
    }
    f.fx.changes.emplace_back(LeaveChange{false, from->iso(), to->iso()});
    f.say(f.m("leave_recorded", {{"from", from->iso()}, {"to", to->iso()}}));
}

/// 销假: ends the sender's leave from today on; says so when there is none (stored or in the roster).
void end_leave(Flow& f, const Command& c) {
    const templates::LocalDate today = templates::local_date(f.ctx.now, f.ctx.settings.time_zone);
    if (!c.arg.empty()) {
        // 销假 DATE: only the leave covering that date (one of several planned ones).
        const auto args = words(c.arg);
        const auto day = args.size() == 1 ? templates::parse_date(args[0], today) : std::nullopt;
        if (!day || day->iso() < today.iso()) {
            f.say(f.m("leave_end_usage"));
            return;
        }
        if (f.reads.open_leaves == 0) {
            f.say(f.m("leave_none"));
            return;
        }
        f.fx.changes.emplace_back(LeaveChange{.end = true, .from = {}, .to = {}, .covering = day->iso()});
        f.say(f.m("leave_ended_one", {{"day", day->iso()}}));
        return;
    }
    const bool roster_leave = std::any_of(
        f.person->leave.begin(), f.person->leave.end(), [&](const Leave& l) { return l.covers(today); });
    if (f.reads.open_leaves == 0 && !roster_leave) {
        f.say(f.m("leave_none"));
        return;
    }
    f.fx.changes.emplace_back(LeaveChange{true, {}, {}});
    f.say(f.m("leave_ended"));
}

// ---- Routing ----

/// Where the parsed message goes (Plan::route), and whether the stored session has expired.
void route(Plan& p, const std::optional<Session>& stored, const FlowContext& ctx) {
    if (p.in.form) {
        // A report's form from the pages: an officer on the roster, the draft whatever its age.
        p.route = p.person != nullptr ? Route::page : Route::silent;
        p.command = {};
        return;
    }
    if (p.in.too_long) {
        // Told only where an answer would have come: addressed, or with a form open.
        const bool open = stored && ctx.now - stored->updated_at <= ctx.settings.draft_ttl;
        p.route = p.in.addressed || open ? Route::too_long : Route::silent;
        return;
    }
    if (!modes::heard(p, stored, ctx)) {
        p.route = Route::silent;  // chatter: no reply, nothing changes
        return;
    }
    if (const CommandSpec* spec = p.command.spec; spec != nullptr && spec->in_form != InForm::form) {
        const bool acts = spec->in_form == InForm::acts || !stored ||
                          (spec->in_form == InForm::if_allowed && allowed(*spec, p.person)) ||
                          (spec->in_form == InForm::with_argument && !p.command.arg.empty());
        if (acts) {
            p.route = Route::over_form;
            return;
        }
    }
    p.expired = stored && ctx.now - stored->updated_at > ctx.settings.draft_ttl;
    if (stored && !p.expired) {
        p.route = Route::form;
    } else {
        p.route = p.in.addressed ? Route::outside : Route::silent;
    }
}

// ---- What the rows read (CommandSpec::reads): each adds its typed reads to the plan ----

/// The report its argument's first word names (通过 R-…, 退回 R-… 意见, 修改 R-…).
void reads_report(Plan& p, const std::optional<Session>& /*stored*/, const FlowContext& /*ctx*/) {
    p.needs.set(read::Report{report_number(p.command.arg)});
}

/// The report with its adoptions and audit history (查看).
void reads_report_history(Plan& p, const std::optional<Session>& /*stored*/, const FlowContext& /*ctx*/) {
    p.needs.set(read::Report{report_number(p.command.arg), true});
}

void reads_waiting(Plan& p, const std::optional<Session>& /*stored*/, const FlowContext& /*ctx*/) {
    p.needs.set(read::Waiting{});
}

/// 排名 [月|季|年] [类型]: the window as typed (a word naming no template is kept, nothing read).
void reads_ranking(Plan& p, const std::optional<Session>& /*stored*/, const FlowContext& ctx) {
    p.needs.set(read::Ranking{ranking::window(ctx, p.command.arg)});
}

void reads_boards(Plan& p, const std::optional<Session>& /*stored*/, const FlowContext& ctx) {
    read::Boards b;
    for (const auto* t : status_list(ctx, p.in.chat_id, p.command.arg)) {
        b.templates.push_back(t->id);
    }
    p.needs.set(std::move(b));
}

void reads_digest(Plan& p, const std::optional<Session>& /*stored*/, const FlowContext& /*ctx*/) {
    p.needs.set(read::Digest{});
}

void reads_open_leave(Plan& p, const std::optional<Session>& /*stored*/, const FlowContext& /*ctx*/) {
    p.needs.set(read::OpenLeave{});
}

/// 同意绑定 B3: that request; alone: the pending ones; anything else: nothing (said so).
void reads_binding(Plan& p, const std::optional<Session>& /*stored*/, const FlowContext& /*ctx*/) {
    if (p.command.arg.empty()) {
        p.needs.set(read::Binding{});
    } else if (const auto id = binding::parse_id(p.command.arg)) {
        p.needs.set(read::Binding{*id});
    }
}

/// 范文 R-…: that one, whole. 范文 [类型]: the template named (by name or number), else the one
/// being filled, else the first the sender reports on.
void reads_exemplars(Plan& p, const std::optional<Session>& stored, const FlowContext& ctx) {
    if (!report_number(p.command.arg).empty() && p.command.arg.find('-') != std::string::npos) {
        p.needs.set(read::Report{report_number(p.command.arg)});
        return;
    }
    const auto list = ctx.roster.templates_for(ctx.templates, p.in.chat_id, *p.person);
    std::vector<const Template*> all;
    for (const auto& t : ctx.templates.all()) {
        all.push_back(&t);
    }
    read::Exemplars e;
    if (!p.command.arg.empty()) {
        const Template* t = form::pick_template(list.empty() ? all : list, p.command.arg);
        (t != nullptr ? e.template_id : e.unknown) = t != nullptr ? t->id : p.command.arg;
    } else if (stored && !stored->template_id.empty()) {
        e.template_id = stored->template_id;
    } else if (!list.empty()) {
        e.template_id = list.front()->id;
    } else if (!all.empty()) {
        e.template_id = all.front()->id;
    }
    p.needs.set(std::move(e));
}

void reads_mine(Plan& p, const std::optional<Session>& /*stored*/, const FlowContext& ctx) {
    p.needs.set(read::Mine{ranking::window_of(ctx.settings.time_zone, ctx.now, "month").from});
}

/// The routed command's row declares what it reads (nothing for a refused command, or a step of
/// the form).
void row_reads(Plan& p, const std::optional<Session>& stored, const FlowContext& ctx) {
    const CommandSpec* spec = p.command.spec;
    if (spec == nullptr || spec->reads == nullptr || !allowed(*spec, p.person) ||
        (p.route != Route::over_form && p.route != Route::outside)) {
        return;
    }
    spec->reads(p, stored, ctx);
}

/// Runs a row outside a form (or over it): refused with the reason when the sender may not.
void run_row(Flow& f, const Command& c) {
    if (c.spec == nullptr) {
        f.say(f.m("unknown_input"));  // one line, not the whole help: chatter is not a question
        return;
    }
    if (c.spec->outside == nullptr) {
        say_help(f, c);
        return;
    }
    if (!allowed(*c.spec, f.person)) {
        f.say(c.spec->allowed == Allowed::coordinator
                  ? f.m("coordinators_only", {{"command", f.in.text}})
                  : f.m(f.ctx.settings.allow_binding ? "not_on_roster_bind" : "not_on_roster"));
        return;
    }
    c.spec->outside(f, c);
}

}  // namespace

const std::vector<CommandSpec>& command_table() {
    // A data table: one row per command, one line per row (clang-format would give each field a line).
    // clang-format off
    // name          words                           argument       who                   in a form              reads                 wakes  help line            outside a form           form step
    static const std::vector<CommandSpec> kTable{
        {Cmd::start, "start",       {"填报", "report"},             Arg::optional, Allowed::rostered,    InForm::form,           nullptr,              false, "help.start",       start_form,              form::already_filling},
        {Cmd::back, "back",        {"上一步", "返回", "back"},     Arg::none,     Allowed::anyone,      InForm::form,           nullptr,              false, "help.back",        say_nothing_to_continue, form::go_back},
        {Cmd::skip, "skip",        {"跳过", "skip"},               Arg::none,     Allowed::anyone,      InForm::form,           nullptr,              false, "help.skip",        say_nothing_to_continue, form::skip_item},
        {Cmd::edit_item, "edit_item",   {"修改", "edit"},               Arg::glued,    Allowed::anyone,      InForm::form,           nullptr,              false, "help.edit_item",   say_nothing_to_continue, form::edit},
        {Cmd::preview, "preview",     {"预览", "preview"},            Arg::none,     Allowed::anyone,      InForm::form,           nullptr,              true,  "help.preview",     say_nothing_to_continue, form::preview},
        {Cmd::submit, "submit",      {"提交", "submit"},             Arg::none,     Allowed::anyone,      InForm::form,           nullptr,              true,  "help.submit",      say_nothing_to_continue, form::submit_form},
        {Cmd::cancel, "cancel",      {"取消", "cancel"},             Arg::none,     Allowed::anyone,      InForm::form,           nullptr,              false, "help.cancel",      say_nothing_to_continue, form::cancel},
        {Cmd::resume, "resume",      {"继续", "continue"},           Arg::none,     Allowed::anyone,      InForm::form,           nullptr,              true,  "help.resume",      say_nothing_to_continue, form::resume},
        {Cmd::edit_report, "edit_report", {"修改", "edit"},               Arg::glued,    Allowed::anyone,      InForm::form,           reads_report,         false, "help.edit_report", open_report,             form::already_filling},
        {Cmd::help, "help",        {"帮助", "help", "?"},          Arg::none,     Allowed::anyone,      InForm::form,           nullptr,              true,  "",                 say_help,                form::help},
        {Cmd::mine, "mine",        {"我的", "我的报告", "mine", "my reports"}, Arg::none, Allowed::rostered, InForm::acts,           reads_mine,           false, "help.mine",        review::mine,            nullptr},
        {Cmd::leave, "leave",       {"请假", "leave"},              Arg::optional, Allowed::rostered,    InForm::with_argument,  nullptr,              false, "help.leave",       record_leave,            nullptr},
        {Cmd::end_leave, "end_leave",   {"销假", "end leave"},          Arg::optional, Allowed::rostered,    InForm::acts,           reads_open_leave,     false, "help.end_leave",   end_leave,               nullptr},
        {Cmd::status, "status",      {"进度", "status"},             Arg::optional, Allowed::coordinator, InForm::acts,           reads_boards,         false, "help.status",      show_status,             nullptr},
        {Cmd::remind, "remind",      {"催报", "remind"},             Arg::optional, Allowed::coordinator, InForm::if_allowed,     nullptr,              false, "help.remind",      remind,                  nullptr},
        {Cmd::digest, "digest",      {"周报", "digest"},             Arg::none,     Allowed::coordinator, InForm::if_allowed,     reads_digest,         false, "help.digest",      post_digest,             nullptr},
        {Cmd::review_queue, "review_queue", {"审核", "review"},            Arg::none,     Allowed::coordinator, InForm::if_allowed,     reads_waiting,        false, "help.review",      review::queue,           nullptr},
        {Cmd::approve, "approve",     {"通过", "approve"},            Arg::optional, Allowed::coordinator, InForm::with_argument,  reads_report,         false, "help.approve",     review::approve,         nullptr},
        {Cmd::send_back, "return",      {"退回", "return"},             Arg::optional, Allowed::coordinator, InForm::with_argument,  reads_report,         false, "help.return",      review::send_back,       nullptr},
        {Cmd::adopt, "adopt",       {"采用", "adopt"},              Arg::optional, Allowed::coordinator, InForm::with_argument,  reads_report,         false, "help.adopt",       review::adopt,           nullptr},
        {Cmd::assign, "assign",      {"分派", "assign"},             Arg::optional, Allowed::coordinator, InForm::with_argument,  reads_report,         false, "help.assign",      review::assign,          nullptr},
        {Cmd::exemplars, "exemplars",   {"范文", "exemplars"},          Arg::optional, Allowed::rostered,    InForm::acts,           reads_exemplars,      false, "help.exemplars",   exemplars::show,         nullptr},
        {Cmd::ranking, "ranking",     {"排名", "ranking"},            Arg::optional, Allowed::rostered,    InForm::acts,           reads_ranking,        false, "help.ranking",     ranking::show,           nullptr},
        {Cmd::show, "show",        {"查看", "show"},               Arg::optional, Allowed::rostered,    InForm::with_argument,  reads_report_history, false, "help.show", review::show,           nullptr},
        {Cmd::withdraw, "withdraw",    {"撤回", "withdraw"},           Arg::optional, Allowed::rostered,    InForm::with_argument,  reads_report,         false, "help.withdraw",    review::withdraw,        nullptr},
        {Cmd::approve_binding, "approve_binding", {"同意绑定", "approve binding"}, Arg::optional, Allowed::coordinator, InForm::if_allowed,     reads_binding,        false, "help.approve_binding", binding::approve, nullptr},
        {Cmd::refuse_binding, "refuse_binding",  {"拒绝绑定", "refuse binding"},  Arg::optional, Allowed::coordinator, InForm::if_allowed,     reads_binding,        false, "",                     binding::refuse,  nullptr},
        {Cmd::next_page, "next_page", {"下一页", "next page"},    Arg::none,     Allowed::anyone,      InForm::acts,           nullptr,              false, "",                 say_no_next_page,        nullptr},
        {Cmd::web_link, "web_link", {"网页填报", "网页", "登录", "审核台", "web form", "web", "sign in", "desk"}, Arg::none, Allowed::rostered, InForm::acts, nullptr,              false, "help.web_link",    web_link,                nullptr},
        {Cmd::bind, "bind",        {"绑定", "bind"},               Arg::optional, Allowed::anyone,      InForm::acts,           nullptr,              false, "",                 binding::request,        nullptr},
    };
    // clang-format on
    return kTable;
}

namespace {

/// The rest of `text` after the command word `word` when `text` begins with it, compared folded
/// (full width, ASCII case) code point by code point; the rest keeps what was typed.
std::optional<std::string_view> after_word(std::string_view text, std::string_view word) {
    std::size_t i = 0;
    std::size_t k = 0;
    while (k < word.size()) {
        if (i >= text.size()) {
            return std::nullopt;
        }
        std::size_t len = 1;
        const auto b = static_cast<unsigned char>(text[i]);
        len = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : 4;
        const std::string folded = text::normalize(text.substr(i, len));
        const std::string_view one = folded.empty() ? std::string_view(" ") : std::string_view(folded);
        if (word.substr(k, one.size()) != one) {
            return std::nullopt;
        }
        k += one.size();
        i += len;
    }
    return text.substr(i);
}

bool starts_with_space(std::string_view s) {
    return !s.empty() && (s[0] == ' ' || s[0] == '\t' || s[0] == '\n' || s.starts_with("\xE3\x80\x80"));
}

}  // namespace

std::optional<std::pair<const CommandSpec*, std::string>> parse_command(std::string_view raw) {
    // The command word is compared folded; its argument is kept as typed (comments, carriers and
    // titles keep their case and width), trimmed.
    const std::string typed = text::trim(raw);
    for (const auto& spec : command_table()) {
        for (const std::string_view w : spec.words) {
            const auto rest = after_word(typed, w);
            if (!rest) {
                continue;
            }
            if (rest->empty() && spec.arg != Arg::glued) {
                return std::pair{&spec, std::string()};
            }
            if (spec.arg == Arg::optional && starts_with_space(*rest)) {
                return std::pair{&spec, text::trim(*rest)};
            }
            if (spec.arg != Arg::glued) {
                continue;
            }
            // 修改 / 修改 3 / 修改3 → a form item; 修改 R-2026-0001 → a stored report.
            const std::string arg = text::normalize(*rest);
            const bool report_number = arg.size() > 2 && arg[0] == 'r' && arg[1] == '-';
            const bool digits = std::all_of(
                arg.begin(), arg.end(), [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)); });
            if (spec.id == Cmd::edit_report && report_number) {
                return std::pair{&spec, handlers::report_number(arg)};
            }
            if (spec.id == Cmd::edit_item && digits) {
                return std::pair{&spec, arg};
            }
        }
    }
    return std::nullopt;
}

std::string help_text(std::string_view locale, bool coordinator) {
    std::string officer;
    std::string coord;
    for (const auto& spec : command_table()) {
        if (spec.help_key.empty()) {
            continue;
        }
        std::string& line = spec.allowed == Allowed::coordinator ? coord : officer;
        line += (line.empty() ? "" : " · ") + msg(locale, spec.help_key);
    }
    std::string out =
        msg(locale, "help.header", {{"commands", officer}}) + "\n" + msg(locale, "help.oneshot");
    out +=
        "\n" + msg(locale, coordinator ? "help.coordinator" : "help.coordinator_hint", {{"commands", coord}});
    return out;
}

namespace {

/// 新 needs the earlier reports like a draft when this message may preview or submit it: the
/// band keys of the draft as it is (a command over the form: 预览, 提交), and as it would be with
/// this message as the answer to its last field.
void similar_needs(Plan& p, const std::optional<Session>& stored, const FlowContext& ctx) {
    if (!stored || p.expired || stored->stage == Stage::choosing ||
        (p.route != Route::form && p.route != Route::over_form)) {
        return;
    }
    const Session& s = *stored;
    const Template* t = ctx.templates.find(s.template_id);
    if (t == nullptr) {
        return;
    }
    std::set<std::int64_t> keys;
    const auto add = [&](const std::map<std::string, std::string>& answers) {
        for (const auto k : quality::band_keys(quality::sign(quality::comparable_text(*t, answers)))) {
            keys.insert(k);
        }
    };
    if (p.route == Route::over_form || s.stage == Stage::previewing) {
        add(s.answers);
    }
    if (p.route == Route::form && s.stage == Stage::filling && s.field_index < t->fields.size()) {
        auto answers = s.answers;
        answers[t->fields[s.field_index].id] = p.in.text;
        bool last = true;
        for (std::size_t i = s.field_index + 1; i < t->fields.size() && !s.back_to_preview; ++i) {
            if (templates::condition_met(t->fields[i], answers) && answers.count(t->fields[i].id) == 0) {
                last = false;
                break;
            }
        }
        if (last) {
            add(answers);
        }
    }
    if (keys.empty()) {
        return;
    }
    p.needs.set(read::Similar{{keys.begin(), keys.end()}, s.revising});
    if (t->quality.hints && p.needs.find<read::Exemplars>() == nullptr) {
        p.needs.set(read::Exemplars{t->id});  // a 实 or 新 hint offers the nearest 范文
    }
}

}  // namespace

Plan plan(const Incoming& in, const std::optional<Session>& stored, const FlowContext& ctx) {
    Plan p;
    p.in = in;
    p.in.text = strip_mentions(in.text, ctx.settings.bot_names);
    if (p.in.text != text::trim(in.text)) {
        p.in.addressed = true;  // @-names the bot in its text (a bridge that does not say so)
    }
    if (stored && !stored->home.empty() && stored->home != in.chat_id && !in.form) {
        p.in.from_chat = in.chat_id;  // a form kept privately belongs to its group
        p.in.chat_id = stored->home;
    }
    p.person = ctx.roster.person(in.bot_id, in.platform, in.user_id);
    if (p.person == nullptr && !in.bound_person.empty()) {
        p.person = ctx.roster.person_by_id(in.bound_person);  // bound through chat, approved
    }
    p.locale = locale_for(p.person, ctx.locale);
    if (auto parsed = parse_command(p.in.text)) {
        p.command = {parsed->first, std::move(parsed->second)};
    }
    route(p, stored, ctx);
    row_reads(p, stored, ctx);
    similar_needs(p, stored, ctx);
    return p;
}

Effects decide(const Plan& p,
               const std::optional<Session>& stored,
               const Reads& reads,
               const FlowContext& ctx) {
    Incoming in = p.in;
    if (!text::char_count(in.text)) {
        in.text.clear();  // not UTF-8: treated as an empty answer, which every field refuses
    }
    Flow f{in, ctx, p.person, p.locale, p.needs, reads, {}};
    if (p.expired) {
        f.fx.op = SessionOp::erase;  // an expired draft is gone
    }
    switch (p.route) {
        case Route::over_form:
        case Route::outside:
            run_row(f, p.command);
            break;
        case Route::form:
            form::step(f, *stored, p.command);
            break;
        case Route::too_long:
            f.say(f.m("err.message_too_long", {{"max", std::to_string(kMaxTextBytes / 3)}}));
            break;
        case Route::silent:
            break;  // not for us, and nothing in progress
        case Route::page:
            page::post(f, stored, *in.form);
            break;
    }
    modes::settle(p, f.fx, ctx);
    // Coordinators who asked to hear of every new report in their scope (docs/desk.md, "Notices").
    if (const auto* sub = f.fx.find<Submission>()) {
        for (auto& m : desk::arrival_notices(ctx, *sub, in.bot_id)) {
            f.fx.changes.emplace_back(Notice{std::move(m)});
        }
    }
    return std::move(f.fx);
}

std::string strip_mentions(std::string_view raw, const std::vector<std::string>& bot_names) {
    std::string s(raw);
    for (const auto& name : bot_names) {
        for (const std::string at : {"@", "＠"}) {
            const std::string mention = at + name;
            for (auto pos = s.find(mention); pos != std::string::npos; pos = s.find(mention)) {
                s.erase(pos, mention.size());
            }
        }
    }
    return text::trim(s);
}

std::size_t number_end(std::string_view arg) {
    return std::min({arg.find(' '), arg.find(','), arg.find("、"), arg.find('\n')});
}

std::string report_number(std::string_view arg) {
    const std::string folded = text::fold_width(text::trim(arg));
    std::string n = folded.substr(0, number_end(folded));
    std::transform(n.begin(), n.end(), n.begin(), [](char ch) {
        return static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    });
    return n;
}

const ConversationSettings& default_settings() {
    static const ConversationSettings kDefaults;
    return kDefaults;
}

std::string locale_for(const Person* person, std::string_view bot_locale) {
    if (person != nullptr && !person->locale.empty()) {
        return person->locale;
    }
    return bot_locale.empty() ? std::string(kDefaultLocale) : std::string(bot_locale);
}

}  // namespace bot::handlers
