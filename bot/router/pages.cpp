#include "bot/router/pages.hpp"

#include "bot/outbox/plan.hpp"
#include "handlers/catalog.hpp"
#include "handlers/commands.hpp"

namespace bot::router::pages {
namespace {

/// "第 1/3 页" footer; `total` pages.
std::string footer(std::string_view locale, std::size_t page, std::size_t total) {
    return handlers::msg(locale,
                         page < total ? "pages.more" : "pages.last",
                         {{"page", std::to_string(page)}, {"total", std::to_string(total)}});
}

}  // namespace

store::SessionKey key(std::string_view bot, std::string_view chat, std::string_view user) {
    return {std::string(bot), std::string(chat), std::string(user)};
}

bool asks_next(std::string_view text, const std::vector<std::string>& bot_names) {
    // The command table's rows: 下一页 (next_page), and 继续 (resume) while pages wait.
    const auto command = handlers::parse_command(handlers::strip_mentions(text, bot_names));
    return command && command->second.empty() &&
           (command->first->id == handlers::Cmd::next_page || command->first->id == handlers::Cmd::resume);
}

std::vector<std::string> paginate(handlers::Effects& fx, std::size_t budget, std::string_view locale) {
    if (fx.replies.empty()) {
        return {};
    }
    std::string all;
    for (const auto& r : fx.replies) {
        all += (all.empty() ? "" : "\n\n") + r.text;
    }
    if (all.size() <= budget) {
        return {};
    }
    auto parts = outbox::split_text(all, budget);
    const std::size_t total = parts.size();
    // Each waiting page carries its number: "第 2/3 页" is known now, not when it is asked for.
    for (std::size_t i = 1; i < total; ++i) {
        parts[i] += "\n" + footer(locale, i + 1, total);
    }
    Message first = fx.replies.front();
    first.text = parts.front() + "\n" + footer(locale, 1, total);
    first.doc.reset();  // a page is plain text: the doc would render every page at once
    fx.replies = {std::move(first)};
    return {parts.begin() + 1, parts.end()};
}

result<std::optional<Message>> next(store::Tx& tx, const store::SessionKey& where) {
    auto page = tx.pages().take(where);
    if (!page) {
        return page.error();
    }
    if (!*page) {
        return std::optional<Message>();
    }
    return std::optional<Message>(Message{.text = std::move(**page)});
}

result<void> keep(store::Tx& tx,
                  const store::SessionKey& where,
                  const std::vector<std::string>& rest,
                  TimePoint now) {
    return tx.pages().keep(where, rest, now);
}

std::size_t budget(const handlers::ConversationSettings& settings, std::string_view bot) {
    const auto it = settings.page_bytes.find(bot);
    return it == settings.page_bytes.end() ? 0 : it->second;
}

result<std::optional<Message>> answer_next(store::Tx& tx,
                                           const handlers::ConversationSettings& settings,
                                           const InboundEvent& event) {
    if (budget(settings, event.bot_id) == 0 || !asks_next(event.text, settings.bot_names)) {
        return std::optional<Message>();
    }
    // The waiting pages carry their footers already: no roster lookup, no plan.
    auto page = next(tx, key(event.bot_id, event.chat_id, event.user_id));
    if (page && *page) {
        (*page)->mention_user_id = event.user_id;
        (*page)->mention_name = event.user_name;
    }
    return page;
}

result<void> shape(store::Tx& tx,
                   const handlers::ConversationSettings& settings,
                   const InboundEvent& event,
                   handlers::Effects& fx,
                   std::string_view locale,
                   TimePoint now) {
    const std::size_t page = budget(settings, event.bot_id);
    if (page == 0) {
        return {};
    }
    const auto rest = paginate(fx, page, locale);
    return rest.empty() ? result<void>{}
                        : keep(tx, key(event.bot_id, event.chat_id, event.user_id), rest, now);
}

}  // namespace bot::router::pages
