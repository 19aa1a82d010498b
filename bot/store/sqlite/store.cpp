// The SQLite store: opening (WAL, synchronous=FULL, migrations) and group commit on one thread.
// The concerns a unit of work uses are in events.cpp, sessions.cpp, reports.cpp, outbox.cpp,
// schedule.cpp and leaves.cpp; the connection and statement cache in engine.cpp.
#include "bot/store/sqlite/store.hpp"

#include "bot/core/log.hpp"

#include <algorithm>
#include <stdexcept>
#include <thread>

namespace bot::store {

SqliteStore::SqliteStore(SqliteOptions options) : options_(std::move(options)) {
    if (options_.max_batch == 0) {
        options_.max_batch = 1;
    }
    db_ = std::make_unique<sqlite::Db>(options_.path, options_.busy_timeout);
    configure();
    schema_version_ = migrate(
        *db_, options_.path, options_.migrations != nullptr ? *options_.migrations : sqlite_migrations());
    keep_figures();
    tx_ = std::make_unique<SqliteTx>(*db_);
    thread_ = std::thread([this] { run(); });
}

void SqliteStore::keep_figures() {
    if (options_.zone.empty() || schema_version_ < 23) {
        return;
    }
    const auto zone_kept = [this]() -> bool {
        auto kept = db_->text_of("figures zone", "SELECT zone FROM calendar_zone");
        return kept && *kept && **kept == options_.zone;
    };
    if (zone_kept()) {
        return;
    }
    const auto t0 = std::chrono::steady_clock::now();
    if (!db_->script("BEGIN IMMEDIATE")) {
        throw std::runtime_error("cannot lock SQLite database '" + options_.path + "': " + db_->last_error());
    }
    if (zone_kept()) {  // another process did it meanwhile
        (void)db_->script("COMMIT");
        return;
    }
    std::string reason;
    bool ok = static_cast<bool>(
        db_->script("DELETE FROM calendar; DELETE FROM calendar_zone; DELETE FROM unit_figures", &reason));
    const auto calendar = options_.calendar ? options_.calendar() : std::vector<CalendarStart>();
    for (const auto& c : calendar) {
        if (!ok) {
            break;
        }
        auto row = db_->run(
            "calendar row", "INSERT INTO calendar (starts_at, period) VALUES (?1, ?2)", c.at, c.period);
        ok = static_cast<bool>(row);
        reason = ok ? reason : row.error().message();
    }
    // The figures of the reports stored so far (the triggers keep them from now on): a unit's for
    // each template, then for every template ('') summed from those.
    ok = ok &&
         static_cast<bool>(db_->script(
             "INSERT INTO unit_figures SELECT c.period, r.template_id, r.unit_id, count(*), sum(r.on_time), "
             "  sum(r.status IN ('approved', 'adopted')), sum(r.quality != ''), "
             "  sum(CASE WHEN r.quality = '' THEN 0 WHEN json_extract(r.quality, '$.fast') >= 0 THEN 1 ELSE "
             "0 END), "
             "  sum(CASE WHEN r.quality = '' THEN 0 WHEN json_extract(r.quality, '$.fast') >= 0 "
             "    THEN json_extract(r.quality, '$.fast') ELSE 0 END), "
             "  sum(CASE WHEN r.quality = '' THEN 0 ELSE coalesce(json_extract(r.quality, '$.solid'), 0) "
             "END), "
             "  sum(CASE WHEN r.quality = '' THEN 0 ELSE coalesce(json_extract(r.quality, '$.fresh'), 0) "
             "END), "
             "  sum(CASE WHEN r.quality = '' THEN 0 ELSE coalesce(json_extract(r.quality, '$.figures'), 0) "
             "END) "
             "FROM reports r JOIN calendar c "
             "  ON c.starts_at = (SELECT max(starts_at) FROM calendar WHERE starts_at <= r.submitted_at) "
             "WHERE r.status != 'withdrawn' GROUP BY c.period, r.template_id, r.unit_id;"
             "INSERT INTO unit_figures SELECT period, '', unit_id, sum(submitted), sum(on_time), "
             "sum(approved), "
             "  sum(q_reports), sum(q_fast_n), sum(q_fast), sum(q_solid), sum(q_fresh), sum(q_figures) "
             "FROM unit_figures WHERE template_id != '' GROUP BY period, unit_id",
             &reason));
    if (ok) {
        auto zone = db_->run("figures zone", "INSERT INTO calendar_zone (zone) VALUES (?1)", options_.zone);
        ok = static_cast<bool>(zone);
        reason = ok ? reason : zone.error().message();
    }
    if (!ok || !db_->script("COMMIT", &reason)) {
        (void)db_->script("ROLLBACK");
        throw std::runtime_error("cannot keep the units' figures in SQLite database '" + options_.path +
                                 "': " + reason);
    }
    log::info("store")
        .kv("event", "figures_kept")
        .kv("zone", options_.zone)
        .kv("ms",
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
                .count());
}

void SqliteStore::configure() {
    const auto refuse = [this](std::string_view what) {
        throw std::runtime_error("cannot " + std::string(what) + " SQLite database '" + options_.path +
                                 "': " + db_->last_error());
    };
    // WAL journal: readers never block the writer. synchronous=FULL: each commit fsyncs the WAL,
    // so a commit that returned survives power loss (NORMAL would not). Switching to WAL needs
    // the database to itself, and SQLite does not wait for that: retry while another process
    // opens the same file, up to the busy timeout.
    if (options_.path != ":memory:") {
        const auto give_up = std::chrono::steady_clock::now() + options_.busy_timeout;
        std::string reason;
        while (!db_->script("PRAGMA journal_mode=WAL", &reason)) {
            if (!db_->busy() || std::chrono::steady_clock::now() > give_up) {
                refuse("enable WAL on");
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    }
    // A page cache (8 MiB by default) over the kernel's: pages it does not hold are read with
    // pread(2) from the kernel's page cache. 64 MiB held 86 MB resident after 30 s of full load
    // against 28 MB, at the same CPU per message and latency (docs/performance.md, fourth
    // session). No mmap: its pages would count in the RSS.
    const std::string cache =
        "PRAGMA cache_size=-" + std::to_string(std::max<std::size_t>(1, options_.cache_mib) * 1024);
    if (!db_->script("PRAGMA synchronous=FULL") || !db_->script("PRAGMA foreign_keys=ON") ||
        !db_->script(cache.c_str())) {
        refuse("configure");
    }
}

SqliteStore::~SqliteStore() {
    close();
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
        db_.reset();
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

bool SqliteStore::run_units(std::vector<Item>& batch, std::vector<result<void>>& outcomes) {
    for (std::size_t i = 0; i < batch.size(); ++i) {
        // Each unit runs in its own savepoint, so a failing unit rolls back alone. The savepoint
        // statements go through the statement cache: they run twice per unit of work.
        if (!db_->run("savepoint", "SAVEPOINT unit")) {
            return false;
        }
        result<void> r = errc::store_failure;
        try {
            r = batch[i].work(*tx_);
        } catch (const std::exception& e) {
            log::error("store").kv("event", "unit_threw").kv("reason", e.what());
        } catch (...) {
            log::error("store").kv("event", "unit_threw");
        }
        bool broken = false;
        if (!r) {
            broken = !db_->run("rollback to savepoint", "ROLLBACK TO unit");
            tx_->forget_cached();  // what the unit kept in memory was rolled back with it
        }
        broken = !db_->run("release savepoint", "RELEASE unit") || broken;
        outcomes[i] = r;
        if (broken) {
            return false;
        }
    }
    return true;
}

std::int64_t SqliteStore::data_version() {
    auto st = db_->prepare("data_version", "PRAGMA data_version");
    if (!st) {
        return -1;  // unknown: forget what is kept
    }
    auto row = st->next();
    return row && *row ? st->i64(0) : -1;
}

void SqliteStore::run_batch(std::vector<Item>& batch) {
    const auto started = std::chrono::steady_clock::now();
    std::vector<result<void>> outcomes(batch.size(), result<void>(errc::store_failure));

    bool committed = false;
    if (db_->script("BEGIN IMMEDIATE")) {
        // Another connection (a second process, the console) committed since our last batch: what
        // is kept in memory may be stale. Read under the write lock, so none can commit meanwhile.
        if (const std::int64_t version = data_version(); version < 0 || version != data_version_) {
            tx_->forget_cached();
            data_version_ = version;
        }
        const bool whole = run_units(batch, outcomes);
        // A statement still positioned on a row would hold the read transaction open.
        db_->reset_all();
        if (whole && db_->script("COMMIT")) {
            committed = true;
        } else {
            (void)db_->script("ROLLBACK");
        }
    }
    if (!committed) {
        tx_->forget_cached();
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (options_.on_commit) {
        options_.on_commit(seconds, batch.size(), committed);
    }
    // Outcomes are reported only now: after the COMMIT returned (and so the WAL is synced).
    for (std::size_t i = 0; i < batch.size(); ++i) {
        result<void> r =
            committed ? outcomes[i] : (outcomes[i] ? result<void>(errc::store_failure) : outcomes[i]);
        try {
            batch[i].done(r);
        } catch (...) {
            log::error("store").kv("event", "done_threw");
        }
    }
}

}  // namespace bot::store
