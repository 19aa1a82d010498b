#pragma once

#include "bot/core/adapter.hpp"
#include "bot/core/store.hpp"
#include "bot/router/router.hpp"
#include "handlers/commands.hpp"

#include <optional>

/// The router's reads, each a small function over the transaction.
namespace bot::router::load {

/// Remembers the event's dedupe key; false when it was processed before (a platform's retry).
result<bool> remember(store::Tx& tx, const InboundEvent& event, TimePoint now, std::chrono::seconds ttl);

/// The (bot, chat, user) session as stored by the previous message (absent, or unreadable: logged);
/// parsed only when `memo` (optional) does not hold that very text.
result<std::optional<handlers::Session>> session(store::Tx& tx,
                                                 const store::SessionKey& key,
                                                 const SessionMemo* memo = nullptr);

/// What the plan's command row declared it needs (Plan::needs), read in the same transaction.
result<handlers::Reads> reads(const Deps& deps, store::Tx& tx, const handlers::Plan& plan, TimePoint now);

/// 新 that decide asked for (Effects::similar_wanted: a draft assessed without its earlier
/// reports): adds them (and the template's 范文, which a hint offers) to `reads`. False: none asked,
/// decide's effects stand; true: decide again with `reads`.
result<bool> similar_wanted(const Deps& deps,
                            store::Tx& tx,
                            const handlers::Plan& plan,
                            const handlers::Effects& fx,
                            handlers::Reads& reads);

}  // namespace bot::router::load
