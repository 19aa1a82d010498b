#include "handlers/commands.hpp"

#include "handlers/flow.hpp"
#include "templates/periods.hpp"
#include "templates/text.hpp"

#include <algorithm>
#include <cctype>

namespace bot::handlers {
namespace {

using templates::Template;
namespace text = templates::text;

bool is_coordinator(const Person* p) {
    return p != nullptr && p->role == Role::coordinator;
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
    std::string s(arg);
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

void start_form(Flow& f, const Command& c) {
    form::start(f, c.arg);
}

void open_report(Flow& f, const Command& c) {
    form::open_revision(f, c.arg);
}

/// 进度 [template]: the templates whose boards are shown; false (and the reply said) when the
/// argument names none of them.
bool status_templates(Flow& f, const Command& c, std::vector<const Template*>& list) {
    for (const auto& t : f.ctx.templates.all()) {
        if (t.applies_to_chat(f.in.chat_id)) {
            list.push_back(&t);
        }
    }
    if (c.arg.empty()) {
        return true;
    }
    const Template* t = form::pick_template(list, c.arg);
    list.clear();
    if (t == nullptr) {
        f.say(f.m("choose_invalid",
                  {{"options", form::template_options(f, f.ctx.templates.available(f.in.chat_id, ""))}}));
        return false;
    }
    list.push_back(t);
    return true;
}

void show_status(Flow& f, const Command& c) {
    std::vector<const Template*> list;
    if (!status_templates(f, c, list)) {
        return;
    }
    for (std::size_t i = 0; i < list.size() && i < f.reads.boards.size(); ++i) {
        const auto period = templates::period_for(*list[i], f.ctx.now, f.ctx.calendar);
        f.say(render_status(f.reads.boards[i], *list[i], period, f.locale));
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
    f.fx.remind = std::move(req);
}

/// 周报: the digest as the router read it, posted to the chat (no @-mention).
void post_digest(Flow& f, const Command& /*c*/) {
    if (!f.reads.digest.empty()) {  // empty: this installation has no scheduler to compose it
        f.fx.replies.push_back({f.reads.digest, "", ""});
    }
}

/// 请假 FROM [TO].
void record_leave(Flow& f, const Command& c) {
    constexpr int kMaxDays = 366;
    const templates::LocalDate today = templates::local_date(f.ctx.now, f.ctx.time_zone);
    const auto args = words(c.arg);
    std::optional<templates::LocalDate> from;
    std::optional<templates::LocalDate> to;
    if (args.size() == 1 || args.size() == 2) {
        from = templates::parse_date(args[0], today);
        to = args.size() == 2 ? templates::parse_date(args[1], today) : from;
    }
    if (!from || !to || to->iso() < from->iso() || to->iso() < today.iso()) {
        f.say(f.m("leave_usage"));
        return;
    }
    if (from->plus_days(kMaxDays).iso() <= to->iso()) {
        f.say(f.m("leave_too_long", {{"days", std::to_string(kMaxDays)}}));
        return;
    }
    f.fx.leave = LeaveChange{false, from->iso(), to->iso()};
    f.say(f.m("leave_recorded", {{"from", from->iso()}, {"to", to->iso()}}));
}

/// 销假 (the router says leave_none instead when nothing changed).
void end_leave(Flow& f, const Command& /*c*/) {
    f.fx.leave = LeaveChange{true, {}, {}};
    f.say(f.m("leave_ended"));
}

// ---- Routing ----

enum class Route { over_form, form, outside, silent };

struct Routed {
    Route route = Route::silent;
    Command command;
    bool expired = false;  ///< the stored session is an expired draft (erased)
};

/// Where a message goes: a command acting over the form, a step of the open form, a command or
/// help outside a form, or nowhere (not addressed to the bot, nothing in progress).
Routed route(const Incoming& in,
             const std::optional<Session>& stored,
             const FlowContext& ctx,
             const Person* person) {
    Routed r;
    if (auto parsed = parse_command(in.text)) {
        r.command = {parsed->first, std::move(parsed->second)};
    }
    if (const CommandSpec* spec = r.command.spec; spec != nullptr && spec->in_form != InForm::form) {
        const bool acts = spec->in_form == InForm::acts || !stored ||
                          (spec->in_form == InForm::if_allowed && allowed(*spec, person)) ||
                          (spec->in_form == InForm::with_argument && !r.command.arg.empty());
        if (acts) {
            r.route = Route::over_form;
            return r;
        }
    }
    r.expired = stored && ctx.now - stored->updated_at > ctx.draft_ttl;
    if (stored && !r.expired) {
        r.route = Route::form;
    } else {
        r.route = in.addressed ? Route::outside : Route::silent;
    }
    return r;
}

/// Runs a row outside a form (or over it): refused with the reason when the sender may not.
void run_row(Flow& f, const Command& c) {
    if (c.spec == nullptr || c.spec->outside == nullptr) {
        say_help(f, c);
        return;
    }
    if (!allowed(*c.spec, f.person)) {
        f.say(c.spec->allowed == Allowed::coordinator ? f.m("coordinators_only", {{"command", f.in.text}})
                                                      : f.m("not_on_roster"));
        return;
    }
    c.spec->outside(f, c);
}

const Reads kNoReads{};

}  // namespace

const std::vector<CommandSpec>& command_table() {
    // name, words, argument, who, in a form, needs, wakes a draft, help line, outside a form
    static const std::vector<CommandSpec> kTable{
        {"start", {"填报", "report"}, Arg::optional, Allowed::rostered, InForm::form, Need::none, false,
         "help.start", start_form, form::already_filling},
        {"back", {"上一步", "返回", "back"}, Arg::none, Allowed::anyone, InForm::form, Need::none, false,
         "help.back", nullptr, form::go_back},
        {"skip", {"跳过", "skip"}, Arg::none, Allowed::anyone, InForm::form, Need::none, false, "help.skip",
         nullptr, form::skip_item},
        {"edit_item", {"修改", "edit"}, Arg::glued, Allowed::anyone, InForm::form, Need::none, false,
         "help.edit_item", nullptr, form::edit},
        {"preview", {"预览", "preview"}, Arg::none, Allowed::anyone, InForm::form, Need::none, true,
         "help.preview", nullptr, form::preview},
        {"submit", {"提交", "submit"}, Arg::none, Allowed::anyone, InForm::form, Need::none, true,
         "help.submit", nullptr, form::submit_form},
        {"cancel", {"取消", "cancel"}, Arg::none, Allowed::anyone, InForm::form, Need::none, false,
         "help.cancel", say_nothing_to_continue, form::cancel},
        {"resume", {"继续", "continue"}, Arg::none, Allowed::anyone, InForm::form, Need::none, true,
         "help.resume", say_nothing_to_continue, form::resume},
        {"edit_report", {"修改", "edit"}, Arg::glued, Allowed::anyone, InForm::form, Need::report, false,
         "help.edit_report", open_report, form::already_filling},
        {"help", {"帮助", "help", "?"}, Arg::none, Allowed::anyone, InForm::form, Need::none, true, "",
         say_help, form::help},
        {"leave", {"请假", "leave"}, Arg::optional, Allowed::rostered, InForm::with_argument, Need::none,
         false, "help.leave", record_leave},
        {"end_leave", {"销假", "end leave"}, Arg::none, Allowed::rostered, InForm::acts, Need::none, false,
         "help.end_leave", end_leave},
        {"status", {"进度", "status"}, Arg::optional, Allowed::coordinator, InForm::acts, Need::boards, false,
         "help.status", show_status},
        {"remind", {"催报", "remind"}, Arg::optional, Allowed::coordinator, InForm::if_allowed, Need::none,
         false, "help.remind", remind},
        {"digest", {"周报", "digest"}, Arg::none, Allowed::coordinator, InForm::if_allowed, Need::digest,
         false, "help.digest", post_digest},
    };
    return kTable;
}

std::optional<std::pair<const CommandSpec*, std::string>> parse_command(std::string_view raw) {
    const std::string s = text::normalize(raw);
    for (const auto& spec : command_table()) {
        for (const std::string_view w : spec.words) {
            if (s == w && spec.arg != Arg::glued) {
                return std::pair{&spec, std::string()};
            }
            if (spec.arg == Arg::optional && s.size() > w.size() && s.starts_with(w) && s[w.size()] == ' ') {
                return std::pair{&spec, text::trim(s.substr(w.size()))};
            }
            if (spec.arg != Arg::glued || !s.starts_with(w)) {
                continue;
            }
            // 修改 / 修改 3 / 修改3 → a form item; 修改 R-2026-0001 → a stored report.
            const std::string arg = text::trim(s.substr(w.size()));
            const bool report_number = arg.size() > 2 && arg[0] == 'r' && arg[1] == '-';
            const bool digits = std::all_of(
                arg.begin(), arg.end(), [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)); });
            if (spec.name == "edit_report" && report_number) {
                std::string number = arg;
                std::transform(number.begin(), number.end(), number.begin(), [](char ch) {
                    return static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
                });
                return std::pair{&spec, number};
            }
            if (spec.name == "edit_item" && digits) {
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
    std::string out = msg(locale, "help.header", {{"commands", officer}}) + "\n" + msg(locale, "help.oneshot");
    out += "\n" + msg(locale, coordinator ? "help.coordinator" : "help.coordinator_hint", {{"commands", coord}});
    return out;
}

Needs needs(const Incoming& raw_in, const std::optional<Session>& stored, const FlowContext& ctx) {
    Incoming in = raw_in;
    in.text = strip_mentions(raw_in.text, ctx.bot_names);
    const Person* person = ctx.roster.person(in.user_id);
    const Routed r = route(in, stored, ctx, person);
    Needs n;
    const CommandSpec* spec = r.command.spec;
    if (spec == nullptr || spec->need == Need::none || !allowed(*spec, person) ||
        (r.route != Route::over_form && r.route != Route::outside)) {
        return n;
    }
    switch (spec->need) {
        case Need::report:
            n.report = r.command.arg;
            break;
        case Need::boards: {
            Flow f{in, ctx, person, locale_for(person, ctx.locale), kNoReads, {}};
            std::vector<const Template*> list;
            if (status_templates(f, r.command, list)) {
                for (const auto* t : list) {
                    n.boards.push_back(t->id);
                }
            }
            break;
        }
        case Need::digest:
            n.digest = true;
            break;
        case Need::none:
            break;
    }
    return n;
}

Effects decide(const Incoming& raw_in,
               const std::optional<Session>& stored,
               const Reads& reads,
               const FlowContext& ctx) {
    Incoming in = raw_in;
    in.text = strip_mentions(raw_in.text, ctx.bot_names);
    if (!text::char_count(in.text)) {
        in.text.clear();  // not UTF-8: treated as an empty answer, which every field refuses
    }
    const Person* person = ctx.roster.person(in.user_id);
    Flow f{in, ctx, person, locale_for(person, ctx.locale), reads, {}};
    const Routed r = route(in, stored, ctx, person);
    if (r.expired) {
        f.fx.op = SessionOp::erase;  // an expired draft is gone
    }
    switch (r.route) {
        case Route::over_form:
        case Route::outside:
            run_row(f, r.command);
            break;
        case Route::form:
            form::step(f, *stored, r.command);
            break;
        case Route::silent:
            break;  // not for us, and nothing in progress
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

std::string locale_for(const Person* person, std::string_view bot_locale) {
    if (person != nullptr && !person->locale.empty()) {
        return person->locale;
    }
    return bot_locale.empty() ? std::string(kDefaultLocale) : std::string(bot_locale);
}

}  // namespace bot::handlers
