#pragma once

#include "bot/core/clock.hpp"
#include "bot/core/errors.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace bot::store::sqlite {

class Db;

/// Bytes bound as a BLOB (a text binds as TEXT); like text, bound without a copy.
struct Blob {
    std::string_view bytes;
};

/// A cached prepared statement borrowed for one use: bound when it is handed out, reset when it
/// goes out of scope, so that no statement keeps a read transaction (and an old WAL snapshot)
/// open.
class Stmt {
public:
    Stmt(Stmt&& other) noexcept;
    Stmt& operator=(Stmt&&) = delete;
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;
    ~Stmt();

    /// Steps once: true on a row, false when there are no more. A database error is logged with
    /// the statement's operation name and returned as errc::store_failure.
    result<bool> next();
    /// Steps a statement that returns no row to its end.
    result<void> run();
    /// Calls `f(*this)` for every row, in order.
    template <class F>
    result<void> each(F&& f) {
        for (;;) {
            auto row = next();
            if (!row) {
                return row.error();
            }
            if (!*row) {
                return {};
            }
            f(*this);
        }
    }

    std::string text(int column) const;
    /// The column's text without a copy: valid until the next step.
    std::string_view view(int column) const;
    std::string blob(int column) const;  ///< the bytes of a BLOB (or of any value)
    std::int64_t i64(int column) const;
    int i32(int column) const;
    bool flag(int column) const { return i32(column) != 0; }
    TimePoint time(int column) const { return TimePoint(std::chrono::milliseconds(i64(column))); }
    bool null(int column) const;

private:
    friend class Db;
    Stmt(Db& db, sqlite3_stmt* st, const char* op) noexcept : db_(&db), st_(st), op_(op) {}

    Db* db_;
    sqlite3_stmt* st_;
    const char* op_;
};

/// The error of `r` as a result of another type: result<bool> has no implicit constructor from
/// an error_code (error_code converts to bool).
template <class T, class U>
result<T> error_of(const result<U>& r) {
    return result<T>(boost::system::in_place_error, r.error());
}

/// Every row of the prepared statement `st`, each made by `read(row)`.
template <class Read>
auto all_rows(result<Stmt> st, Read read) -> result<std::vector<std::invoke_result_t<Read&, const Stmt&>>> {
    std::vector<std::invoke_result_t<Read&, const Stmt&>> out;
    if (!st) {
        return st.error();
    }
    auto each = st->each([&](const Stmt& r) { out.push_back(read(r)); });
    if (!each) {
        return each.error();
    }
    return out;
}

/// The one row of the prepared statement `st` (a read by a unique key, an UPDATE … RETURNING of
/// one row), made by `read(row)`, or nullopt when there is none. The statement is stepped to its
/// end, which is when an UPDATE … RETURNING completes.
template <class Read>
auto only_row(result<Stmt> st, Read read) -> result<std::optional<std::invoke_result_t<Read&, const Stmt&>>> {
    using Row = std::invoke_result_t<Read&, const Stmt&>;
    if (!st) {
        return st.error();
    }
    auto row = st->next();
    if (!row) {
        return row.error();
    }
    if (!*row) {
        return std::optional<Row>();
    }
    std::optional<Row> out(read(*st));
    if (auto done = st->next(); !done) {
        return done.error();
    }
    return out;
}

/// Milliseconds since the epoch: how the store keeps every time.
std::int64_t to_ms(TimePoint t) noexcept;

/// SQLite's process-wide settings, applied once before the first connection opens (every open
/// of the store calls it; later calls do nothing).
void configure_library();

/// One SQLite connection and its cache of prepared statements. Statements are cached by the
/// address of their SQL text, which must therefore be a string literal (or another string that
/// lives as long as the connection).
class Db {
public:
    /// Opens (creating) the database at `path` or ":memory:". Throws std::runtime_error with a
    /// readable reason.
    Db(const std::string& path, std::chrono::milliseconds busy_timeout);
    ~Db();
    Db(const Db&) = delete;
    Db& operator=(const Db&) = delete;

