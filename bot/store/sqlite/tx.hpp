#pragma once

#include "bot/core/store.hpp"
#include "bot/store/sqlite/engine.hpp"

#include <deque>
#include <unordered_map>

namespace bot::store {

namespace sqlite {

// One class per concern of store::Tx, each in its own file (events.cpp, sessions.cpp, …), all on
// the same connection.

class SqliteEvents final : public Events {
public:
    explicit SqliteEvents(Db& db) : db_(db) {}
    result<bool> remember(std::string_view key, TimePoint now, TimePoint expires_at) override;
    result<std::uint64_t> forget_expired(TimePoint now) override;
    result<bool> seen(std::string_view key, TimePoint now) override;

private:
    Db& db_;
};

/// Sessions, with the last states read or written kept in memory (write-through): a message
/// costs no SELECT of its conversation. The store forgets them all when a unit of work or a batch
/// rolls back, and when another connection has written to the database (PRAGMA data_version).
class SqliteSessions final : public Sessions {
public:
    explicit SqliteSessions(Db& db) : db_(db) {}
    result<std::optional<std::string>> load(const SessionKey& key) override;
    result<void> save(const SessionKey& key, std::string_view state, TimePoint now) override;
    result<void> erase(const SessionKey& key) override;
    result<std::uint64_t> forget_before(TimePoint before) override;
    /// Drops every kept state: the next load reads the store.
    void forget_cached() noexcept;

private:
    static constexpr std::size_t kKept = 4096;  ///< conversations kept; the oldest kept goes first
    void keep(std::string key, std::optional<std::string> state);

    Db& db_;
    std::unordered_map<std::string, std::optional<std::string>> kept_;  ///< nullopt: known to be none
    std::deque<std::string> kept_order_;
};

class SqlitePages final : public Pages {
public:
    explicit SqlitePages(Db& db) : db_(db) {}
    result<void> keep(const SessionKey& key, std::span<const std::string> pages, TimePoint now) override;
    result<std::optional<std::string>> take(const SessionKey& key) override;
    result<std::uint64_t> forget_before(TimePoint before) override;

private:
    Db& db_;
};

class SqliteWeb final : public Web {
public:
    explicit SqliteWeb(Db& db) : db_(db) {}
    result<void> add_upload(const Upload& upload) override;
    result<std::optional<Upload>> upload(std::string_view id) override;
    result<std::uint64_t> uploads_since(std::string_view person_id, TimePoint since) override;
    result<void> add_link(const SignInLink& link) override;
    result<std::optional<SignInLink>> use_link(std::string_view hash, TimePoint now) override;
    result<void> add_session(const WebSession& session) override;
    result<std::optional<WebSession>> session(std::string_view hash,
                                              TimePoint idle_since,
                                              TimePoint now) override;
    result<bool> revoke(std::string_view hash, TimePoint now) override;
    result<std::uint64_t> revoke_person(std::string_view person_id, TimePoint now) override;
    result<std::uint64_t> forget_before(TimePoint before) override;

private:
    Db& db_;
};

class SqliteReports final : public Reports {
public:
    explicit SqliteReports(Db& db) : db_(db) {}
    result<ReportRecord> insert(ReportRecord report, int year) override;
    result<std::optional<ReportRecord>> find(std::string_view number) override;
    result<std::vector<ReportBrief>> in_period(std::string_view template_id,
                                               std::string_view period_key) override;
    result<std::vector<ReportBrief>> period_states(std::string_view template_id,
                                                   std::string_view period_key) override;
    result<ReportRecord> revise(std::string_view number,
                                std::string_view fields,
                                std::string_view title,
                                TimePoint now,
                                std::string_view status = "submitted",
                                std::string_view quality = {}) override;
    result<bool> set_status(std::string_view number,
                            std::string_view from,
                            std::string_view to,
                            TimePoint now) override;
    result<std::vector<ReportRecord>> waiting(std::span<const std::string> units, std::size_t limit) override;
    result<std::vector<ReportRecord>> of_author(std::string_view author_id,
                                                TimePoint since,
                                                std::size_t limit) override;
    result<void> adopt(std::string_view number, const Adoption& adoption) override;
    result<std::vector<Adoption>> adoptions(std::string_view number) override;
    result<std::vector<Revision>> revisions(std::string_view number) override;
    result<std::pair<std::vector<UnitStats>, std::vector<UnitStats>>> unit_stats_split(TimePoint from,
                                                                                       TimePoint mid,
                                                                                       TimePoint to) override;
    result<std::vector<AdoptedReport>> adopted_between(TimePoint from,
                                                       TimePoint to,
                                                       std::size_t limit) override;
    result<std::vector<ReportRecord>> matching(const ReportFilter& filter,
                                               std::int64_t after,
                                               std::size_t limit) override;
    result<std::vector<ReportRecord>> listing(const ReportFilter& filter,
                                              std::int64_t before,
                                              std::size_t limit) override;
    result<UnitHistory> unit_history(std::string_view unit_id, TimePoint from, TimePoint to) override;
    result<bool> assign(std::string_view number, std::string_view person_id) override;
    result<std::vector<UnitStats>> unit_stats(TimePoint from,
                                              TimePoint to,
                                              std::string_view template_id) override;
    result<void> set_signature(std::string_view number,
                               std::uint64_t exact,
                               std::string_view minhash,
                               std::span<const std::int64_t> bands) override;
    result<std::vector<SimilarReport>> similar(std::span<const std::int64_t> bands,
                                               std::string_view exclude,
                                               std::size_t limit) override;
    result<std::vector<ReportRecord>> unsigned_reports(std::int64_t after_id, std::size_t limit) override;
    result<std::int64_t> last_report_id() override;
    result<std::vector<UnitQuality>> quality_between(TimePoint from, TimePoint to) override;
    result<std::vector<ReportRecord>> arrived(TimePoint from, TimePoint to, std::size_t limit) override;
    result<std::optional<PeriodFigures>> period_figures(std::string_view zone,
                                                        std::string_view period,
                                                        std::string_view template_id,
                                                        TimePoint from,
                                                        TimePoint to) override;
    result<std::vector<ReportRecord>> exemplars(std::string_view template_id,
                                                bool all,
                                                std::span<const std::string> units,
                                                std::size_t limit) override;

