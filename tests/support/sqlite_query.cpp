#include "tests/support/sqlite_query.hpp"

#include <sqlite3.h>

namespace bot::test {

std::string query(const std::string& path, const std::string& sql, const std::string* param) {
    sqlite3* db = nullptr;
    std::string out;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        sqlite3_close(db);
        return out;
    }
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK) {
        if (param != nullptr) {
            sqlite3_bind_text(st, 1, param->c_str(), static_cast<int>(param->size()), SQLITE_TRANSIENT);
        }
        while (sqlite3_step(st) == SQLITE_ROW) {
            for (int i = 0; i < sqlite3_column_count(st); ++i) {
                const auto* t = sqlite3_column_text(st, i);
                out +=
                    (i == 0 ? "" : "|") + std::string(t != nullptr ? reinterpret_cast<const char*>(t) : "");
            }
            out += "\n";
        }
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
}

}  // namespace bot::test
