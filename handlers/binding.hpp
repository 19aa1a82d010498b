#pragma once

#include "handlers/catalog.hpp"
#include "handlers/effects.hpp"

#include <optional>
#include <string>
#include <string_view>

/// 同意绑定 / 拒绝绑定's rule, for every front door (chat: binding.cpp; the desk: usecase::
/// decide_binding_request). Pure.
namespace bot::handlers::binding {

/// What deciding a binding request comes to: what the one deciding is told (a catalogue key and
/// its arguments) and, when it is decided, the change to record and the requester's notice.
struct Decision {
    std::string key;
    Args args{};
    std::optional<BindingChange> change{};  ///< set when decided
    std::optional<Message> notice{};        ///< to the requester where they asked; set when decided
};

/// "B3" or "3" → 3.
std::optional<std::int64_t> parse_id(std::string_view arg);

/// Whether `decider` sees a request for `p`: an officer of their scope (or no longer an officer on
/// the roster: the rule says so).
bool in_reach(const FlowContext& ctx, const Person& decider, const Person* p);

/// `decider` approves (or refuses) request `b`: it must be pending; its person must be an officer
/// still on the roster, within the decider's scope (else it is answered as not found), without an
/// account of the request's bot meanwhile (bound in chat, or given by the roster). The decider's
/// texts in `locale`, the requester's notice in `notice_locale`.
Decision rule(const FlowContext& ctx,
              const Person& decider,
              const StoredBinding& b,
              bool approve,
              std::string_view locale,
              std::string_view notice_locale);

}  // namespace bot::handlers::binding
