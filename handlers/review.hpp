#pragma once

#include "handlers/effects.hpp"

#include <string>
#include <string_view>
#include <variant>

/// 审核把关's rules, shared by the chat commands (通过 / 退回 / 采用, handlers/review.cpp) and the
/// admin API (POST /api/v1/reports/{number}/…): which decision is allowed on which report by whom,
/// and what the author is told. Pure, like the rest of handlers/.
namespace bot::handlers::review {

/// A reviewer's decision as asked for.
struct Ask {
    std::string action;     ///< approve, return, adopt
    std::string comment{};  ///< return: required
    std::string level{};    ///< adopt: one of review.adoption_levels
    std::string venue{};    ///< adopt: where it was used (optional)
};

/// Why a decision is refused; `text` says so in the asker's language.
struct Refusal {
    enum class Why { out_of_scope, illegal_transition, needs_comment, unknown_level, unknown_action };
    Why why;
    std::string text;
};

/// The change `ask` makes to `r`, or why not. `reviewer` null: no scope limit (an admin token of
/// the API); else a coordinator, limited to their scope. `adoptions`: the report's adoptions so far;
/// an adoption at a level and carrier it already has comes back with `repeat` set (nothing to apply).
std::variant<ReviewChange, Refusal> rule(const FlowContext& ctx,
                                         const Person* reviewer,
                                         const StoredReport& r,
                                         const Ask& ask,
                                         std::string_view locale,
                                         const std::vector<AdoptionLine>& adoptions = {});

/// Whether `word` is a report number (R-2026-0001, any case or width).
bool is_report_number(std::string_view word);

/// What the author of `r` is told of `change`, in the author's language: privately when the bot
/// the report was filed through can message them (`settings.direct_bots`), else in that chat
/// @-mentioning their account there. `bot_id`/`chat_id` (and `direct`) are set.
Message author_notice(const FlowContext& ctx, const StoredReport& r, const ReviewChange& change);

/// How the author hears of a decision.
enum class Told {
    own,        ///< the reviewer is the author: nobody else to tell
    here,       ///< a reply in the chat the decision was made in (where the report was filed)
    privately,  ///< a private message through the outbox
    there,      ///< in the chat where the report was filed, through the outbox
    cannot,     ///< the bot it was filed through cannot post unasked: nobody is told
};

struct Telling {
    Told how = Told::cannot;
    std::optional<Message> message{};  ///< the notice (here, privately, there)
    std::optional<Message> news{};     ///< an adoption's 喜报 for its group (ReviewChange::news)
};

/// How the author of `r` is told of `change` decided by `reviewer` in chat `here_bot`/`here_chat`
/// (empty: not in a chat — the API, the pages). The one rule of every front door.
Telling telling(const FlowContext& ctx,
                const Person* reviewer,
                const StoredReport& r,
                const ReviewChange& change,
                std::string_view here_bot = {},
                std::string_view here_chat = {});

}  // namespace bot::handlers::review
