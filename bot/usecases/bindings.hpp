#pragma once

#include "bot/usecases/deps.hpp"
#include "handlers/effects.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

/// Binding chat accounts to roster people (绑定 姓名, 同意绑定 / 拒绝绑定 B<id>;
/// docs/identity.md): the requests and decisions, audited, for every front door.
namespace bot::usecase {

/// The request with this id, as a decision reads it: with the account of the same bot already
/// bound to its person (approved since the request was made), which refuses it at the decision.
result<std::optional<handlers::StoredBinding>> find_binding(store::Tx& tx, std::int64_t id);

/// The pending requests, oldest first, at most `limit`.
result<std::vector<handlers::StoredBinding>> pending_bindings(store::Tx& tx, std::size_t limit);

/// 绑定 姓名: `account` (its bot, user, name and the chat it asked in) asks to be `person_id`,
/// pending a coordinator's decision; a pending request of the same account is replaced. Audited
/// (binding.requested). Returns the request's id.
result<std::int64_t> request_binding(store::Tx& tx,
                                     const Actor& actor,
                                     const store::BindingRecord& account,
                                     TimePoint now);

/// 同意绑定 / 拒绝绑定 B<id> by `actor`, audited (binding.approved or binding.refused). The rules
/// (who may, whether it is still pending, whether the person has an account already) are the
/// pure handlers::binding's, decided before; this records the outcome.
result<void> decide_binding(store::Tx& tx,
                            const Actor& actor,
                            std::int64_t id,
                            bool approve,
                            const std::string& person_id,
                            TimePoint now);

/// 同意绑定 / 拒绝绑定 B<id> from the desk: the request read, handlers::binding::rule with the actor
/// (a person) deciding, then recorded (decide_binding) and the requester told where they asked,
/// through the outbox, in their bot's locale. `line`: what the one deciding is told, in `locale`.
struct BindingDecided {
    std::string line;
    bool decided = false;
};
result<BindingDecided> decide_binding_request(const handlers::FlowContext& ctx,
                                              store::Tx& tx,
                                              const Actor& actor,
                                              std::int64_t id,
                                              bool approve,
                                              std::string_view locale);

}  // namespace bot::usecase
