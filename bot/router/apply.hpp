#pragma once

#include "bot/core/adapter.hpp"
#include "bot/core/event.hpp"
#include "bot/core/store.hpp"
#include "bot/router/router.hpp"

/// The router's writes, inside the event's unit of work: the changes (one overload per type), the
/// session, the replies.
namespace bot::router::apply {

/// The event being applied, with what the plan found out about its sender.
struct Step {
    const InboundEvent& event;
    TimePoint now;
    const handlers::Person* person;  ///< the sender on the roster, or nullptr
    const std::string& locale;       ///< the sender's
    /// The chat the message's form belongs to: the event's, or the group of a form that goes on in
    /// the person's private chat (its report is filed there).
    std::string_view chat = {};
    std::string_view form_chat() const { return chat.empty() ? std::string_view(event.chat_id) : chat; }
};

/// The sender as the use cases and the audit log see them.
usecase::Actor actor(const Step& step);

/// Every change the step decided (handlers::Effects::changes), in order, each with its audit
/// entries: one visit, one overload per type (apply.cpp, `Applier`).
result<void> changes(
    const Deps& deps, store::Tx& tx, const Step& step, handlers::Effects& fx, core::EventResult& out);

/// The session's new state: saved, erased or kept; a saved one is also kept parsed in `memo`
/// (optional), with the text it was saved as.
result<void> session(store::Tx& tx,
                     const store::SessionKey& key,
                     TimePoint now,
                     const handlers::Effects& fx,
                     SessionMemo* memo = nullptr);

/// The replies: rows in the outbox (ReplyRoute::outbox), and handed back in `out` either way.
result<void> replies(
    store::Tx& tx, const Step& step, core::ReplyRoute route, handlers::Effects& fx, core::EventResult& out);

}  // namespace bot::router::apply
