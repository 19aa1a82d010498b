#pragma once

#include <string>

namespace bot::test {

/// Runs `sql` on a separate read-only connection to the database at `path` (as another process
/// would see it: committed data only) and returns the rows as "col|col\n" lines; "" when the
/// statement fails. `param`, if given, is bound to ?1.
std::string query(const std::string& path, const std::string& sql, const std::string* param = nullptr);

inline std::string query(const std::string& path, const std::string& sql, const std::string& param) {
    return query(path, sql, &param);
}

}  // namespace bot::test
