#include "bot/store/sqlite/migrations.hpp"

#include "bot/core/log.hpp"
#include "bot/store/sqlite/engine.hpp"

#include <optional>
#include <stdexcept>

namespace bot::store {

// Migration 23's triggers: a report row's share of its unit's figures (X: NEW or OLD; S: 1 or -1)
// added to the calendar periods holding its submitted_at, for its template and for every template
// (''). A withdrawn report counts nothing, as in unit_stats and quality_between. The marks are read
// from `quality` only when it is not '' — in CASE, which stops at its first true WHEN: SQLite
// evaluates both sides of an AND in a value, and json_extract('') is an error.
// clang-format off
#define LIAISON_FIGURES_APPLY(X, S)                                                                          \
    "INSERT INTO unit_figures (period, template_id, unit_id, submitted, on_time, approved, q_reports, "      \
    "  q_fast_n, q_fast, q_solid, q_fresh, q_figures) "                                                     \
    "SELECT c.period, t.id, " X ".unit_id, " S ", " S " * " X ".on_time, "                                  \
    "  " S " * (" X ".status IN ('approved', 'adopted')), " S " * (" X ".quality != ''), "                   \
    "  " S " * (CASE WHEN " X ".quality = '' THEN 0 "                                                        \
    "    WHEN json_extract(" X ".quality, '$.fast') >= 0 THEN 1 ELSE 0 END), "                               \
    "  " S " * (CASE WHEN " X ".quality = '' THEN 0 "                                                        \
    "    WHEN json_extract(" X ".quality, '$.fast') >= 0 THEN json_extract(" X ".quality, '$.fast') "         \
    "    ELSE 0 END), "                                                                                      \
    "  " S " * (CASE WHEN " X ".quality = '' THEN 0 "                                                        \
    "    ELSE coalesce(json_extract(" X ".quality, '$.solid'), 0) END), "                                    \
    "  " S " * (CASE WHEN " X ".quality = '' THEN 0 "                                                        \
    "    ELSE coalesce(json_extract(" X ".quality, '$.fresh'), 0) END), "                                    \
    "  " S " * (CASE WHEN " X ".quality = '' THEN 0 "                                                        \
    "    ELSE coalesce(json_extract(" X ".quality, '$.figures'), 0) END) "                                   \
    "FROM calendar c, (SELECT " X ".template_id AS id UNION ALL SELECT '') t "                               \
    "WHERE " X ".status != 'withdrawn' "                                                                     \
    "  AND c.starts_at = (SELECT max(starts_at) FROM calendar WHERE starts_at <= " X ".submitted_at) "      \
    "ON CONFLICT (period, template_id, unit_id) DO UPDATE SET submitted = submitted + excluded.submitted, "  \
    "  on_time = on_time + excluded.on_time, approved = approved + excluded.approved, "                      \
    "  q_reports = q_reports + excluded.q_reports, q_fast_n = q_fast_n + excluded.q_fast_n, "                \
    "  q_fast = q_fast + excluded.q_fast, q_solid = q_solid + excluded.q_solid, "                            \
    "  q_fresh = q_fresh + excluded.q_fresh, q_figures = q_figures + excluded.q_figures;"

#define LIAISON_FIGURES_TRIGGERS                                                                  \
    "CREATE TRIGGER unit_figures_insert AFTER INSERT ON reports BEGIN "                           \
        LIAISON_FIGURES_APPLY("NEW", "1") " END;"                                                 \
    "CREATE TRIGGER unit_figures_delete AFTER DELETE ON reports BEGIN "                           \
        LIAISON_FIGURES_APPLY("OLD", "-1") " END;"                                                \
    "CREATE TRIGGER unit_figures_update AFTER UPDATE OF status, on_time, quality, submitted_at, "  \
    "  unit_id, template_id ON reports "                                                          \
    "WHEN OLD.status IS NOT NEW.status OR OLD.on_time IS NOT NEW.on_time "                        \
    "  OR OLD.quality IS NOT NEW.quality OR OLD.submitted_at IS NOT NEW.submitted_at "            \
    "  OR OLD.unit_id IS NOT NEW.unit_id OR OLD.template_id IS NOT NEW.template_id BEGIN "        \
        LIAISON_FIGURES_APPLY("OLD", "-1") LIAISON_FIGURES_APPLY("NEW", "1") " END;"
// clang-format on

const std::vector<Migration>& sqlite_migrations() {
    static const std::vector<Migration> all{
        {1,
         "processed_events",
         // Deduplication: one row per processed platform event id, kept until it expires.
         "CREATE TABLE processed_events ("
         "  event_key  TEXT PRIMARY KEY NOT NULL,"
         "  seen_at    INTEGER NOT NULL,"  // unix milliseconds
         "  expires_at INTEGER NOT NULL"   // unix milliseconds
         ") WITHOUT ROWID;"
         "CREATE INDEX processed_events_expiry ON processed_events(expires_at);"},
        {2,
         "sessions_and_reports",
         // One conversation per (bot, chat, user); its state is the handlers' JSON.
         "CREATE TABLE sessions ("
         "  bot_id     TEXT NOT NULL,"
         "  chat_id    TEXT NOT NULL,"
         "  user_id    TEXT NOT NULL,"
         "  state      TEXT NOT NULL,"
         "  updated_at INTEGER NOT NULL,"
         "  PRIMARY KEY (bot_id, chat_id, user_id)"
         ") WITHOUT ROWID;"
         "CREATE INDEX sessions_updated ON sessions(updated_at);"
         // Submitted reports; `fields` is a JSON object of field id -> normalized value.
         "CREATE TABLE reports ("
         "  id               INTEGER PRIMARY KEY,"
         "  number           TEXT NOT NULL UNIQUE,"
         "  template_id      TEXT NOT NULL,"
         "  template_version INTEGER NOT NULL,"
         "  period_key       TEXT NOT NULL,"
         "  unit_id          TEXT NOT NULL,"
         "  author_id        TEXT NOT NULL,"
         "  author_name      TEXT NOT NULL,"
         "  bot_id           TEXT NOT NULL,"
         "  chat_id          TEXT NOT NULL,"
         "  title            TEXT NOT NULL,"
         "  fields           TEXT NOT NULL,"
         "  status           TEXT NOT NULL,"
         "  on_time          INTEGER NOT NULL,"
         "  revision         INTEGER NOT NULL,"
         "  submitted_at     INTEGER NOT NULL,"
         "  updated_at       INTEGER NOT NULL"
         ");"
         "CREATE INDEX reports_period ON reports(template_id, period_key, unit_id);"
         // Every revision's fields, the first included.
         "CREATE TABLE report_revisions ("
         "  report_id  INTEGER NOT NULL REFERENCES reports(id),"
         "  revision   INTEGER NOT NULL,"
         "  fields     TEXT NOT NULL,"
         "  title      TEXT NOT NULL,"
         "  created_at INTEGER NOT NULL,"
         "  PRIMARY KEY (report_id, revision)"
         ") WITHOUT ROWID;"
         // Readable numbers R-<year>-<n>, counted per year.
         "CREATE TABLE report_counters (year INTEGER PRIMARY KEY, last INTEGER NOT NULL);"},
        {3,
         "outbox",
         // Every outgoing message is a row before it is a request. state: pending -> sending ->
         // sent | failed; a row still 'sending' at start was interrupted and is sent again.
         "CREATE TABLE outbox ("
         "  id              INTEGER PRIMARY KEY,"
         "  bot_id          TEXT NOT NULL,"
         "  chat_id         TEXT NOT NULL,"
         "  mention_user_id TEXT NOT NULL,"
         "  mention_name    TEXT NOT NULL,"
         "  text            TEXT NOT NULL,"
         "  context         TEXT NOT NULL,"  // platform reply context (JSON), e.g. a thread id
         "  state           TEXT NOT NULL,"
         "  attempts        INTEGER NOT NULL,"
         "  next_attempt_at INTEGER NOT NULL,"
         "  last_error      TEXT NOT NULL,"
         "  created_at      INTEGER NOT NULL,"
         "  sent_at         INTEGER"
         ");"
         "CREATE INDEX outbox_due ON outbox(state, next_attempt_at);"
         "CREATE INDEX outbox_chat ON outbox(bot_id, chat_id, state);"},
        {4,
         "scheduler",
         // Exactly once: every scheduled send has a unique key (template, period, step, target);
         // state 'sent' (its messages are in the outbox, same transaction) or 'skipped' (missed by
         // more than the catch-up window, recorded instead of sent).
         "CREATE TABLE scheduled_sends ("
         "  send_key   TEXT PRIMARY KEY,"
         "  state      TEXT NOT NULL,"
         "  due_at     INTEGER NOT NULL,"
         "  decided_at INTEGER NOT NULL,"
         "  messages   INTEGER NOT NULL"
         ") WITHOUT ROWID;"
         // Small named values: the scheduler's cursor, the last 催报 per chat.
         "CREATE TABLE scheduler_state ("
         "  name       TEXT PRIMARY KEY,"
         "  value      TEXT NOT NULL,"
         "  updated_at INTEGER NOT NULL"
         ") WITHOUT ROWID;"
         // One process ticks at a time: the holder renews the lease; another takes it once expired.
         "CREATE TABLE leases ("
         "  name       TEXT PRIMARY KEY,"
         "  holder     TEXT NOT NULL,"
         "  expires_at INTEGER NOT NULL"
         ") WITHOUT ROWID;"
         // Leave announced in chat (请假); the roster's planned leave is configuration.
         "CREATE TABLE leaves ("
         "  id         INTEGER PRIMARY KEY,"
         "  person_id  TEXT NOT NULL,"
         "  from_date  TEXT NOT NULL,"
         "  to_date    TEXT NOT NULL,"
         "  created_at INTEGER NOT NULL"
         ");"
         "CREATE INDEX leaves_person ON leaves(person_id, to_date);"
         // A private message: `mention_user_id` is the destination, not a chat.
         "ALTER TABLE outbox ADD COLUMN direct INTEGER NOT NULL DEFAULT 0;"},
        {5,
         "outbox_chat_due",
         // A chat's latest pending time (every enqueue asks for it) straight from the index: with
         // (bot_id, chat_id, state) alone, SQLite preferred outbox_due and scanned every pending
         // row of every chat (bench/run: thousands of rows per enqueue under load).
         "CREATE INDEX outbox_chat_due ON outbox(bot_id, chat_id, state, next_attempt_at);"
         "DROP INDEX outbox_chat;"},
        {6,
         "outbox_open_indexes",
         // Only unsent rows in the outbox's indexes (partial indexes). A sent row used to stay in
         // both, under state 'sent': the indexes grew with every message ever sent, and each row
         // moved three times (pending, sending, sent) between their leaf pages, dirtying pages in
         // every commit (bench/run: ~49 WAL frames per group commit). Queries repeat the index's
         // condition word for word so that SQLite may use it.
         "CREATE INDEX outbox_pending ON outbox(next_attempt_at) WHERE state = 'pending';"
         "CREATE INDEX outbox_open ON outbox(bot_id, chat_id, next_attempt_at) "
         "  WHERE state IN ('pending', 'sending');"
         "DROP INDEX outbox_due;"
         "DROP INDEX outbox_chat_due;"},
        {7,
         "outbox_queues",
         // The order a message keeps: its chat's, or a queue of its own for replies that go to a
         // URL of one message only (the WeCom AI bot's response_url), so that a dead URL holds no
         // other message of the chat. Open rows of earlier versions keep their chat's order.
         "ALTER TABLE outbox ADD COLUMN queue TEXT NOT NULL DEFAULT '';"
         "UPDATE outbox SET queue = chat_id WHERE state IN ('pending', 'sending');"
         "CREATE INDEX outbox_open_queue ON outbox(bot_id, queue, next_attempt_at) "
         "  WHERE state IN ('pending', 'sending');"
         "DROP INDEX outbox_open;"},
        {8,
         "outbox_holder",
         // Which process claimed a row: at start a process requeues only the rows of processes
         // whose lease is gone, never a live one's (two `serve` on one store).
         "ALTER TABLE outbox ADD COLUMN holder TEXT NOT NULL DEFAULT '';"},
        {9,
         "outbox_batch",
         // Replies merged into one request are a batch (the id of its first row), stored with the
         // claim before the request goes: after a crash or a failure they are sent again as the
         // same message under the same idempotency key, never regrouped into a different one.
         "ALTER TABLE outbox ADD COLUMN batch INTEGER NOT NULL DEFAULT 0;"
         "CREATE INDEX outbox_batch ON outbox(batch) WHERE batch != 0;"},
        {10,
         "bindings",
         // 绑定 姓名: an account asks to be a roster person; a coordinator approves or refuses.
         // One pending or approved binding per account.
         "CREATE TABLE bindings ("
         "  id           INTEGER PRIMARY KEY,"
         "  bot_id       TEXT NOT NULL,"
         "  user_id      TEXT NOT NULL,"
         "  user_name    TEXT NOT NULL,"
         "  person_id    TEXT NOT NULL,"
         "  chat_id      TEXT NOT NULL,"
         "  state        TEXT NOT NULL,"  // pending, approved, refused
         "  decided_by   TEXT NOT NULL DEFAULT '',"
         "  requested_at INTEGER NOT NULL,"
         "  decided_at   INTEGER"
         ");"
         "CREATE UNIQUE INDEX bindings_open ON bindings(bot_id, user_id) WHERE state IN ('pending', "
         "'approved');"
         "CREATE INDEX bindings_pending ON bindings(requested_at) WHERE state = 'pending';"},
        {11,
         "review_adoption_audit",
         // 采用: a report may be adopted more than once (区级, then 市级).
         "CREATE TABLE adoptions ("
         "  id          INTEGER PRIMARY KEY,"
         "  report_id   INTEGER NOT NULL REFERENCES reports(id),"
         "  level       TEXT NOT NULL,"
         "  points      INTEGER NOT NULL,"
         "  venue       TEXT NOT NULL,"
         "  adopted_by  TEXT NOT NULL,"
         "  adopted_at  INTEGER NOT NULL"
         ");"
         "CREATE INDEX adoptions_report ON adoptions(report_id);"
         // The review queue (审核): submitted reports, oldest first.
         "CREATE INDEX reports_waiting ON reports(updated_at) WHERE status = 'submitted';"
         // Who did what: appended in the transaction of the change; triggers refuse any change.
         "CREATE TABLE audit ("
         "  id            INTEGER PRIMARY KEY,"
         "  at            INTEGER NOT NULL,"
         "  actor_id      TEXT NOT NULL,"
         "  actor_account TEXT NOT NULL,"
         "  role          TEXT NOT NULL,"
         "  action        TEXT NOT NULL,"
         "  target        TEXT NOT NULL,"
         "  before        TEXT NOT NULL,"
         "  after         TEXT NOT NULL,"
         "  request_id    TEXT NOT NULL"
         ");"
         "CREATE INDEX audit_target ON audit(target, id);"
         "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit "
         "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
         "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit "
         "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"},
        {12,
         "rankings",
         // 排名 sums a month, quarter or year of reports and adoptions.
         "CREATE INDEX reports_submitted ON reports(submitted_at);"
         "CREATE INDEX adoptions_time ON adoptions(adopted_at);"},
        {13,
         "digest_rankings",
         // The digest ranks every unit over two 30-day windows in one pass over this covering index,
         // in unit order: no temporary B-tree to sort 100,000s of rows into groups.
         "CREATE INDEX reports_unit_window ON reports(unit_id, submitted_at, on_time, status, template_id);"},
        {14,
         "outbox_doc",
         // A digest, a board or a notice keeps its structure (bot::Doc as JSON) for the platforms
         // that render it as markdown or a card; '' for a plain message.
         "ALTER TABLE outbox ADD COLUMN doc TEXT NOT NULL DEFAULT '';"},
        {15,
         "report_quality",
         // 快 · 实 · 新 (docs/quality.md): each report's marks; its MinHash signature (with the band
         // keys it was filed under, so that a revision can take them back); the LSH bands, one row
         // per band, looked up by key. Existing reports get signatures at the next start.
         "ALTER TABLE reports ADD COLUMN quality TEXT NOT NULL DEFAULT '';"
         "CREATE TABLE report_signatures ("
         "  report_id INTEGER PRIMARY KEY REFERENCES reports(id),"
         "  exact     INTEGER NOT NULL,"
         "  minhash   BLOB NOT NULL,"
         "  bands     BLOB NOT NULL"
         ");"
         "CREATE TABLE report_bands ("
         "  bucket    INTEGER NOT NULL,"
         "  report_id INTEGER NOT NULL,"
         "  PRIMARY KEY (bucket, report_id)"
         ") WITHOUT ROWID;"},
        {16,
         "reports_window",
         // One index for every read of a time window (the digest's rankings, 排名, quality), in time
         // order and covering what the rankings count: reports_unit_window (migration 13) led with
         // the unit, so the digest read every report ever stored to find the last 60 days', and a
         // report paid for two indexes where one serves.
         "DROP INDEX reports_unit_window;"
         "DROP INDEX reports_submitted;"
         "CREATE INDEX reports_window ON reports(submitted_at, unit_id, on_time, status, template_id);"},
        {17,
         "reports_author",
         // 我的: an officer's own reports, newest first.
         "CREATE INDEX reports_author ON reports(author_id, id);"},
        {18,
         "waiting_pages",
         // The pages waiting for 继续 (the WeCom AI bot) get their own table: they were a sessions
         // row under the user id "pages<US>user" holding a JSON array. Moved over, not lost.
         "CREATE TABLE waiting_pages ("
         "  bot_id     TEXT NOT NULL,"
         "  chat_id    TEXT NOT NULL,"
         "  user_id    TEXT NOT NULL,"
         "  seq        INTEGER NOT NULL,"
         "  text       TEXT NOT NULL,"
         "  created_at INTEGER NOT NULL,"
         "  PRIMARY KEY (bot_id, chat_id, user_id, seq)"
         ") WITHOUT ROWID;"
         "INSERT INTO waiting_pages(bot_id, chat_id, user_id, seq, text, created_at) "
         "  SELECT s.bot_id, s.chat_id, substr(s.user_id, 7), CAST(j.key AS INTEGER), j.value, s.updated_at "
         "  FROM sessions s, json_each(CASE WHEN json_valid(s.state) THEN s.state ELSE '[]' END) j "
         "  WHERE substr(s.user_id, 1, 6) = 'pages' || char(31) AND j.type = 'text';"
         "DELETE FROM sessions WHERE substr(user_id, 1, 6) = 'pages' || char(31);"},
        {19,
         "web_sign_in",
         // The pages (docs/web.md): one-time sign-in links and browser sessions, each kept only as
         // the SHA-256 of its secret, with the person and the chat it came from.
         "CREATE TABLE web_links ("
         "  hash       TEXT PRIMARY KEY,"
         "  person_id  TEXT NOT NULL,"
         "  bot_id     TEXT NOT NULL,"
         "  chat_id    TEXT NOT NULL,"
         "  user_id    TEXT NOT NULL,"
         "  created_at INTEGER NOT NULL,"
         "  expires_at INTEGER NOT NULL,"
         "  used_at    INTEGER"
         ") WITHOUT ROWID;"
         "CREATE TABLE web_sessions ("
         "  hash       TEXT PRIMARY KEY,"
         "  person_id  TEXT NOT NULL,"
         "  bot_id     TEXT NOT NULL,"
         "  chat_id    TEXT NOT NULL,"
         "  user_id    TEXT NOT NULL,"
         "  csrf       TEXT NOT NULL,"
         "  created_at INTEGER NOT NULL,"
         "  seen_at    INTEGER NOT NULL,"
         "  revoked_at INTEGER"
         ") WITHOUT ROWID;"
         "CREATE INDEX web_sessions_person ON web_sessions(person_id);"},
        {20,
         "web_uploads",
         // Photos uploaded on the pages (docs/web.md, "Photos"): the bytes, checked to be an image of
         // an allowed type and size, kept with their owner; a draft's or report's attachment answer
         // names them "upload:<id>".
         "CREATE TABLE web_uploads ("
         "  id         TEXT NOT NULL UNIQUE,"
         "  person_id  TEXT NOT NULL,"
         "  mime       TEXT NOT NULL,"
         "  sha256     TEXT NOT NULL,"
         "  size       INTEGER NOT NULL,"
         "  bytes      BLOB NOT NULL,"
         "  created_at INTEGER NOT NULL"
         ");"
         "CREATE INDEX web_uploads_person ON web_uploads(person_id, created_at);"},
        {21,
         "report_search",
         // The coordinators' desk (docs/desk.md): full-text search over each report's title, author
         // and answers, in words of our own that work for Chinese (bot/core/search.hpp), the reports
         // stored so far indexed here; the queue of one status, newest first; a unit's reports in
         // time order (its trend).
         "CREATE VIRTUAL TABLE report_search USING fts5(body, tokenize = 'unicode61 remove_diacritics 0');"
         "INSERT INTO report_search(rowid, body) "
         "  SELECT id, liaison_search_text(title, author_name, fields) FROM reports;"
         "CREATE INDEX reports_status ON reports(status, id);"
         "CREATE INDEX reports_unit ON reports(unit_id, submitted_at);"},
        {22,
         "report_assignee",
         // 分派 (docs/desk.md): the coordinator a report's review is given to.
         "ALTER TABLE reports ADD COLUMN assignee TEXT NOT NULL DEFAULT '';"},
        {23,
         "unit_figures",
         // Units compared (排名, the desk's units page; docs/desk.md): each unit's figures per calendar
         // period (month "2026-12", quarter "2026-Q4", year "2026") in the deployment's zone, kept by
         // triggers as reports are written, so that a period's ranking reads one row a unit instead
         // of every report. `calendar` holds each month's first instant with the three periods it
         // belongs to; the store fills it, and the figures, when it opens with a zone
         // (SqliteOptions::zone; until then both are empty and rankings read the reports).
         "CREATE TABLE calendar ("
         "  starts_at INTEGER NOT NULL,"
         "  period    TEXT NOT NULL,"
         "  PRIMARY KEY (starts_at, period)"
         ") WITHOUT ROWID;"
         "CREATE TABLE calendar_zone (zone TEXT NOT NULL);"
         "CREATE TABLE unit_figures ("
         "  period      TEXT NOT NULL,"
         "  template_id TEXT NOT NULL,"
         "  unit_id     TEXT NOT NULL,"
         "  submitted   INTEGER NOT NULL,"
         "  on_time     INTEGER NOT NULL,"
         "  approved    INTEGER NOT NULL,"
         "  q_reports   INTEGER NOT NULL,"
         "  q_fast_n    INTEGER NOT NULL,"
         "  q_fast      INTEGER NOT NULL,"
         "  q_solid     INTEGER NOT NULL,"
         "  q_fresh     INTEGER NOT NULL,"
         "  q_figures   INTEGER NOT NULL,"
         "  PRIMARY KEY (period, template_id, unit_id)"
         ") WITHOUT ROWID;" LIAISON_FIGURES_TRIGGERS},
    };
    return all;
}

}  // namespace bot::store

