#include "bot/store/sqlite_store.hpp"

#include <sqlite3.h>

#include <filesystem>
#include <stdexcept>

#include "bot/core/log.hpp"

namespace bot::store {
namespace {

std::int64_t to_ms(TimePoint t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

errc fail(sqlite3* db, const char* what) {
    log::error("store").kv("op", what).kv("code", sqlite3_extended_errcode(db)).kv("reason", sqlite3_errmsg(db));
    return errc::store_failure;
}

std::string open_error(sqlite3* db, const std::string& path, std::string_view what) {
    std::string msg = "cannot " + std::string(what) + " SQLite database '" + path + "'";
    if (db != nullptr) {
        msg += ": ";
        msg += sqlite3_errmsg(db);
    }
    return msg;
}

/// Binds text without copying; the view must outlive the step.
bool bind_text(sqlite3_stmt* st, int index, std::string_view v) {
    return sqlite3_bind_text(st, index, v.data(), static_cast<int>(v.size()), SQLITE_STATIC) == SQLITE_OK;
}

}  // namespace

SqliteTx::~SqliteTx() {
    for (auto& [sql, stmt] : cache_) {
        sqlite3_finalize(stmt);
    }
}

sqlite3_stmt* SqliteTx::prepare(const char* sql) {
    auto it = cache_.find(sql);
    if (it != cache_.end()) {
        sqlite3_reset(it->second);
        sqlite3_clear_bindings(it->second);
        return it->second;
    }
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) {
        (void)fail(db_, "prepare");
        return nullptr;
    }
    cache_.emplace(sql, stmt);
    return stmt;
}

result<bool> SqliteTx::remember_event(std::string_view key, TimePoint now, TimePoint expires_at) {
    if (key.empty()) {
        return errc::invalid_argument;
    }
    // A row that exists but expired before `now` is taken over; a live row makes this a duplicate.
    sqlite3_stmt* st = prepare(
        "INSERT INTO processed_events(event_key, seen_at, expires_at) VALUES (?1, ?2, ?3) "
        "ON CONFLICT(event_key) DO UPDATE SET seen_at = excluded.seen_at, expires_at = excluded.expires_at "
        "WHERE processed_events.expires_at <= ?2");
    if (st == nullptr || !bind_text(st, 1, key) || sqlite3_bind_int64(st, 2, to_ms(now)) != SQLITE_OK ||
        sqlite3_bind_int64(st, 3, to_ms(expires_at)) != SQLITE_OK) {
        return fail(db_, "remember_event bind");
    }
    if (sqlite3_step(st) != SQLITE_DONE) {
        return fail(db_, "remember_event");
    }
    return sqlite3_changes(db_) > 0;
}

result<std::uint64_t> SqliteTx::forget_expired_events(TimePoint now) {
    sqlite3_stmt* st = prepare("DELETE FROM processed_events WHERE expires_at <= ?1");
    if (st == nullptr || sqlite3_bind_int64(st, 1, to_ms(now)) != SQLITE_OK) {
        return fail(db_, "forget_expired_events bind");
    }
    if (sqlite3_step(st) != SQLITE_DONE) {
        return fail(db_, "forget_expired_events");
    }
    return static_cast<std::uint64_t>(sqlite3_changes(db_));
}

result<bool> SqliteTx::event_seen(std::string_view key, TimePoint now) {
    sqlite3_stmt* st = prepare("SELECT 1 FROM processed_events WHERE event_key = ?1 AND expires_at > ?2");
    if (st == nullptr || !bind_text(st, 1, key) || sqlite3_bind_int64(st, 2, to_ms(now)) != SQLITE_OK) {
        return fail(db_, "event_seen bind");
    }
    const int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (rc == SQLITE_DONE) {
        return false;
    }
    return fail(db_, "event_seen");
}

result<void> SqliteTx::ping() {
    sqlite3_stmt* st = prepare("SELECT count(*) FROM schema_migrations");
    if (st == nullptr || sqlite3_step(st) != SQLITE_ROW) {
        return fail(db_, "ping");
    }
    return {};
}

SqliteStore::SqliteStore(SqliteOptions options) : options_(std::move(options)) {
    if (options_.max_batch == 0) {
        options_.max_batch = 1;
    }
    const std::string& path = options_.path;
    if (path != ":memory:") {
        const auto parent = std::filesystem::path(path).parent_path();
        std::error_code ec;
        if (!parent.empty()) {
            std::filesystem::create_directories(parent, ec);
        }
        if (ec) {
            throw std::runtime_error("cannot create directory '" + parent.string() + "': " + ec.message());
        }
    }
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK) {
        const std::string msg = open_error(db_, path, "open");
        sqlite3_close(db_);
        db_ = nullptr;
        throw std::runtime_error(msg);
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, static_cast<int>(options_.busy_timeout.count()));
    tx_ = std::make_unique<SqliteTx>(db_);

