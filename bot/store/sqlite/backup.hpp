#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace bot::store {

/// What a finished backup holds (printed by `liaison-bot backup`).
struct BackupSummary {
    std::uintmax_t bytes = 0;
    int schema_version = 0;
    std::int64_t reports = 0;
    std::int64_t events = 0;
    std::int64_t outbox_open = 0;  ///< replies not yet delivered when the copy was taken
};

/// Copies the SQLite database at `source` to `dest` while other processes keep writing to it,
/// with SQLite's online backup API in one step: the copy is the database as of one committed
/// transaction (WAL readers do not block the writer, so `serve` goes on answering). The copy is
/// written to `dest`.partial, converted to a single file (journal_mode=DELETE), checked with
/// PRAGMA integrity_check, synced, and only then renamed to `dest`: a `dest` that exists is
/// complete. Refuses a missing source and an existing `dest`. Throws std::runtime_error with the
/// reason.
/// Moves the finished copy `partial` to `dest` without ever replacing a file: `dest` is linked to
/// it (link(2) fails when `dest` exists, whoever created it meanwhile) and `partial` unlinked.
/// Throws std::runtime_error, leaving `dest` untouched, when `dest` exists.
void publish_no_replace(const std::string& partial, const std::string& dest);

BackupSummary backup(const std::string& source,
                     const std::string& dest,
                     std::chrono::milliseconds busy_timeout = std::chrono::milliseconds(10'000));

}  // namespace bot::store
