// Replies waiting for 继续 (waiting_pages): one row per page, in order, per (bot, chat, user).
#include "bot/store/sqlite/tx.hpp"

namespace bot::store::sqlite {

result<void> SqlitePages::keep(const SessionKey& key, std::span<const std::string> pages, TimePoint now) {
    auto cleared = db_.run("clear_pages",
                           "DELETE FROM waiting_pages WHERE bot_id = ?1 AND chat_id = ?2 AND user_id = ?3",
                           key.bot_id,
                           key.chat_id,
                           key.user_id);
    if (!cleared) {
        return cleared;
    }
    for (std::size_t i = 0; i < pages.size(); ++i) {
        auto kept = db_.run("keep_page",
                            "INSERT INTO waiting_pages(bot_id, chat_id, user_id, seq, text, created_at) "
                            "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                            key.bot_id,
                            key.chat_id,
                            key.user_id,
                            i,
                            pages[i],
                            now);
        if (!kept) {
            return kept;
        }
    }
    return {};
}

result<std::optional<std::string>> SqlitePages::take(const SessionKey& key) {
    auto st = db_.prepare("next_page",
                          "SELECT seq, text FROM waiting_pages WHERE bot_id = ?1 AND chat_id = ?2 AND "
                          "user_id = ?3 ORDER BY seq LIMIT 1",
                          key.bot_id,
                          key.chat_id,
                          key.user_id);
    if (!st) {
        return st.error();
    }
    auto row = st->next();
    if (!row) {
        return row.error();
    }
    if (!*row) {
        return std::optional<std::string>();
    }
    const std::int64_t seq = st->i64(0);
    std::string text = st->text(1);
    auto taken = db_.run("take_page",
                         "DELETE FROM waiting_pages WHERE bot_id = ?1 AND chat_id = ?2 AND user_id = ?3 "
                         "AND seq = ?4",
                         key.bot_id,
                         key.chat_id,
                         key.user_id,
                         seq);
    if (!taken) {
        return taken.error();
    }
    return std::optional<std::string>(std::move(text));
}

result<std::uint64_t> SqlitePages::forget_before(TimePoint before) {
    return db_.exec("forget_pages", "DELETE FROM waiting_pages WHERE created_at < ?1", before);
}

}  // namespace bot::store::sqlite
