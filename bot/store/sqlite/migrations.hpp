#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace bot::store {

namespace sqlite {
class Db;
}

/// One numbered schema change. Versions start at 1, increase by one, and are never edited once
/// released: a change to the schema is a new migration.
struct Migration {
    int version;
    std::string_view name;
    std::string_view sql;  ///< one or more statements, run in a single transaction
};

/// The SQLite schema, in order.
const std::vector<Migration>& sqlite_migrations();

/// Applies the migrations `db` has not seen yet, each in its own transaction together with its
/// schema_migrations row, and returns the schema version. The version is read inside that
/// (immediate, so exclusive-for-writing) transaction: two processes opening a new file at once
/// apply each migration once. Throws std::runtime_error with a readable reason (a database newer
/// than `migrations`, a failing migration) and std::logic_error on a gap in their numbering.
int migrate(sqlite::Db& db, const std::string& path, const std::vector<Migration>& migrations);

}  // namespace bot::store
