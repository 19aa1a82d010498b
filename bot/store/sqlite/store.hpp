#pragma once

#include "bot/core/store.hpp"
#include "bot/store/sqlite/migrations.hpp"
#include "bot/store/sqlite/tx.hpp"

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace bot::store {

/// A month's first instant in the deployment's zone and a calendar period it starts ("2026-12",
/// "2026-Q4", "2026"): the rows of migration 23's `calendar`.
struct CalendarStart {
    TimePoint at;
    std::string period;
};

struct SqliteOptions {
    std::string path;             ///< database file (parent directories are created) or ":memory:"
    std::size_t max_batch = 256;  ///< most units of work in one group commit
    std::size_t cache_mib = 8;    ///< SQLite page cache (PRAGMA cache_size)
    std::chrono::milliseconds busy_timeout{5000};
    /// Called on the store thread after every group commit: duration in seconds, units, success.
    std::function<void(double, std::size_t, bool)> on_commit;
    /// The deployment's zone and its months (bot/runtime: calendar_of): with them the store keeps
    /// each unit's figures per month, quarter and year as reports are written (migration 23),
    /// rebuilt at open when the zone is new to the file. Empty: none kept; rankings read reports.
    std::string zone;
    /// Called only when the file does not keep figures for `zone` yet (a first open, a new zone).
    std::function<std::vector<CalendarStart>()> calendar;
    /// Schema to apply; nullptr means sqlite_migrations(). Tests pass their own.
    const std::vector<Migration>* migrations = nullptr;
};

/// SQLite implementation of Store: WAL journal, synchronous=FULL (a commit is on disk when it
/// returns), numbered migrations at open, and group commit on one dedicated store thread.
class SqliteStore final : public Store {
public:
    /// Opens the database, applies migrations and starts the store thread. Throws
    /// std::runtime_error with a readable reason (start-up errors only).
    explicit SqliteStore(SqliteOptions options);
    ~SqliteStore() override;
    SqliteStore(const SqliteStore&) = delete;
    SqliteStore& operator=(const SqliteStore&) = delete;

    void submit(Work work, Done done) override;
    void close() override;
    std::string_view driver() const noexcept override { return "sqlite"; }

    /// Highest migration applied (read at open).
    int schema_version() const noexcept { return schema_version_; }

private:
    struct Item {
        Work work;
        Done done;
    };
    void configure();
    /// Fills migration 23's calendar and figures for options_.zone unless the file keeps them already.
    void keep_figures();
    void run();
    void run_batch(std::vector<Item>& batch);
    /// Runs each unit in its own savepoint; false when the transaction itself broke.
    bool run_units(std::vector<Item>& batch, std::vector<result<void>>& outcomes);
    /// PRAGMA data_version: changes when another connection commits (negative when unreadable).
    std::int64_t data_version();

    SqliteOptions options_;
    std::unique_ptr<sqlite::Db> db_;
    std::unique_ptr<SqliteTx> tx_;
    int schema_version_ = 0;
    std::int64_t data_version_ = -1;  ///< as of the last batch

    std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<Item> queue_;
    bool closing_ = false;
    bool closed_ = false;
    std::thread thread_;
};

}  // namespace bot::store
