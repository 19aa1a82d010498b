#pragma once

#include "bot/usecases/deps.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

/// 催报 in chat and POST /api/v1/remind: the officers who have not reported are reminded now.
namespace bot::usecase {

struct RemindAsk {
    std::vector<std::string> templates;  ///< template ids (unknown ones are passed over)
    std::vector<std::string> units;      ///< unit ids; empty: every unit the actor sees
    std::string limit_scope;             ///< the rate limit's key: "chat/<bot>/<chat>", "api"
    std::string audit_target;            ///< the audit entry's target: the chat, "api"
};

struct Reminded {
    enum class Refused { none, unknown_unit, out_of_scope, too_soon };
    Refused refused = Refused::none;
    std::string unit{};                          ///< the unit refused (unknown_unit, out_of_scope)
    std::optional<std::chrono::seconds> wait{};  ///< too_soon: how long until it may be asked again
    std::vector<std::string> replies{};          ///< what to answer, in the asked locale
    int people = 0;                              ///< officers reminded
    int queued = 0;                              ///< messages queued
};

/// Reminds the missing officers of `ask.templates` in `ask.units` (within what `actor` sees:
/// Roster::visible_units), at most once per `remind_cooldown` per `limit_scope`; audited as
/// remind.manual when it ran. Answers in `locale`.
result<Reminded> remind(const Deps& deps,
                        store::Tx& tx,
                        const Actor& actor,
                        const RemindAsk& ask,
                        TimePoint now,
                        std::string_view locale);

}  // namespace bot::usecase