    /// The statement `sql` with `args` bound to ?1, ?2, … in order. Text is bound without a copy:
    /// every argument must outlive the statement (temporary strings are refused at compile time).
    template <class... Args>
    result<Stmt> prepare(const char* op, const char* sql, Args&&... args) {
        static_assert(((!std::is_same_v<std::remove_cvref_t<Args>, std::string> ||
                        std::is_lvalue_reference_v<Args>)&&...),
                      "a temporary std::string would be gone before the statement runs");
        sqlite3_stmt* st = cached(op, sql, static_cast<int>(sizeof...(Args)));
        if (st == nullptr) {
            return errc::store_failure;
        }
        Stmt stmt(*this, st, op);
        int index = 0;
        if (!(bind(st, ++index, std::forward<Args>(args)) && ...)) {
            return fail(op);
        }
        return stmt;
    }

    /// A statement without result rows, run to completion. Returns how many rows it changed.
    template <class... Args>
    result<std::uint64_t> exec(const char* op, const char* sql, Args&&... args) {
        auto st = prepare(op, sql, std::forward<Args>(args)...);
        if (!st) {
            return st.error();
        }
        if (auto done = st->run(); !done) {
            return done.error();
        }
        return changes();
    }

    /// The first column of the first row as text, if there is a row (a single-value read).
    template <class... Args>
    result<std::optional<std::string>> text_of(const char* op, const char* sql, Args&&... args) {
        auto st = prepare(op, sql, std::forward<Args>(args)...);
        if (!st) {
            return st.error();
        }
        auto row = st->next();
        if (!row) {
            return row.error();
        }
        return *row ? std::optional<std::string>(st->text(0)) : std::nullopt;
    }

    /// A statement without result rows, run to completion.
    template <class... Args>
    result<void> run(const char* op, const char* sql, Args&&... args) {
        auto st = prepare(op, sql, std::forward<Args>(args)...);
        if (!st) {
            return st.error();
        }
        return st->run();
    }

    /// Runs SQL text that may hold several statements, uncached (PRAGMAs, BEGIN, a migration).
    /// On failure the reason goes to `reason` when given (the caller reports it), else to the log.
    result<void> script(const char* sql, std::string* reason = nullptr);

    /// Logs the connection's last error for `op` and returns errc::store_failure.
    errc fail(const char* op) const;
    /// The connection's last error message.
    std::string last_error() const;
    /// Whether the last error was another connection holding the lock (SQLITE_BUSY or LOCKED).
    bool busy() const noexcept;
    std::uint64_t changes() const noexcept;
    std::int64_t last_insert_rowid() const noexcept;
    /// Resets every cached statement (end of a batch: nothing may hold the read snapshot).
    void reset_all() noexcept;
    sqlite3* native() const noexcept { return db_; }

private:
    sqlite3_stmt* cached(const char* op, const char* sql, int arguments);
    static bool bind(sqlite3_stmt* st, int index, std::string_view v) noexcept;
    static bool bind(sqlite3_stmt* st, int index, Blob v) noexcept;
    static bool bind(sqlite3_stmt* st, int index, const char* v) noexcept {
        return bind(st, index, std::string_view(v));  // not the bool overload
    }
    static bool bind(sqlite3_stmt* st, int index, std::int64_t v) noexcept;
    static bool bind(sqlite3_stmt* st, int index, int v) noexcept;
    static bool bind(sqlite3_stmt* st, int index, bool v) noexcept { return bind(st, index, v ? 1 : 0); }
    static bool bind(sqlite3_stmt* st, int index, std::size_t v) noexcept {
        return bind(st, index, static_cast<std::int64_t>(v));
    }
    static bool bind(sqlite3_stmt* st, int index, TimePoint v) noexcept { return bind(st, index, to_ms(v)); }

    sqlite3* db_ = nullptr;
    std::unordered_map<const char*, sqlite3_stmt*> cache_;
};

}  // namespace bot::store::sqlite