    auto fail_open = [this](std::string_view what) {
        const std::string msg = open_error(db_, options_.path, what);
        tx_.reset();
        sqlite3_close(db_);
        db_ = nullptr;
        throw std::runtime_error(msg);
    };
    // 1. WAL journal: readers never block the writer. synchronous=FULL: each commit fsyncs the WAL,
    //    so a commit that returned survives power loss (NORMAL would not).
    if (path != ":memory:" && !exec("PRAGMA journal_mode=WAL")) {
        fail_open("enable WAL on");
    }
    if (!exec("PRAGMA synchronous=FULL") || !exec("PRAGMA foreign_keys=ON")) {
        fail_open("configure");
    }
    // 2. Migrations, each in its own transaction together with its schema_migrations row.
    if (!exec("CREATE TABLE IF NOT EXISTS schema_migrations ("
              " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")) {
        fail_open("create schema_migrations in");
    }
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, "SELECT coalesce(max(version), 0) FROM schema_migrations", -1, &st, nullptr) !=
            SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        fail_open("read the schema version of");
    }
    schema_version_ = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);

    const auto& migrations = options_.migrations != nullptr ? *options_.migrations : sqlite_migrations();
    const int latest = migrations.empty() ? 0 : migrations.back().version;
    if (schema_version_ > latest) {
        fail_open("use (its schema version " + std::to_string(schema_version_) +
                  " is newer than this build knows, " + std::to_string(latest) + ") the");
    }
    for (const auto& m : migrations) {
        if (m.version <= schema_version_) {
            continue;
        }
        if (m.version != schema_version_ + 1) {
            throw std::logic_error("migrations must be numbered consecutively");
        }
        const std::string sql = "BEGIN IMMEDIATE;" + std::string(m.sql) +
                                ";INSERT INTO schema_migrations(version, name, applied_at) VALUES (" +
                                std::to_string(m.version) + ", '" + std::string(m.name) +
                                "', strftime('%Y-%m-%dT%H:%M:%fZ','now'));COMMIT;";
        char* err = nullptr;
        if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
            std::string msg = "migration " + std::to_string(m.version) + " (" + std::string(m.name) +
                              ") failed: " + (err != nullptr ? err : "unknown error");
            sqlite3_free(err);
            sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
            tx_.reset();
            sqlite3_close(db_);
            db_ = nullptr;
            throw std::runtime_error(msg);
        }
        schema_version_ = m.version;
        log::info("store").kv("event", "migrated").kv("version", m.version).kv("name", m.name);
    }
    thread_ = std::thread([this] { run(); });
}

SqliteStore::~SqliteStore() { close(); }

bool SqliteStore::exec(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
        log::error("store")
            .kv("op", "exec")
            .kv("sql", sql)
            .kv("reason", err != nullptr ? err : "unknown");
        sqlite3_free(err);
        return false;
    }
    return true;
}

void SqliteStore::submit(Work work, Done done) {
    {
        const std::lock_guard lock(mutex_);
        if (!closing_) {
            queue_.push_back({std::move(work), std::move(done)});
            cv_.notify_one();
            return;
        }
    }
    done(errc::store_closed);
}

void SqliteStore::close() {
    {
        const std::lock_guard lock(mutex_);
        if (closed_) {
            return;
        }
        closing_ = true;
        closed_ = true;
        cv_.notify_one();
    }
    if (thread_.joinable()) {
        thread_.join();
    }
    tx_.reset();
    if (db_ != nullptr) {
        sqlite3_close(db_);
        db_ = nullptr;
        log::info("store").kv("event", "closed").kv("path", options_.path);
    }
}

void SqliteStore::run() {
    std::vector<Item> batch;
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            cv_.wait(lock, [this] { return !queue_.empty() || closing_; });
            if (queue_.empty()) {
                return;  // closing, and everything submitted has run
            }
            // Everything that queued up while the previous commit was in flight goes into this one.
            while (!queue_.empty() && batch.size() < options_.max_batch) {
                batch.push_back(std::move(queue_.front()));
                queue_.pop_front();
            }
        }
        run_batch(batch);
        batch.clear();
    }
}

void SqliteStore::run_batch(std::vector<Item>& batch) {
    const auto started = std::chrono::steady_clock::now();
    std::vector<result<void>> outcomes(batch.size(), result<void>(errc::store_failure));

    bool committed = false;
    if (exec("BEGIN IMMEDIATE")) {
        bool broken = false;
        for (std::size_t i = 0; i < batch.size() && !broken; ++i) {
            // Each unit runs in its own savepoint, so a failing unit rolls back alone.
            if (!exec("SAVEPOINT unit")) {
                broken = true;
                break;
            }
            result<void> r = errc::store_failure;
            try {
                r = batch[i].work(*tx_);
            } catch (const std::exception& e) {
                log::error("store").kv("event", "unit_threw").kv("reason", e.what());
            } catch (...) {
                log::error("store").kv("event", "unit_threw");
            }
            if (!r) {
                broken = !exec("ROLLBACK TO unit");
            }
            broken = !exec("RELEASE unit") || broken;
            outcomes[i] = r;
        }
        if (!broken && exec("COMMIT")) {
            committed = true;
        } else {
            exec("ROLLBACK");
        }
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (options_.on_commit) {
        options_.on_commit(seconds, batch.size(), committed);
    }
    // Outcomes are reported only now: after the COMMIT returned (and so the WAL is synced).
    for (std::size_t i = 0; i < batch.size(); ++i) {
        result<void> r = committed ? outcomes[i] : (outcomes[i] ? result<void>(errc::store_failure) : outcomes[i]);
        try {
            batch[i].done(r);
        } catch (...) {
            log::error("store").kv("event", "done_threw");
        }
    }
}

}  // namespace bot::store
