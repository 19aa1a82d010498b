#pragma once

#include "bot/core/adapter.hpp"
#include "bot/core/event.hpp"
#include "bot/core/store.hpp"
#include "bot/router/router.hpp"

/// The router's writes: one small function per effect of handlers::Effects, each inside the
/// event's unit of work.
namespace bot::router::apply {

/// The event being applied, with what the plan found out about its sender.
struct Step {
    const InboundEvent& event;
    TimePoint now;
    const handlers::Person* person;  ///< the sender on the roster, or nullptr
    const std::string& locale;       ///< the sender's
};

/// 请假 / 销假 in the leaves table.
result<void> leave(const Deps& deps, store::Tx& tx, const Step& step, const handlers::Effects& fx);

/// 催报: the reminder round (rate limited per chat); its replies are added to `fx`.
result<void> remind(
    const Deps& deps, store::Tx& tx, const Step& step, handlers::Effects& fx, core::EventResult& out);

/// A new report (numbered R-<year>-<n>) or a revision; fills "{number}" and "{revision}" into the
/// replies.
result<void> report(store::Tx& tx, const Step& step, handlers::Effects& fx, core::EventResult& out);

/// 绑定: a new request (numbered B<id>, filled into the replies) or a coordinator's decision;
/// the notices to other chats go to the outbox.
result<void> binding(store::Tx& tx, const Step& step, handlers::Effects& fx, core::EventResult& out);

/// A review decision applied to the store, whichever door it came through (chat or the API): the
/// adoption of 采用 (by person id `by`), then the report's new status. The audit entry is the
/// caller's (`review_audit_after` says what it records).
result<void> decision(store::Tx& tx,
                      const handlers::ReviewChange& change,
                      const std::string& by,
                      TimePoint now);

/// What a decision's audit entry records as `after`: the comment, else the level and carrier, else
/// the new status.
std::string review_audit_after(const handlers::ReviewChange& change);

/// 通过 / 退回 / 采用 / 撤回: the report's new status (and its adoption).
result<void> review(store::Tx& tx, const Step& step, const handlers::Effects& fx, core::EventResult& out);

/// Messages to other chats (a decision's notice to the author or requester), through the outbox.
result<void> notices(store::Tx& tx, const Step& step, const handlers::Effects& fx, core::EventResult& out);

/// The audit entries of what this event changed (reports, reviews, bindings, a manual reminder),
/// in the same unit of work. Call after the effects were applied (it reads `out.happened`).
result<void> audit(store::Tx& tx,
                   const Step& step,
                   const handlers::Effects& fx,
                   const core::EventResult& out);

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
