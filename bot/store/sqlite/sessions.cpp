// Conversations in progress (sessions): one JSON state per (bot, chat, user).
#include "bot/store/sqlite/tx.hpp"

namespace bot::store::sqlite {

result<std::optional<std::string>> SqliteSessions::load(const SessionKey& key) {
    return db_.text_of("load_session",
                       "SELECT state FROM sessions WHERE bot_id = ?1 AND chat_id = ?2 AND user_id = ?3",
                       key.bot_id,
                       key.chat_id,
                       key.user_id);
}

result<void> SqliteSessions::save(const SessionKey& key, std::string_view state, TimePoint now) {
    return db_.run(
        "save_session",
        "INSERT INTO sessions(bot_id, chat_id, user_id, state, updated_at) VALUES (?1, ?2, ?3, ?4, ?5) "
        "ON CONFLICT(bot_id, chat_id, user_id) DO UPDATE SET state = excluded.state, updated_at = "
        "excluded.updated_at",
        key.bot_id,
        key.chat_id,
        key.user_id,
        state,
        now);
}

result<void> SqliteSessions::erase(const SessionKey& key) {
    return db_.run("delete_session",
                   "DELETE FROM sessions WHERE bot_id = ?1 AND chat_id = ?2 AND user_id = ?3",
                   key.bot_id,
                   key.chat_id,
                   key.user_id);
}

result<std::uint64_t> SqliteSessions::forget_before(TimePoint before) {
    return db_.exec("forget_sessions", "DELETE FROM sessions WHERE updated_at < ?1", before);
}

}  // namespace bot::store::sqlite
