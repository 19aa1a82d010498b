// Accounts bound to roster people through chat (bindings): pending → approved | refused.
#include "bot/store/sqlite/tx.hpp"

namespace bot::store::sqlite {
namespace {

/// A row of id, bot_id, user_id, user_name, person_id, chat_id, state, decided_by, requested_at,
/// decided_at.
BindingRecord read(const Stmt& r) {
    BindingRecord b;
    b.id = r.i64(0);
    b.bot_id = r.text(1);
    b.user_id = r.text(2);
    b.user_name = r.text(3);
    b.person_id = r.text(4);
    b.chat_id = r.text(5);
    b.state = r.text(6);
    b.decided_by = r.text(7);
    b.requested_at = r.time(8);
    b.decided_at = r.time(9);
    return b;
}

}  // namespace

result<std::int64_t> SqliteBindings::request(const BindingRecord& b, TimePoint now) {
    // A new request of the same account replaces its pending one (a typo in the name, a second
    // thought): the old one is refused by nobody, and approving it is refused as already decided.
    if (auto r = db_.run("replace_pending_binding",
                         "UPDATE bindings SET state = 'refused', decided_at = ?3 "
                         "WHERE bot_id = ?1 AND user_id = ?2 AND state = 'pending'",
                         b.bot_id,
                         b.user_id,
                         now);
        !r) {
        return r.error();
    }
    auto inserted =
        db_.run("request_binding",
                "INSERT INTO bindings(bot_id, user_id, user_name, person_id, chat_id, state, requested_at) "
                "VALUES (?1, ?2, ?3, ?4, ?5, 'pending', ?6)",
                b.bot_id,
                b.user_id,
                b.user_name,
                b.person_id,
                b.chat_id,
                now);
    if (!inserted) {
        return inserted.error();
    }
    return db_.last_insert_rowid();
}

result<std::optional<BindingRecord>> SqliteBindings::find(std::int64_t id) {
    auto st = db_.prepare("find_binding",
                          "SELECT id, bot_id, user_id, user_name, person_id, chat_id, state, decided_by, "
                          "requested_at, coalesce(decided_at, 0) FROM bindings WHERE id = ?1",
                          id);
    if (!st) {
        return st.error();
    }
    auto row = st->next();
    if (!row) {
        return row.error();
    }
    return *row ? std::optional<BindingRecord>(read(*st)) : std::nullopt;
}

result<std::optional<std::string>> SqliteBindings::person_of(std::string_view bot_id,
                                                             std::string_view user_id) {
    return db_.text_of(
        "bound_person",
        "SELECT person_id FROM bindings WHERE bot_id = ?1 AND user_id = ?2 AND state = 'approved'",
        bot_id,
        user_id);
}

result<std::optional<std::string>> SqliteBindings::account_of(std::string_view bot_id,
                                                              std::string_view person_id) {
    return db_.text_of(
        "bound_account",
        "SELECT user_id FROM bindings WHERE bot_id = ?1 AND person_id = ?2 AND state = 'approved' "
        "ORDER BY id LIMIT 1",
        bot_id,
        person_id);
}

result<bool> SqliteBindings::decide(std::int64_t id,
                                    std::string_view state,
                                    std::string_view by,
                                    TimePoint now) {
    auto changed = db_.exec("decide_binding",
                            "UPDATE bindings SET state = ?2, decided_by = ?3, decided_at = ?4 "
                            "WHERE id = ?1 AND state = 'pending'",
                            id,
                            state,
                            by,
                            now);
    if (!changed) {
        return error_of<bool>(changed);
    }
    return *changed == 1;
}

result<std::vector<BindingRecord>> SqliteBindings::pending(std::size_t limit) {
    return all_rows(
        db_.prepare("pending_bindings",
                    "SELECT id, bot_id, user_id, user_name, person_id, chat_id, state, decided_by, "
                    "requested_at, coalesce(decided_at, 0) FROM bindings "
                    "WHERE state = 'pending' ORDER BY requested_at, id LIMIT ?1",
                    limit),
        read);
}

result<std::vector<BindingRecord>> SqliteBindings::approved() {
    return all_rows(
        db_.prepare("approved_bindings",
                    "SELECT id, bot_id, user_id, user_name, person_id, chat_id, state, decided_by, "
                    "requested_at, coalesce(decided_at, 0) FROM bindings WHERE state = 'approved' "
                    "ORDER BY id"),
        read);
}

}  // namespace bot::store::sqlite
