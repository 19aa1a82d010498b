#include "bot/store/sqlite/backup.hpp"

#include "bot/store/sqlite/engine.hpp"

#include <sqlite3.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <stdexcept>
#include <thread>
#include <unistd.h>

namespace bot::store {
namespace {

namespace fs = std::filesystem;

/// One raw connection, closed on every path out.
struct Conn {
    sqlite3* db = nullptr;
    Conn(const std::string& path, int flags, std::chrono::milliseconds busy_timeout) {
        sqlite::configure_library();
        if (sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
            const std::string why = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
            sqlite3_close(db);
            throw std::runtime_error("cannot open '" + path + "': " + why);
        }
        sqlite3_busy_timeout(db, static_cast<int>(busy_timeout.count()));
    }
    ~Conn() { sqlite3_close(db); }
    Conn(const Conn&) = delete;
    Conn& operator=(const Conn&) = delete;

    std::string error() const { return sqlite3_errmsg(db); }

    /// The first column of the first row of `sql` as text ("" when there is none).
    std::string text(const char* sql) const {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK) {
            throw std::runtime_error(std::string("cannot read the copy (") + sql + "): " + error());
        }
        std::string out;
        const int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW && sqlite3_column_text(st, 0) != nullptr) {
            out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
        }
        sqlite3_finalize(st);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
            throw std::runtime_error(std::string("cannot read the copy (") + sql + "): " + error());
        }
        return out;
    }
    std::int64_t count(const char* sql) const {
        const std::string v = text(sql);
        return v.empty() ? 0 : std::stoll(v);
    }
};

void fsync_path(const fs::path& path, int flags) {
    const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
    if (fd < 0) {
        throw std::runtime_error("cannot open '" + path.string() + "' to sync it");
    }
    const int rc = ::fsync(fd);
    ::close(fd);
    if (rc != 0) {
        throw std::runtime_error("cannot sync '" + path.string() + "'");
    }
}

void copy_pages(const Conn& from, const Conn& to, std::chrono::milliseconds busy_timeout) {
    sqlite3_backup* b = sqlite3_backup_init(to.db, "main", from.db, "main");
    if (b == nullptr) {
        throw std::runtime_error("cannot start the backup: " + to.error());
    }
    // All pages in one step: one read transaction on the source, so one consistent snapshot. A
    // writer holding the lock at that moment (not in WAL mode) is waited for, up to the timeout.
    const auto give_up = std::chrono::steady_clock::now() + busy_timeout;
    int rc = SQLITE_OK;
    while (true) {
        rc = sqlite3_backup_step(b, -1);
        if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && std::chrono::steady_clock::now() < give_up) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            continue;
        }
        break;
    }
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) {
        throw std::runtime_error(std::string("backup failed: ") + sqlite3_errstr(rc));
    }
}

}  // namespace

void publish_no_replace(const std::string& partial, const std::string& dest) {
    // Checked at the start too, but a file may appear while the copy is made: link(2) is the
    // check and the move in one step (rename(2) would replace it).
    if (::link(partial.c_str(), dest.c_str()) != 0) {
        const int err = errno;
        throw std::runtime_error(
            err == EEXIST ? "'" + dest + "' appeared while the backup was made; the copy was not " +
                                "published (a backup never overwrites): choose a new file name"
                          : "cannot create '" + dest + "': " + std::strerror(err));
    }
    ::unlink(partial.c_str());
}

BackupSummary backup(const std::string& source,
                     const std::string& dest,
                     std::chrono::milliseconds busy_timeout) {
    std::error_code ec;
    if (source == ":memory:" || !fs::is_regular_file(source, ec)) {
        throw std::runtime_error("no database at '" + source + "' (store.path of the configuration)");
    }
    if (fs::exists(dest, ec)) {
        throw std::runtime_error("'" + dest + "' exists; choose a new file name (a backup never overwrites)");
    }
    const fs::path partial = dest + ".partial";
    fs::remove(partial, ec);  // left by an interrupted backup
    BackupSummary summary;
    try {
        const Conn from(source, SQLITE_OPEN_READWRITE, busy_timeout);  // never created here
        const Conn to(partial.string(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, busy_timeout);
        copy_pages(from, to, busy_timeout);
        // The copy is one self-contained file: no -wal or -shm beside it to lose on the way.
        if (to.text("PRAGMA journal_mode=DELETE") != "delete") {
            throw std::runtime_error("cannot make the copy a single file: " + to.error());
        }
        if (const std::string check = to.text("PRAGMA integrity_check"); check != "ok") {
            throw std::runtime_error("the copy failed its integrity check: " + check);
        }
        summary.schema_version =
            static_cast<int>(to.count("SELECT coalesce(max(version), 0) FROM schema_migrations"));
        summary.reports = to.count("SELECT count(*) FROM reports");
        summary.events = to.count("SELECT count(*) FROM processed_events");
        summary.outbox_open = to.count("SELECT count(*) FROM outbox WHERE state IN ('pending', 'sending')");
        fsync_path(partial, O_RDONLY);
    } catch (...) {
        fs::remove(partial, ec);
        throw;
    }
    try {
        publish_no_replace(partial.string(), dest);
    } catch (...) {
        fs::remove(partial, ec);
        throw;
    }
    fsync_path(fs::absolute(dest).parent_path(), O_RDONLY | O_DIRECTORY);
    summary.bytes = fs::file_size(dest);
    return summary;
}

}  // namespace bot::store
