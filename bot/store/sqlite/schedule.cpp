// The scheduler's memory: decided sends (scheduled_sends), named values (scheduler_state), leases.
#include "bot/store/sqlite/tx.hpp"

namespace bot::store::sqlite {

result<bool> SqliteSchedule::decide_send(
    std::string_view key, std::string_view state, TimePoint due_at, TimePoint now, int messages) {
    if (key.empty()) {
        return errc::invalid_argument;
    }
    auto changed = db_.exec("decide_send",
                            "INSERT INTO scheduled_sends(send_key, state, due_at, decided_at, messages) "
                            "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(send_key) DO NOTHING",
                            key,
                            state,
                            due_at,
                            now,
                            messages);
    if (!changed) {
        return error_of<bool>(changed);
    }
    return *changed > 0;
}

result<std::optional<std::string>> SqliteSchedule::load_value(std::string_view name) {
    return db_.text_of("load_value", "SELECT value FROM scheduler_state WHERE name = ?1", name);
}

result<void> SqliteSchedule::save_value(std::string_view name, std::string_view value, TimePoint now) {
    return db_.run("save_value",
                   "INSERT INTO scheduler_state(name, value, updated_at) VALUES (?1, ?2, ?3) "
                   "ON CONFLICT(name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                   name,
                   value,
                   now);
}

result<bool> SqliteSchedule::acquire_lease(std::string_view name,
                                           std::string_view holder,
                                           TimePoint now,
                                           TimePoint until) {
    auto changed = db_.exec("acquire_lease",
                            "INSERT INTO leases(name, holder, expires_at) VALUES (?1, ?2, ?4) "
                            "ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, "
                            "expires_at = excluded.expires_at "
                            "WHERE leases.holder = excluded.holder OR leases.expires_at <= ?3",
                            name,
                            holder,
                            now,
                            until);
    if (!changed) {
        return error_of<bool>(changed);
    }
    return *changed > 0;
}

result<std::optional<Schedule::Lease>> SqliteSchedule::lease(std::string_view name) {
    auto st = db_.prepare("read_lease", "SELECT holder, expires_at FROM leases WHERE name = ?1", name);
    if (!st) {
        return st.error();
    }
    auto row = st->next();
    if (!row) {
        return row.error();
    }
    if (!*row) {
        return std::optional<Lease>();
    }
    return std::optional<Lease>(Lease{st->text(0), st->time(1)});
}

}  // namespace bot::store::sqlite
