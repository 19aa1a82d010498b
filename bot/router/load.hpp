#pragma once

#include "bot/core/adapter.hpp"
#include "bot/core/store.hpp"
#include "bot/router/router.hpp"
#include "handlers/commands.hpp"

#include <optional>

/// The router's reads, each a small function over the transaction.
namespace bot::router::load {

/// A stored report as the handlers read it (its fields parsed).
handlers::StoredReport to_stored(const store::ReportRecord& r);

/// Remembers the event's dedupe key; false when it was processed before (a platform's retry).
result<bool> remember(store::Tx& tx, const InboundEvent& event, TimePoint now, std::chrono::seconds ttl);

/// The (bot, chat, user) session as stored by the previous message (absent, or unreadable: logged);
/// parsed only when `memo` (optional) does not hold that very text.
result<std::optional<handlers::Session>> session(store::Tx& tx,
                                                 const store::SessionKey& key,
                                                 const SessionMemo* memo = nullptr);

/// What the plan's command row declared it needs (Plan::needs), read in the same transaction.
result<handlers::Reads> reads(const Deps& deps, store::Tx& tx, const handlers::Plan& plan, TimePoint now);

}  // namespace bot::router::load
