#pragma once

#include "bot/usecases/deps.hpp"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

/// Messages decided once by their key and queued: the reminder ladder, 催报, the digest, the
/// review line — whichever door asked for them.
namespace bot::usecase {

/// What deciding a list of sends did.
struct SendCounts {
    int queued = 0;      ///< messages put in the outbox
    int skipped = 0;     ///< sends recorded as skipped (missed by more than the catch-up window)
    int unroutable = 0;  ///< sends whose bot cannot post unasked (recorded, not queued)
};

/// The context reminders are composed in, with the accounts bound in chat (read once per unit).
result<handlers::ReminderContext> reminder_context(const Deps& deps, store::Tx& tx);

/// Decides each send once by its key (an earlier tick, a restart or another process may have):
/// queues the messages of the ones decided "sent" now; `skip` records them as skipped, and a bot
/// that cannot post unasked as unroutable.
result<void> queue_sends(const Deps& deps,
                         store::Tx& tx,
                         const std::vector<handlers::Send>& sends,
                         bool skip,
                         TimePoint due,
                         TimePoint now,
                         SendCounts& counts);

/// Queues `doc` (in each chat's bot's locale) to each of `chats` (the digest now, from the API).
/// Returns how many rows.
result<int> post_to(const Deps& deps,
                    store::Tx& tx,
                    const std::vector<handlers::ChatTarget>& chats,
                    const std::string& key_prefix,
                    const std::function<Doc(std::string_view locale)>& doc,
                    TimePoint now);

}  // namespace bot::usecase
