// Conversations in progress (sessions): one JSON state per (bot, chat, user), the recent ones kept
// in memory as well (write-through; tx.hpp says when they are forgotten).
#include "bot/store/sqlite/tx.hpp"

namespace bot::store::sqlite {
void SqliteSessions::keep(std::string key, std::optional<std::string> state) {
    const auto [it, fresh] = kept_.insert_or_assign(std::move(key), std::move(state));
    if (!fresh) {
        return;
    }
    kept_order_.push_back(it->first);
    if (kept_order_.size() > kKept) {
        kept_.erase(kept_order_.front());
        kept_order_.pop_front();
    }
}

void SqliteSessions::forget_cached() noexcept {
    kept_.clear();
    kept_order_.clear();
}

result<std::optional<std::string>> SqliteSessions::load(const SessionKey& key) {
    std::string k = key.flat();
    if (const auto it = kept_.find(k); it != kept_.end()) {
        return it->second;
    }
    auto loaded =
        db_.text_of("load_session",
                    "SELECT state FROM sessions WHERE bot_id = ?1 AND chat_id = ?2 AND user_id = ?3",
                    key.bot_id,
                    key.chat_id,
                    key.user_id);
    if (loaded) {
        keep(std::move(k), *loaded);
    }
    return loaded;
}

result<void> SqliteSessions::save(const SessionKey& key, std::string_view state, TimePoint now) {
    auto saved = db_.run(
        "save_session",
        "INSERT INTO sessions(bot_id, chat_id, user_id, state, updated_at) VALUES (?1, ?2, ?3, ?4, ?5) "
        "ON CONFLICT(bot_id, chat_id, user_id) DO UPDATE SET state = excluded.state, updated_at = "
        "excluded.updated_at",
        key.bot_id,
        key.chat_id,
        key.user_id,
        state,
        now);
    if (saved) {
        keep(key.flat(), std::string(state));
    }
    return saved;
}

result<void> SqliteSessions::erase(const SessionKey& key) {
    auto erased = db_.run("delete_session",
                          "DELETE FROM sessions WHERE bot_id = ?1 AND chat_id = ?2 AND user_id = ?3",
                          key.bot_id,
                          key.chat_id,
                          key.user_id);
    if (erased) {
        keep(key.flat(), std::nullopt);
    }
    return erased;
}

result<std::uint64_t> SqliteSessions::forget_before(TimePoint before) {
    forget_cached();
    return db_.exec("forget_sessions", "DELETE FROM sessions WHERE updated_at < ?1", before);
}

}  // namespace bot::store::sqlite
