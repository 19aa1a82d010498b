#pragma once

#include "bot/core/event.hpp"
#include "bot/core/store.hpp"
#include "handlers/effects.hpp"

#include <string>
#include <string_view>
#include <vector>

/// Replies that must arrive in one push per message (the WeCom AI bot's response_url works once):
/// when longer than the bot's page, the first page goes now with "reply 继续 for the next page",
/// and the rest waits in the store, one page per 继续 (docs/platforms/wecom.md).
namespace bot::router::pages {

/// Where the waiting pages of (bot, chat, user) are kept (store::Pages).
store::SessionKey key(std::string_view bot, std::string_view chat, std::string_view user);

/// Whether the message asks for the next page: the command rows next_page (下一页) and resume
/// (继续), @-mentions stripped.
bool asks_next(std::string_view text, const std::vector<std::string>& bot_names);

/// When the replies' text is over `budget` bytes: `fx.replies` becomes the first page (with its
/// footer, in `locale`) and the other pages are returned; else nothing changes and none are.
std::vector<std::string> paginate(handlers::Effects& fx, std::size_t budget, std::string_view locale);

/// The next waiting page as a reply (with its footer), taken from the store; nullopt when none
/// waits.
result<std::optional<Message>> next(store::Tx& tx, const store::SessionKey& where);

/// Stores `rest` as the waiting pages (replacing any), or clears them when empty.
result<void> keep(store::Tx& tx,
                  const store::SessionKey& where,
                  const std::vector<std::string>& rest,
                  TimePoint now);

/// The bot's page in bytes (its platform's Platform::reply_page_bytes); 0: its replies are not paged.
std::size_t budget(const handlers::ConversationSettings& settings, std::string_view bot);

/// 继续 to a bot whose replies are paged: the next waiting page, @-mentioning the sender; nullopt
/// when the bot is not paged, the message asks something else, or no page waits.
result<std::optional<Message>> answer_next(store::Tx& tx,
                                           const handlers::ConversationSettings& settings,
                                           const InboundEvent& event);

/// The reply-shaping step after decide and apply: replies over the bot's page become the first
/// page, the rest waits for 继续.
result<void> shape(store::Tx& tx,
                   const handlers::ConversationSettings& settings,
                   const InboundEvent& event,
                   handlers::Effects& fx,
                   std::string_view locale,
                   TimePoint now);

}  // namespace bot::router::pages
