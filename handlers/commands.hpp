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
struct Command;

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

/// What the router reads from the store before deciding (handlers/effects.hpp Needs).
enum class Need { none, report, boards, digest };

/// One row of the command table.
struct CommandSpec {
    std::string_view name;                ///< stable id, for logs and tests
    std::vector<std::string_view> words;  ///< zh first, then en and aliases (matched after normalising)
    Arg arg = Arg::none;
    Allowed allowed = Allowed::anyone;
    InForm in_form = InForm::form;
    Need need = Need::none;
    bool wakes_draft = false;             ///< acts on an idle draft (others are told how to go on)
    std::string_view help_key;            ///< catalogue key of its help line ("" : not listed)
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

/// What deciding `in` needs read from the store (pure: the router reads it, then calls decide).
Needs needs(const Incoming& in, const std::optional<Session>& session, const FlowContext& ctx);

/// The pure conversation step: one message, the sender's session, what the router read for
/// `needs()`, and the context → what to say and what to store.
Effects decide(const Incoming& in,
               const std::optional<Session>& session,
               const Reads& reads,
               const FlowContext& ctx);

/// Removes @-mentions of the bot ("@联络员助手", full-width "＠" too) and surrounding spaces.
std::string strip_mentions(std::string_view text, const std::vector<std::string>& bot_names);

}  // namespace bot::handlers
