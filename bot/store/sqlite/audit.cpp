// The audit log (audit): appended in the transaction of the change it records; triggers refuse
// every UPDATE and DELETE.
#include "bot/store/sqlite/tx.hpp"

namespace bot::store::sqlite {
namespace {

/// A row of id, at, actor_id, actor_account, role, action, target, before, after, request_id.
AuditEntry read(const Stmt& r) {
    return {r.i64(0),
            r.time(1),
            r.text(2),
            r.text(3),
            r.text(4),
            r.text(5),
            r.text(6),
            r.text(7),
            r.text(8),
            r.text(9)};
}

}  // namespace

result<std::int64_t> SqliteAudit::append(const AuditEntry& e) {
    auto inserted =
        db_.run("append_audit",
                "INSERT INTO audit(at, actor_id, actor_account, role, action, target, before, after, "
                "request_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                e.at,
                e.actor_id,
                e.actor_account,
                e.role,
                e.action,
                e.target,
                e.before,
                e.after,
                e.request_id);
    if (!inserted) {
        return inserted.error();
    }
    return db_.last_insert_rowid();
}

result<std::vector<AuditEntry>> SqliteAudit::of_target(std::string_view target, std::size_t limit) {
    return all_rows(
        db_.prepare("audit_of_target",
                    "SELECT id, at, actor_id, actor_account, role, action, target, before, after, "
                    "request_id FROM audit WHERE target = ?1 ORDER BY id LIMIT ?2",
                    target,
                    limit),
        read);
}

result<std::vector<AuditEntry>> SqliteAudit::page(std::int64_t after, std::size_t limit) {
    return all_rows(
        db_.prepare("audit_page",
                    "SELECT id, at, actor_id, actor_account, role, action, target, before, after, "
                    "request_id FROM audit WHERE id > ?1 ORDER BY id LIMIT ?2",
                    after,
                    limit),
        read);
}

}  // namespace bot::store::sqlite
