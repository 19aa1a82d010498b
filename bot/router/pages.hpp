#pragma once

#include "bot/core/store.hpp"
#include "handlers/effects.hpp"

#include <string>
#include <string_view>
#include <vector>

/// Replies that must arrive in one push per message (the WeCom AI bot's response_url works once):
/// when longer than the bot's page, the first page goes now with "reply 继续 for the next page",
/// and the rest waits in the store, one page per 继续 (docs/platforms/wecom.md).
namespace bot::router::pages {

/// Where the waiting pages of (bot, chat, user) are kept: a sessions row of their own.
store::SessionKey key(std::string_view bot, std::string_view chat, std::string_view user);

/// Whether the message asks for the next page (继续, 下一页, next, more; @-mentions stripped).
bool asks_next(std::string_view text, const std::vector<std::string>& bot_names);

/// When the replies' text is over `budget` bytes: `fx.replies` becomes the first page (with its
/// footer, in `locale`) and the other pages are returned; else nothing changes and none are.
std::vector<std::string> paginate(handlers::Effects& fx, std::size_t budget, std::string_view locale);

/// The next waiting page as a reply (with its footer), the rest stored again; nullopt when none
/// waits.
result<std::optional<Message>> next(store::Tx& tx, const store::SessionKey& where, TimePoint now);

/// Stores `rest` as the waiting pages (replacing any), or clears them when empty.
result<void> keep(store::Tx& tx,
                  const store::SessionKey& where,
                  const std::vector<std::string>& rest,
                  TimePoint now);

}  // namespace bot::router::pages
