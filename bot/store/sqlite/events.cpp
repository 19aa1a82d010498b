// Deduplication of platform events (processed_events) and the readiness ping.
#include "bot/store/sqlite/tx.hpp"

namespace bot::store {
namespace sqlite {

result<bool> SqliteEvents::remember(std::string_view key, TimePoint now, TimePoint expires_at) {
    if (key.empty()) {
        return errc::invalid_argument;
    }
    // A row that exists but expired before `now` is taken over; a live row makes this a duplicate.
    auto changed = db_.exec(
        "remember_event",
        "INSERT INTO processed_events(event_key, seen_at, expires_at) VALUES (?1, ?2, ?3) "
        "ON CONFLICT(event_key) DO UPDATE SET seen_at = excluded.seen_at, expires_at = excluded.expires_at "
        "WHERE processed_events.expires_at <= ?2",
        key,
        now,
        expires_at);
    if (!changed) {
        return error_of<bool>(changed);
    }
    return *changed > 0;
}

result<std::uint64_t> SqliteEvents::forget_expired(TimePoint now) {
    return db_.exec("forget_expired_events", "DELETE FROM processed_events WHERE expires_at <= ?1", now);
}

result<bool> SqliteEvents::seen(std::string_view key, TimePoint now) {
    auto st = db_.prepare(
        "event_seen", "SELECT 1 FROM processed_events WHERE event_key = ?1 AND expires_at > ?2", key, now);
    if (!st) {
        return error_of<bool>(st);
    }
    return st->next();
}

}  // namespace sqlite

result<void> SqliteTx::ping() {
    auto st = db_.prepare("ping", "SELECT count(*) FROM schema_migrations");
    if (!st) {
        return st.error();
    }
    auto row = st->next();
    if (!row) {
        return row.error();
    }
    return {};
}

}  // namespace bot::store