    /// Forgets the candidates kept for similar() (a rollback, another connection's commit).
    void forget_cached() noexcept { candidates_.clear(); }

private:
    /// Stores `r`'s fields and title as its revision `r.revision` (report_revisions).
    result<void> keep_revision(const ReportRecord& r, TimePoint at);
    /// The report's words for search (report_search), as of its current revision.
    result<void> index_words(const ReportRecord& r);
    /// Whether `units` (their JSON array: `unit_list`) hold so few reports that a search checks
    /// each of them rather than following the words' matches through every unit.
    result<bool> few_in_scope(std::span<const std::string> units, const std::string& unit_list);
    /// A period's reports by id; `texts`: with number, author and title.
    result<std::vector<ReportBrief>> period_rows(std::string_view template_id,
                                                 std::string_view period_key,
                                                 bool texts);
    Db& db_;

    /// 新: what similar() read of each candidate report, by report id: a busy template's look-ups
    /// meet the same newest reports again and again (bench/run: the look-up was 17 % of the store
    /// thread). A revision or a change of status forgets them all, a new signature its report.
    struct Candidate {
        SimilarReport report;  ///< `shared` is the look-up's own
        bool withdrawn = false;
    };
    static constexpr std::size_t kCandidatesKept = 1024;  ///< then all are forgotten
    std::unordered_map<std::int64_t, Candidate> candidates_;
};

class SqliteOutbox final : public Outbox {
public:
    explicit SqliteOutbox(Db& db) : db_(db) {}
    result<std::int64_t> enqueue(const OutboxMessage& message, TimePoint now) override;
    result<std::vector<OutboxMessage>> claim_due(TimePoint now,
                                                 std::size_t limit,
                                                 std::string_view holder = {}) override;
    result<std::vector<OutboxMessage>> claim_batch(std::int64_t batch, std::string_view holder = {}) override;
    result<void> set_batch(std::span<const std::int64_t> ids) override;
    result<void> mark_sent(std::int64_t id, TimePoint now) override;
    result<void> reschedule(std::span<const std::int64_t> ids,
                            TimePoint next_attempt_at,
                            std::string_view error,
                            bool attempted = true) override;
    result<std::uint64_t> release(std::string_view bot_id, TimePoint now) override;
    result<std::optional<std::int64_t>> probe(std::string_view bot_id, TimePoint now) override;
    result<void> fail(std::int64_t id, std::string_view error) override;
    result<std::uint64_t> requeue_interrupted(std::string_view holder = {}, TimePoint now = {}) override;
    result<std::optional<TimePoint>> next_due() override;
    result<std::uint64_t> forget_done_before(TimePoint before) override;

private:
    Db& db_;
};

class SqliteSchedule final : public Schedule {
public:
    explicit SqliteSchedule(Db& db) : db_(db) {}
    result<bool> decide_send(
        std::string_view key, std::string_view state, TimePoint due_at, TimePoint now, int messages) override;
    result<std::optional<std::string>> load_value(std::string_view name) override;
    result<void> save_value(std::string_view name, std::string_view value, TimePoint now) override;
    result<bool> acquire_lease(std::string_view name,
                               std::string_view holder,
                               TimePoint now,
                               TimePoint until) override;
    result<std::optional<Lease>> lease(std::string_view name) override;

private:
    Db& db_;
};

class SqliteLeaves final : public Leaves {
public:
    explicit SqliteLeaves(Db& db) : db_(db) {}
    result<void> add(std::string_view person_id,
                     std::string_view from,
                     std::string_view to,
                     TimePoint now) override;
    result<std::uint64_t> end(std::string_view person_id, std::string_view today) override;
    result<std::uint64_t> open_count(std::string_view person_id, std::string_view today) override;
    result<std::uint64_t> end_covering(std::string_view person_id,
                                       std::string_view today,
                                       std::string_view day) override;
    result<std::vector<std::string>> on_day(std::string_view day) override;

private:
    Db& db_;
};

class SqliteAudit final : public Audit {
public:
    explicit SqliteAudit(Db& db) : db_(db) {}
    result<std::int64_t> append(const AuditEntry& entry) override;
    result<std::vector<AuditEntry>> of_target(std::string_view target, std::size_t limit) override;
    result<std::vector<AuditEntry>> page(std::int64_t after, std::size_t limit) override;

private:
    Db& db_;
};

class SqliteBindings final : public Bindings {
public:
    explicit SqliteBindings(Db& db) : db_(db) {}
    result<std::int64_t> request(const BindingRecord& binding, TimePoint now) override;
    result<std::optional<BindingRecord>> find(std::int64_t id) override;
    result<std::optional<std::string>> person_of(std::string_view bot_id, std::string_view user_id) override;
    result<std::optional<std::string>> account_of(std::string_view bot_id,
                                                  std::string_view person_id) override;
    result<bool> decide(std::int64_t id, std::string_view state, std::string_view by, TimePoint now) override;
    result<std::vector<BindingRecord>> pending(std::size_t limit) override;
    result<std::vector<BindingRecord>> approved() override;

private:
    Db& db_;
};

}  // namespace sqlite

/// Every concern on one connection, as a unit of work sees it.
class SqliteTx final : public Tx {
public:
    explicit SqliteTx(sqlite::Db& db)
        : db_(db),
          events_(db),
          sessions_(db),
          pages_(db),
          web_(db),
          reports_(db),
          outbox_(db),
          schedule_(db),
          leaves_(db),
          bindings_(db),
          audit_(db) {}

