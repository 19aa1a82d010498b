#pragma once

#include "bot/core/clock.hpp"

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace bot::handlers {

enum class Stage { choosing, filling, previewing };

/// One officer's conversation in one chat: stored as a row keyed by (bot, chat, user) after every
/// message, so a restart loses nothing.
struct Session {
    Stage stage = Stage::choosing;
    std::string template_id;
    int template_version = 0;
    std::size_t field_index = 0;                 ///< the field being asked (index in the template)
    std::map<std::string, std::string> answers;  ///< field id → normalized value
    int failures = 0;                            ///< consecutive invalid answers to this field
    bool back_to_preview = false;                ///< set by "edit N": answer, then preview again
    std::string revising;                        ///< number of the report being revised, if any
    /// The group a form continuing privately belongs to (its chat's mode is `private`): kept under
    /// the person's private conversation, it files its report in this group. Empty: the chat's own.
    std::string home;
    TimePoint started_at{};
    TimePoint updated_at{};

    bool operator==(const Session&) const = default;
};

std::string to_json(const Session& s);
/// `s` as session_from_json(to_json(s)) gives it back: its times to the millisecond.
Session as_stored(Session s);
/// nullopt when the stored text is not a session (it is then treated as absent).
std::optional<Session> session_from_json(std::string_view text);

}  // namespace bot::handlers
