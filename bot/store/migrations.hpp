#pragma once

#include <string_view>
#include <vector>

namespace bot::store {

/// One numbered schema change. Versions start at 1, increase by one, and are never edited once
/// released: a change to the schema is a new migration.
struct Migration {
    int version;
    std::string_view name;
    std::string_view sql;  ///< one or more statements, run in a single transaction
};

/// The SQLite schema, in order.
const std::vector<Migration>& sqlite_migrations();

}  // namespace bot::store