    Events& events() override { return events_; }
    Sessions& sessions() override { return sessions_; }
    Pages& pages() override { return pages_; }
    Web& web() override { return web_; }
    Reports& reports() override { return reports_; }
    Outbox& outbox() override { return outbox_; }
    Schedule& schedule() override { return schedule_; }
    Leaves& leaves() override { return leaves_; }
    Bindings& bindings() override { return bindings_; }
    Audit& audit() override { return audit_; }
    result<void> ping() override;
    /// What is kept in memory (the sessions) no longer matches the database: forget it.
    void forget_cached() noexcept {
        sessions_.forget_cached();
        reports_.forget_cached();
    }

    /// The raw connection, for tests that need SQL the interface does not offer.
    sqlite3* native() const noexcept { return db_.native(); }

private:
    sqlite::Db& db_;
    sqlite::SqliteEvents events_;
    sqlite::SqliteSessions sessions_;
    sqlite::SqlitePages pages_;
    sqlite::SqliteWeb web_;
    sqlite::SqliteReports reports_;
    sqlite::SqliteOutbox outbox_;
    sqlite::SqliteSchedule schedule_;
    sqlite::SqliteLeaves leaves_;
    sqlite::SqliteBindings bindings_;
    sqlite::SqliteAudit audit_;
};

}  // namespace bot::store