namespace bot::store {
namespace {

std::optional<int> read_version(sqlite::Db& db) {
    auto st = db.prepare("schema_version", "SELECT coalesce(max(version), 0) FROM schema_migrations");
    if (!st) {
        return std::nullopt;
    }
    auto row = st->next();
    if (!row || !*row) {
        return std::nullopt;
    }
    return st->i32(0);
}

[[noreturn]] void refuse(sqlite::Db& db, const std::string& path, std::string_view what) {
    throw std::runtime_error("cannot " + std::string(what) + " SQLite database '" + path +
                             "': " + db.last_error());
}

/// Applies `m` unless another process did meanwhile; returns the version now in the file.
int apply(sqlite::Db& db, const std::string& path, const Migration& m) {
    if (!db.script("BEGIN IMMEDIATE")) {
        refuse(db, path, "lock for migration");
    }
    const auto now_version = read_version(db);
    if (!now_version) {
        (void)db.script("ROLLBACK");
        refuse(db, path, "read the schema version of");
    }
    if (*now_version >= m.version) {
        (void)db.script("COMMIT");  // another process applied it meanwhile
        return *now_version;
    }
    const std::string sql = std::string(m.sql) +
                            ";INSERT INTO schema_migrations(version, name, applied_at) VALUES (" +
                            std::to_string(m.version) + ", '" + std::string(m.name) +
                            "', strftime('%Y-%m-%dT%H:%M:%fZ','now'));COMMIT;";
    std::string reason;
    if (!db.script(sql.c_str(), &reason)) {
        (void)db.script("ROLLBACK");
        throw std::runtime_error("migration " + std::to_string(m.version) + " (" + std::string(m.name) +
                                 ") failed: " + reason);
    }
    log::info("store").kv("event", "migrated").kv("version", m.version).kv("name", m.name);
    return m.version;
}

}  // namespace

int migrate(sqlite::Db& db, const std::string& path, const std::vector<Migration>& migrations) {
    for (std::size_t i = 0; i < migrations.size(); ++i) {
        if (migrations[i].version != static_cast<int>(i) + 1) {
            throw std::logic_error("migrations must be numbered consecutively from 1");
        }
    }
    if (!db.script("CREATE TABLE IF NOT EXISTS schema_migrations ("
                   " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")) {
        refuse(db, path, "create schema_migrations in");
    }
    const auto found = read_version(db);
    if (!found) {
        refuse(db, path, "read the schema version of");
    }
    int version = *found;
    const int latest = migrations.empty() ? 0 : migrations.back().version;
    if (version > latest) {
        throw std::runtime_error("SQLite database '" + path + "' has schema version " +
                                 std::to_string(version) + ", newer than this build knows (" +
                                 std::to_string(latest) + "): use a newer liaison-bot");
    }
    for (const auto& m : migrations) {
        if (m.version > version) {
            version = apply(db, path, m);
        }
    }
    return version;
}

}  // namespace bot::store
