#pragma once

#include "handlers/effects.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

/// The command table: one row per command. A command's words (zh and en, with aliases), its
/// argument, who may use it, how it behaves while a form is open, what it needs read from the
/// store, and the function that runs it are all in its row; the help text is generated from the
/// table. Adding a command: one row here (commands.cpp), one function, catalogue strings.
namespace bot::handlers {

struct Flow;
struct CommandSpec;
struct Plan;

enum class Arg {
    none,      ///< the words alone
    optional,  ///< the words, optionally a space and an argument
    glued,     ///< the words followed directly or after a space by the argument (修改3, 修改 R-…)
};

enum class Allowed {
    anyone,       ///< people not on the roster too
    rostered,     ///< people on the roster
    coordinator,  ///< coordinators on the roster
};

/// How a command behaves while the sender has a form session open.
enum class InForm {
    form,           ///< a step of the form (back, skip, …); outside a form its `outside` function runs
    acts,           ///< acts as a command (the form stays as it is)
    if_allowed,     ///< acts when the sender may use it; otherwise the words are an answer
    with_argument,  ///< acts when given an argument; otherwise the words are an answer
};

/// A parsed command: its row in the table (nullptr: not a command) and its argument.
struct Command {
    const CommandSpec* spec = nullptr;
    std::string arg;
};

/// One row of the command table.
struct CommandSpec {
    Cmd id;                               ///< what code compares
    std::string_view name;                ///< stable name, for logs, tests and catalogue keys
    std::vector<std::string_view> words;  ///< zh first, then en and aliases (matched after normalising)
    Arg arg = Arg::none;
    Allowed allowed = Allowed::anyone;
    InForm in_form = InForm::form;
    /// What it reads before it is decided: adds typed reads (read::*) to `Plan::needs`; called
    /// only when the sender may use it, outside a form or over it. nullptr: nothing.
    void (*reads)(Plan& p, const std::optional<Session>& stored, const FlowContext& ctx) = nullptr;
    bool wakes_draft = false;   ///< acts on an idle draft (others are told how to go on)
    std::string_view help_key;  ///< catalogue key of its help line ("" : not listed)
    /// Outside a form (and over it, unless `in_form` is `form`). nullptr: the general help.
    void (*outside)(Flow& f, const Command& c) = nullptr;
    /// A step of the open form at template `t` (InForm::form rows). nullptr: not a form step.
    void (*step)(Flow& f, const templates::Template& t, Session s, const Command& c) = nullptr;
};

/// Every command, in help order.
const std::vector<CommandSpec>& command_table();

/// The row whose words `text` is (after normalising), with its argument; nullopt: not a command.
/// A row with Arg::glued takes a number or a report number right after its word.
std::optional<std::pair<const CommandSpec*, std::string>> parse_command(std::string_view text);

/// The help text for a person of this role, generated from the table (zh-CN or en).
std::string help_text(std::string_view locale, bool coordinator);

/// Where a message goes: a command acting over the form, a step of the open form, a command or
/// help outside a form, or nowhere (not addressed to the bot, nothing in progress).
/// over_form: a command that acts whatever the form; form: a step of the open form; outside: a
/// command (or a hint) with no form open; too_long: the text was dropped, the sender is told the
/// limit; silent: not for us.
/// page: a report's form posted from the pages (page::post).
enum class Route { over_form, form, outside, too_long, silent, page };

/// One message, parsed and routed once: the router reads `needs`, then passes the plan to decide.
struct Plan {
    Incoming in;                     ///< @-mentions of the bot stripped; text not UTF-8 emptied
    const Person* person = nullptr;  ///< the sender on the roster, if they are
    std::string locale;              ///< the sender's, else the bot's
    Command command;
    Route route = Route::silent;
    bool expired = false;  ///< the stored session is an expired draft (to be erased)
    Needs needs;           ///< what deciding needs read from the store
};

/// Parses and routes `in` (pure).
Plan plan(const Incoming& in, const std::optional<Session>& session, const FlowContext& ctx);

/// The pure conversation step: the planned message, the sender's session, what the router read for
/// `plan.needs`, and the context → what to say and what to store.
Effects decide(const Plan& plan,
               const std::optional<Session>& session,
               const Reads& reads,
               const FlowContext& ctx);

/// The mode in effect for `bot`'s forms in `chat` (docs/conversation.md, "A quiet group"): the
/// roster's, where the bot can carry it out (a private message; the pages), else group.
ChatMode chat_mode(const FlowContext& ctx, std::string_view bot, std::string_view chat);

/// The chat a sender's session is kept under: "@<user>", their private conversation with the bot,
/// for a 1:1 message and in a chat whose forms go on privately; else the chat itself.
std::string session_chat(const FlowContext& ctx, const Incoming& in);

/// Where the first word of a command's argument ends: a space, a comma or 、 (npos: it is all one).
std::size_t number_end(std::string_view arg);

/// The report number a command names: its argument's first word, upper case ("r-2026-0001 意见" →
/// "R-2026-0001").
std::string report_number(std::string_view arg);

/// A stored answer as people read it: a choice's label, a unit's name, 是/否, a percentage.
std::string shown_value(const templates::Field& field,
                        const std::string& value,
                        const Roster& roster,
                        std::string_view locale);

/// Removes @-mentions of the bot ("@联络员助手", full-width "＠" too) and surrounding spaces.
std::string strip_mentions(std::string_view text, const std::vector<std::string>& bot_names);

}  // namespace bot::handlers
