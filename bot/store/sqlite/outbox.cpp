// Outgoing messages (outbox): pending → sending → sent | failed, in order within a queue (a chat's,
// or one message's replies to a URL of its own).
#include "bot/store/sqlite/tx.hpp"

#include <algorithm>

namespace bot::store::sqlite {

result<std::int64_t> SqliteOutbox::enqueue(const OutboxMessage& m, TimePoint now) {
    const std::string doc = m.message.doc ? to_json(*m.message.doc) : std::string();
    auto inserted = db_.run(
        "enqueue_message",
        "INSERT INTO outbox(bot_id, chat_id, mention_user_id, mention_name, text, context, state, attempts, "
        "next_attempt_at, last_error, created_at, direct, queue, doc) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', 0, "
        "  max(?7, coalesce((SELECT max(next_attempt_at) FROM outbox "
        "                    WHERE bot_id = ?1 AND queue = ?9 AND state IN ('pending', 'sending')), ?7)), "
        "  '', ?7, ?8, ?9, ?10)",
        m.message.bot_id,
        m.message.chat_id,
        m.message.mention_user_id,
        m.message.mention_name,
        m.message.text,
        m.context,
        now,
        m.message.direct,
        m.queue.empty() ? m.message.chat_id : m.queue,
        doc);
    if (!inserted) {
        return inserted.error();
    }
    return db_.last_insert_rowid();
}

namespace {

/// The rows of a claim's RETURNING (id, bot_id, chat_id, mention_user_id, mention_name, text,
/// context, attempts, last_error, created_at, next_attempt_at, direct, queue, batch, doc), by id.
result<std::vector<OutboxMessage>> claimed(Stmt& st) {
    std::vector<OutboxMessage> out;
    auto read = st.each([&out](const Stmt& r) {
        OutboxMessage m;
        m.id = r.i64(0);
        m.message.bot_id = r.text(1);
        m.message.chat_id = r.text(2);
        m.message.mention_user_id = r.text(3);
        m.message.mention_name = r.text(4);
        m.message.text = r.text(5);
        m.context = r.text(6);
        m.attempts = r.i32(7);
        m.last_error = r.text(8);
        m.created_at = r.time(9);
        m.next_attempt_at = r.time(10);
        m.message.direct = r.flag(11);
        m.queue = r.text(12);
        m.batch = r.i64(13);
        if (const std::string doc = r.text(14); !doc.empty()) {
            m.message.doc = doc_from_json(doc);  // written by enqueue: always one
        }
        out.push_back(std::move(m));
    });
    if (!read) {
        return read.error();
    }
    // RETURNING gives no order guarantee.
    std::sort(
        out.begin(), out.end(), [](const OutboxMessage& a, const OutboxMessage& b) { return a.id < b.id; });
    return out;
}

}  // namespace

result<std::vector<OutboxMessage>> SqliteOutbox::claim_due(TimePoint now,
                                                           std::size_t limit,
                                                           std::string_view holder) {
    // A chat whose oldest unsent message is not yet due sends nothing: order within a chat holds.
    // Oldest due first, in the pending index's own order (next_attempt_at, id): within a chat
    // next_attempt_at never decreases with id (enqueue and reschedule keep it so), so the limit
    // never takes a chat's later message without its earlier ones. INDEXED BY: ordered by id
    // alone, SQLite preferred to walk the whole table, every message ever sent (bench/run: the
    // claim was 40 % of the store thread).
    auto st = db_.prepare(
        "claim_due_messages",
        "UPDATE outbox SET state = 'sending', attempts = attempts + 1, holder = ?3 WHERE id IN ("
        "  SELECT o.id FROM outbox o INDEXED BY outbox_pending "
        "  WHERE o.state = 'pending' AND o.next_attempt_at <= ?1 "
        "  AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.bot_id = o.bot_id AND e.queue = o.queue "
        "                  AND e.id < o.id AND e.state IN ('pending', 'sending') AND e.next_attempt_at > ?1) "
        "  ORDER BY o.next_attempt_at, o.id LIMIT ?2) "
        "RETURNING id, bot_id, chat_id, mention_user_id, mention_name, text, context, attempts, last_error, "
        "created_at, next_attempt_at, direct, queue, batch, doc",
        now,
        limit,
        holder);
    if (!st) {
        return st.error();
    }
    return claimed(*st);
}

result<std::vector<OutboxMessage>> SqliteOutbox::claim_batch(std::int64_t batch, std::string_view holder) {
    // `batch != 0` repeats the partial index's condition: SQLite cannot prove it from `batch = ?1`
    // when preparing, and without it walked every pending row instead (with the platform down,
    // every row of every chat, at each retry round: 45 % of the store thread, ack p99 80–117 ms).
    auto st = db_.prepare(
        "claim_batch_messages",
        "UPDATE outbox SET state = 'sending', attempts = attempts + 1, holder = ?2 "
        "WHERE batch = ?1 AND batch != 0 AND state = 'pending' "
        "RETURNING id, bot_id, chat_id, mention_user_id, mention_name, text, context, attempts, last_error, "
        "created_at, next_attempt_at, direct, queue, batch, doc",
        batch,
        holder);
    if (!st) {
        return st.error();
    }
    return claimed(*st);
}

result<void> SqliteOutbox::set_batch(std::span<const std::int64_t> ids) {
    for (const std::int64_t id : ids) {
        if (auto r =
                db_.run("set_message_batch", "UPDATE outbox SET batch = ?2 WHERE id = ?1", id, ids.front());
            !r) {
            return r;
        }
    }
    return {};
}

result<std::uint64_t> SqliteOutbox::release(std::string_view bot_id, TimePoint now) {
    return db_.exec("release_waiting_messages",
                    "UPDATE outbox SET next_attempt_at = ?2 "
                    "WHERE state = 'pending' AND next_attempt_at > ?2 AND bot_id = ?1",
                    bot_id,
                    now);
}

result<std::optional<std::int64_t>> SqliteOutbox::probe(std::string_view bot_id, TimePoint now) {
    auto id = db_.text_of("probe_waiting_message",
                          "UPDATE outbox SET next_attempt_at = ?2 WHERE id = ("
                          "  SELECT id FROM outbox INDEXED BY outbox_pending "
                          "  WHERE state = 'pending' AND next_attempt_at > ?2 AND bot_id = ?1 "
                          "  ORDER BY next_attempt_at, id LIMIT 1) "
                          "RETURNING id",
                          bot_id,
                          now);
    if (!id) {
        return id.error();
    }
    return *id ? std::optional<std::int64_t>(std::stoll(**id)) : std::nullopt;
}

result<void> SqliteOutbox::mark_sent(std::int64_t id, TimePoint now) {
    return db_.run("mark_message_sent",
                   "UPDATE outbox SET state = 'sent', sent_at = ?2, last_error = '' WHERE id = ?1",
                   id,
                   now);
}

result<void> SqliteOutbox::reschedule(std::span<const std::int64_t> ids,
                                      TimePoint next_attempt_at,
                                      std::string_view error,
                                      bool attempted) {
    if (ids.empty()) {
        return {};
    }
    const int uncount = attempted ? 0 : 1;
    for (const std::int64_t id : ids) {
        auto done = db_.run("reschedule_messages",
                            "UPDATE outbox SET state = 'pending', next_attempt_at = ?2, last_error = ?3, "
                            "attempts = max(attempts - ?4, 0) WHERE id = ?1",
                            id,
                            next_attempt_at,
                            error,
                            uncount);
        if (!done) {
            return done;
        }
    }
    // The chat's later messages wait behind them: once for the round, and only rows due earlier
    // (every row the WHERE matches is rewritten in both indexes, even when its time stays). When
    // the platform is down, each chat's queue grows by every message that arrives; this ran once
    // per message of the round and rewrote the whole queue each time (bench/run with the API down:
    // 1.3k msg/s acknowledged, p99 0.4 s, the store thread saturated).
    const std::int64_t first = *std::min_element(ids.begin(), ids.end());
    return db_.run("reschedule_messages later",
                   "UPDATE outbox SET next_attempt_at = ?2 "
                   "WHERE state = 'pending' AND state IN ('pending', 'sending') AND id > ?1 "
                   "AND (bot_id, queue) = (SELECT bot_id, queue FROM outbox WHERE id = ?1) "
                   "AND next_attempt_at < ?2",
                   first,
                   next_attempt_at);
}

result<void> SqliteOutbox::fail(std::int64_t id, std::string_view error) {
    return db_.run(
        "fail_message", "UPDATE outbox SET state = 'failed', last_error = ?2 WHERE id = ?1", id, error);
}

result<std::uint64_t> SqliteOutbox::requeue_interrupted(std::string_view holder, TimePoint now) {
    return db_.exec(
        "requeue_interrupted_messages",
        "UPDATE outbox SET state = 'pending' WHERE state IN ('pending', 'sending') AND state = 'sending' "
        "AND (?1 = '' OR (holder != ?1 AND (holder = '' OR NOT EXISTS ("
        "  SELECT 1 FROM leases WHERE name = 'outbox:' || outbox.holder AND expires_at > ?2))))",
        holder,
        now);
}

result<std::optional<TimePoint>> SqliteOutbox::next_due() {
    auto st =
        db_.prepare("next_message_due", "SELECT min(next_attempt_at) FROM outbox WHERE state = 'pending'");
    if (!st) {
        return st.error();
    }
    auto row = st->next();
    if (!row) {
        return row.error();
    }
    if (!*row || st->null(0)) {
        return std::optional<TimePoint>();
    }
    return std::optional<TimePoint>(st->time(0));
}

result<std::uint64_t> SqliteOutbox::forget_done_before(TimePoint before) {
    // Sent and failed rows are in no index but the primary key: this walks the table once per
    // purge (every purge_interval_s), which is what keeps the table from growing forever.
    return db_.exec("forget_done_messages",
                    "DELETE FROM outbox WHERE state IN ('sent', 'failed') AND created_at < ?1",
                    before);
}

}  // namespace bot::store::sqlite
