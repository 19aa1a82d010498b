#include "bot/store/sqlite/engine.hpp"

#include "bot/core/log.hpp"
#include "bot/core/search.hpp"

#include <sqlite3.h>

#include <filesystem>
#include <mutex>
#include <stdexcept>

namespace bot::store::sqlite {

std::int64_t to_ms(TimePoint t) noexcept {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

void configure_library() {
    static std::once_flag once;
    std::call_once(once, [] {
        // Each unit of work runs in a savepoint, whose journal holds the original of every page
        // the unit changes. SQLite keeps it in memory up to 64 KiB and then spills it to a temp
        // file: a report's submission (its row, indexes, signature and 12 band rows, ~20 pages)
        // created, wrote, closed and unlinked a file in /var/tmp each time, a fifth of the store
        // thread's kernel time at half load (docs/performance.md, fourth session). 16 MiB keeps
        // every unit of the conversation in memory; a larger one (a migration) still spills.
        // SQLITE_MISUSE when the library was initialised already: the default stays.
        (void)sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, 16 << 20);
    });
}

Stmt::Stmt(Stmt&& other) noexcept : db_(other.db_), st_(std::exchange(other.st_, nullptr)), op_(other.op_) {}

Stmt::~Stmt() {
    if (st_ != nullptr) {
        sqlite3_reset(st_);
    }
}

result<bool> Stmt::next() {
    const int rc = sqlite3_step(st_);
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (rc == SQLITE_DONE) {
        return false;
    }
    return db_->fail(op_);
}

result<void> Stmt::run() {
    if (sqlite3_step(st_) != SQLITE_DONE) {
        return db_->fail(op_);
    }
    return {};
}

std::string Stmt::text(int column) const {
    const auto* p = sqlite3_column_text(st_, column);
    return p == nullptr ? std::string()
                        : std::string(reinterpret_cast<const char*>(p),
                                      static_cast<std::size_t>(sqlite3_column_bytes(st_, column)));
}

std::string_view Stmt::view(int column) const {
    const auto* p = sqlite3_column_text(st_, column);
    return p == nullptr ? std::string_view()
                        : std::string_view(reinterpret_cast<const char*>(p),
                                           static_cast<std::size_t>(sqlite3_column_bytes(st_, column)));
}

std::string Stmt::blob(int column) const {
    const auto* p = static_cast<const char*>(sqlite3_column_blob(st_, column));
    return p == nullptr ? std::string()
                        : std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(st_, column)));
}

std::int64_t Stmt::i64(int column) const {
    return sqlite3_column_int64(st_, column);
}

int Stmt::i32(int column) const {
    return sqlite3_column_int(st_, column);
}

bool Stmt::null(int column) const {
    return sqlite3_column_type(st_, column) == SQLITE_NULL;
}

Db::Db(const std::string& path, std::chrono::milliseconds busy_timeout) {
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
    configure_library();
    const int rc = sqlite3_open_v2(
        path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        std::string msg = "cannot open SQLite database '" + path + "'";
        if (db_ != nullptr) {
            msg += ": ";
            msg += sqlite3_errmsg(db_);
        }
        sqlite3_close(db_);
        db_ = nullptr;
        throw std::runtime_error(msg);
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, static_cast<int>(busy_timeout.count()));
    // liaison_search_text(title, author, fields): a report's words for search (bot/core/search.hpp),
    // for the migration that indexes the reports stored before it.
    sqlite3_create_function_v2(
        db_,
        "liaison_search_text",
        3,
        SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY,
        nullptr,
        [](sqlite3_context* c, int, sqlite3_value** v) {
            const auto arg = [v](int i) {
                const auto* p = reinterpret_cast<const char*>(sqlite3_value_text(v[i]));
                return p != nullptr ? std::string_view(p, static_cast<std::size_t>(sqlite3_value_bytes(v[i])))
                                    : std::string_view();
            };
            const std::string words = search::report_text(arg(0), arg(1), arg(2));
            sqlite3_result_text(c, words.data(), static_cast<int>(words.size()), SQLITE_TRANSIENT);
        },
        nullptr,
        nullptr,
        nullptr);
}

Db::~Db() {
    for (auto& [sql, stmt] : cache_) {
        sqlite3_finalize(stmt);
    }
    sqlite3_close(db_);
}

sqlite3_stmt* Db::cached(const char* op, const char* sql, int arguments) {
    sqlite3_stmt* stmt = nullptr;
    if (auto it = cache_.find(sql); it != cache_.end()) {
        stmt = it->second;
    } else {
        if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) {
            (void)fail(op);
            return nullptr;
        }
        cache_.emplace(sql, stmt);
    }
    // Every parameter is bound on every use, so no value can leak from the previous one.
    if (sqlite3_bind_parameter_count(stmt) != arguments) {
        log::error("store")
            .kv("op", op)
            .kv("event", "wrong_argument_count")
            .kv("expected", sqlite3_bind_parameter_count(stmt))
            .kv("given", arguments);
        return nullptr;
    }
    return stmt;
}

bool Db::bind(sqlite3_stmt* st, int index, Blob v) noexcept {
    const char* data = v.bytes.data() != nullptr ? v.bytes.data() : "";
    return sqlite3_bind_blob(st, index, data, static_cast<int>(v.bytes.size()), SQLITE_STATIC) == SQLITE_OK;
}

bool Db::bind(sqlite3_stmt* st, int index, std::string_view v) noexcept {
    // A default-constructed view has no data pointer, which SQLite would bind as NULL: an empty
    // text is still text.
    const char* data = v.data() != nullptr ? v.data() : "";
    return sqlite3_bind_text(st, index, data, static_cast<int>(v.size()), SQLITE_STATIC) == SQLITE_OK;
}

bool Db::bind(sqlite3_stmt* st, int index, std::int64_t v) noexcept {
    return sqlite3_bind_int64(st, index, v) == SQLITE_OK;
}

bool Db::bind(sqlite3_stmt* st, int index, int v) noexcept {
    return sqlite3_bind_int(st, index, v) == SQLITE_OK;
}

result<void> Db::script(const char* sql, std::string* reason) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
        const std::string why = err != nullptr ? err : "unknown error";
        sqlite3_free(err);
        if (reason != nullptr) {
            *reason = why;
        } else {
            log::error("store").kv("op", "exec").kv("sql", sql).kv("reason", why);
        }
        return errc::store_failure;
    }
    return {};
}

errc Db::fail(const char* op) const {
    log::error("store")
        .kv("op", op)
        .kv("code", sqlite3_extended_errcode(db_))
        .kv("reason", sqlite3_errmsg(db_));
    return errc::store_failure;
}

std::string Db::last_error() const {
    return sqlite3_errmsg(db_);
}

bool Db::busy() const noexcept {
    const int code = sqlite3_errcode(db_);
    return code == SQLITE_BUSY || code == SQLITE_LOCKED;
}

std::uint64_t Db::changes() const noexcept {
    return static_cast<std::uint64_t>(sqlite3_changes(db_));
}

std::int64_t Db::last_insert_rowid() const noexcept {
    return sqlite3_last_insert_rowid(db_);
}

void Db::reset_all() noexcept {
    for (auto& [sql, stmt] : cache_) {
        sqlite3_reset(stmt);
    }
}

}  // namespace bot::store::sqlite
