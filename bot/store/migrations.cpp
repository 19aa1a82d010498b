#include "bot/store/migrations.hpp"

namespace bot::store {

const std::vector<Migration>& sqlite_migrations() {
    static const std::vector<Migration> all{
        {1, "processed_events",
         // Deduplication: one row per processed platform event id, kept until it expires.
         "CREATE TABLE processed_events ("
         "  event_key  TEXT PRIMARY KEY NOT NULL,"
         "  seen_at    INTEGER NOT NULL,"  // unix milliseconds
         "  expires_at INTEGER NOT NULL"   // unix milliseconds
         ") WITHOUT ROWID;"
         "CREATE INDEX processed_events_expiry ON processed_events(expires_at);"},
    };
    return all;
}

}  // namespace bot::store
