#pragma once

#include "bot/core/store.hpp"
#include "bot/store/migrations.hpp"

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace bot::store {

struct SqliteOptions {
    std::string path;             ///< database file (parent directories are created) or ":memory:"
    std::size_t max_batch = 256;  ///< most units of work in one group commit
    std::size_t cache_mib = 64;   ///< SQLite page cache (PRAGMA cache_size)
    std::chrono::milliseconds busy_timeout{5000};
    /// Called on the store thread after every group commit: duration in seconds, units, success.
    std::function<void(double, std::size_t, bool)> on_commit;
    /// Schema to apply; nullptr means sqlite_migrations(). Tests pass their own.
    const std::vector<Migration>* migrations = nullptr;
};

/// The statement cache and connection, as seen by a unit of work.
class SqliteTx final : public Tx {
public:
    explicit SqliteTx(sqlite3* db) : db_(db) {}
    ~SqliteTx() override;
    SqliteTx(const SqliteTx&) = delete;
    SqliteTx& operator=(const SqliteTx&) = delete;

    result<bool> remember_event(std::string_view key, TimePoint now, TimePoint expires_at) override;
    result<std::uint64_t> forget_expired_events(TimePoint now) override;
    result<bool> event_seen(std::string_view key, TimePoint now) override;
    result<void> ping() override;
    result<std::optional<std::string>> load_session(const SessionKey& key) override;
    result<void> save_session(const SessionKey& key, std::string_view state, TimePoint now) override;
    result<void> delete_session(const SessionKey& key) override;
    result<std::uint64_t> forget_sessions_before(TimePoint before) override;
    result<ReportRecord> insert_report(ReportRecord report, int year) override;
    result<std::optional<ReportRecord>> find_report(std::string_view number) override;
    result<std::vector<ReportBrief>> period_reports(std::string_view template_id,
                                                    std::string_view period_key) override;
    result<ReportRecord> revise_report(std::string_view number,
                                       std::string_view fields,
                                       std::string_view title,
                                       TimePoint now) override;
    result<std::int64_t> enqueue_message(const OutboxMessage& message, TimePoint now) override;
    result<std::vector<OutboxMessage>> claim_due_messages(TimePoint now, std::size_t limit) override;
    result<void> mark_message_sent(std::int64_t id, TimePoint now) override;
    result<void> reschedule_messages(std::span<const std::int64_t> ids,
                                     TimePoint next_attempt_at,
                                     std::string_view error) override;
    result<void> fail_message(std::int64_t id, std::string_view error) override;
    result<std::uint64_t> requeue_interrupted_messages() override;
    result<std::optional<TimePoint>> next_message_due() override;
    result<bool> decide_send(
        std::string_view key, std::string_view state, TimePoint due_at, TimePoint now, int messages) override;
    result<std::optional<std::string>> load_value(std::string_view name) override;
    result<void> save_value(std::string_view name, std::string_view value, TimePoint now) override;
    result<bool> acquire_lease(std::string_view name,
                               std::string_view holder,
                               TimePoint now,
                               TimePoint until) override;
    result<void> add_leave(std::string_view person_id,
                           std::string_view from,
                           std::string_view to,
                           TimePoint now) override;
    result<std::uint64_t> end_leave(std::string_view person_id, std::string_view today) override;
    result<std::uint64_t> open_leave_count(std::string_view person_id, std::string_view today) override;
    result<std::vector<std::string>> people_on_leave(std::string_view day) override;

    /// The raw connection, for tests that need SQL the interface does not offer.
    sqlite3* native() const noexcept { return db_; }

    /// A cached prepared statement, reset and with bindings cleared. nullptr on error (logged).
    /// `sql` must be a string literal: statements are cached by its address.
    sqlite3_stmt* prepare(const char* sql);

    /// Resets every cached statement, so that none keeps a read transaction (and with it an old
    /// WAL snapshot) open after the batch: another process's commits must be visible to the next.
    void reset_all() noexcept;

private:
    /// Stores `r`'s fields and title as its revision `r.revision` (report_revisions).
    result<void> keep_revision(const ReportRecord& r, TimePoint at);

    sqlite3* db_;
    std::unordered_map<const char*, sqlite3_stmt*> cache_;
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
    void run();
    void run_batch(std::vector<Item>& batch);
    bool exec(const char* sql);
    /// A statement without results, through the prepared-statement cache (a string literal).
    bool step(const char* sql);

    SqliteOptions options_;
    sqlite3* db_ = nullptr;
    std::unique_ptr<SqliteTx> tx_;
    int schema_version_ = 0;

    std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<Item> queue_;
    bool closing_ = false;
    bool closed_ = false;
    std::thread thread_;
};

}  // namespace bot::store
