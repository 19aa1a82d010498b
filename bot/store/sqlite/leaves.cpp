// Leave announced in chat (leaves): ISO local dates, both ends included.
#include "bot/store/sqlite/tx.hpp"

namespace bot::store::sqlite {

result<void> SqliteLeaves::add(std::string_view person_id,
                               std::string_view from,
                               std::string_view to,
                               TimePoint now) {
    return db_.run("add_leave",
                   "INSERT INTO leaves(person_id, from_date, to_date, created_at) VALUES (?1, ?2, ?3, ?4)",
                   person_id,
                   from,
                   to,
                   now);
}

result<std::uint64_t> SqliteLeaves::end(std::string_view person_id, std::string_view today) {
    auto dropped = db_.exec(
        "end_leave", "DELETE FROM leaves WHERE person_id = ?1 AND from_date >= ?2", person_id, today);
    if (!dropped) {
        return dropped;
    }
    // Leave in progress ends the day before: date(today, '-1 day') in ISO form.
    auto cut = db_.exec("end_leave cut",
                        "UPDATE leaves SET to_date = date(?2, '-1 day') "
                        "WHERE person_id = ?1 AND from_date < ?2 AND to_date >= ?2",
                        person_id,
                        today);
    if (!cut) {
        return cut;
    }
    return *dropped + *cut;
}

result<std::uint64_t> SqliteLeaves::end_covering(std::string_view person_id,
                                                 std::string_view today,
                                                 std::string_view day) {
    auto dropped = db_.exec("end_leave_covering",
                            "DELETE FROM leaves WHERE person_id = ?1 AND from_date >= ?2 "
                            "AND from_date <= ?3 AND to_date >= ?3",
                            person_id,
                            today,
                            day);
    if (!dropped) {
        return dropped;
    }
    auto cut = db_.exec("end_leave_covering cut",
                        "UPDATE leaves SET to_date = date(?2, '-1 day') "
                        "WHERE person_id = ?1 AND from_date < ?2 AND to_date >= ?2 "
                        "AND from_date <= ?3 AND to_date >= ?3",
                        person_id,
                        today,
                        day);
    if (!cut) {
        return cut;
    }
    return *dropped + *cut;
}

result<std::uint64_t> SqliteLeaves::open_count(std::string_view person_id, std::string_view today) {
    auto st = db_.prepare("open_leave_count",
                          "SELECT count(*) FROM leaves WHERE person_id = ?1 AND to_date >= ?2",
                          person_id,
                          today);
    if (!st) {
        return st.error();
    }
    auto row = st->next();
    if (!row || !*row) {
        return db_.fail("open_leave_count");
    }
    return static_cast<std::uint64_t>(st->i64(0));
}

result<std::vector<std::string>> SqliteLeaves::on_day(std::string_view day) {
    auto st = db_.prepare(
        "people_on_leave",
        "SELECT DISTINCT person_id FROM leaves WHERE from_date <= ?1 AND to_date >= ?1 ORDER BY person_id",
        day);
    if (!st) {
        return st.error();
    }
    std::vector<std::string> out;
    auto read = st->each([&out](const Stmt& r) { out.push_back(r.text(0)); });
    if (!read) {
        return read.error();
    }
    return out;
}

}  // namespace bot::store::sqlite
