// Sign-in links and browser sessions of the pages (web_links, web_sessions): each kept as the
// SHA-256 of its secret only.
#include "bot/store/sqlite/tx.hpp"

namespace bot::store::sqlite {

result<void> SqliteWeb::add_link(const SignInLink& link) {
    return db_.run("add_web_link",
                   "INSERT INTO web_links(hash, person_id, bot_id, chat_id, user_id, created_at, expires_at) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                   link.hash,
                   link.person_id,
                   link.chat.bot_id,
                   link.chat.chat_id,
                   link.chat.user_id,
                   link.created_at,
                   link.expires_at);
}

result<std::optional<SignInLink>> SqliteWeb::use_link(std::string_view hash, TimePoint now) {
    // One statement marks it used and returns it: a link opened twice at once is used once.
    return only_row(
        db_.prepare("use_web_link",
                    "UPDATE web_links SET used_at = ?2 WHERE hash = ?1 AND used_at IS NULL AND "
                    "expires_at > ?2 RETURNING person_id, bot_id, chat_id, user_id, created_at, expires_at",
                    hash,
                    now),
        [hash](const Stmt& r) {
            return SignInLink{.hash = std::string(hash),
                              .person_id = r.text(0),
                              .chat = {r.text(1), r.text(2), r.text(3)},
                              .created_at = r.time(4),
                              .expires_at = r.time(5)};
        });
}

result<void> SqliteWeb::add_session(const WebSession& s) {
    return db_.run(
        "add_web_session",
        "INSERT INTO web_sessions(hash, person_id, bot_id, chat_id, user_id, csrf, created_at, seen_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        s.hash,
        s.person_id,
        s.chat.bot_id,
        s.chat.chat_id,
        s.chat.user_id,
        s.csrf,
        s.created_at,
        s.seen_at);
}

result<std::optional<WebSession>> SqliteWeb::session(std::string_view hash,
                                                     TimePoint idle_since,
                                                     TimePoint now) {
    return only_row(
        db_.prepare("web_session",
                    "UPDATE web_sessions SET seen_at = ?3 WHERE hash = ?1 AND revoked_at IS NULL AND "
                    "seen_at >= ?2 RETURNING person_id, bot_id, chat_id, user_id, csrf, created_at",
                    hash,
                    idle_since,
                    now),
        [hash, now](const Stmt& r) {
            return WebSession{.hash = std::string(hash),
                              .person_id = r.text(0),
                              .chat = {r.text(1), r.text(2), r.text(3)},
                              .csrf = r.text(4),
                              .created_at = r.time(5),
                              .seen_at = now};
        });
}

result<bool> SqliteWeb::revoke(std::string_view hash, TimePoint now) {
    auto n = db_.exec("revoke_web_session",
                      "UPDATE web_sessions SET revoked_at = ?2 WHERE hash = ?1 AND revoked_at IS NULL",
                      hash,
                      now);
    if (!n) {
        return result<bool>(boost::system::in_place_error, n.error());
    }
    return *n > 0;
}

result<std::uint64_t> SqliteWeb::revoke_person(std::string_view person_id, TimePoint now) {
    return db_.exec("revoke_web_person",
                    "UPDATE web_sessions SET revoked_at = ?2 WHERE person_id = ?1 AND revoked_at IS NULL",
                    person_id,
                    now);
}

result<std::uint64_t> SqliteWeb::forget_before(TimePoint before) {
    auto links = db_.exec("forget_web_links", "DELETE FROM web_links WHERE expires_at < ?1", before);
    if (!links) {
        return links;
    }
    auto sessions = db_.exec(
        "forget_web_sessions", "DELETE FROM web_sessions WHERE coalesce(revoked_at, seen_at) < ?1", before);
    if (!sessions) {
        return sessions;
    }
    return *links + *sessions;
}

result<void> SqliteWeb::add_upload(const Upload& u) {
    return db_.run("add_web_upload",
                   "INSERT INTO web_uploads(id, person_id, mime, sha256, size, bytes, created_at) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                   u.id,
                   u.person_id,
                   u.mime,
                   u.sha256,
                   u.bytes.size(),
                   Blob{u.bytes},
                   u.created_at);
}

result<std::optional<Upload>> SqliteWeb::upload(std::string_view id) {
    return only_row(
        db_.prepare("web_upload",
                    "SELECT person_id, mime, sha256, bytes, created_at FROM web_uploads WHERE id = ?1",
                    id),
        [id](const Stmt& r) {
            return Upload{.id = std::string(id),
                          .person_id = r.text(0),
                          .mime = r.text(1),
                          .sha256 = r.text(2),
                          .bytes = r.blob(3),
                          .created_at = r.time(4)};
        });
}

result<std::uint64_t> SqliteWeb::uploads_since(std::string_view person_id, TimePoint since) {
    auto n =
        only_row(db_.prepare("web_uploads_since",
                             "SELECT count(*) FROM web_uploads WHERE person_id = ?1 AND created_at >= ?2",
                             person_id,
                             since),
                 [](const Stmt& r) { return static_cast<std::uint64_t>(r.i64(0)); });
    return n ? result<std::uint64_t>(n->value_or(0)) : result<std::uint64_t>(n.error());
}

}  // namespace bot::store::sqlite
