#pragma once

#include "bot/core/clock.hpp"
#include "bot/core/errors.hpp"
#include "bot/core/message.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace bot::store {

/// Identifies one conversation.
struct SessionKey {
    std::string bot_id;
    std::string chat_id;
    std::string user_id;

    /// The three parts in one string (separated by U+001F, which no id contains): the key of the
    /// sessions kept in memory.
    std::string flat() const {
        std::string k;
        k.reserve(bot_id.size() + chat_id.size() + user_id.size() + 2);
        k.append(bot_id).push_back('\x1f');
        k.append(chat_id).push_back('\x1f');
        k.append(user_id);
        return k;
    }
};

/// A report row. `fields` is a JSON object text; times are wall-clock.
struct ReportRecord {
    std::int64_t id = 0;
    std::string number{};  ///< R-<year>-<nnnn>, assigned by insert_report
    std::string template_id{};
    int template_version = 0;
    std::string period_key{};
    std::string unit_id{};
    std::string author_id{};
    std::string author_name{};
    std::string bot_id{};
    std::string chat_id{};
    std::string title{};
    std::string fields{};
    std::string status = "submitted";
    bool on_time = true;
    int revision = 1;
    TimePoint submitted_at{};
    TimePoint updated_at{};
    std::string quality{};   ///< 快 · 实 · 新 marks as assessed at submission (JSON; '' before them)
    std::string assignee{};  ///< the coordinator its review is given to (分派; the desk), or empty
};

/// 快 · 实 · 新 of one unit's reports in a window: sums of the marks, to average.
struct UnitQuality {
    std::string unit_id;
    int reports = 0;  ///< assessed reports (withdrawn ones excluded)
    int fast_n = 0;   ///< of them, those whose template checks 快
    long fast_sum = 0;
    long solid_sum = 0;
    long fresh_sum = 0;
    int with_figures = 0;
};

/// An earlier report sharing LSH bands with a draft (新; handlers/quality.hpp).
struct SimilarReport {
    std::string number;
    std::string title;
    std::string unit_id;
    std::uint64_t exact = 0;  ///< hash of its normalised text
    std::string minhash;      ///< its MinHash values (handlers::quality::to_blob)
    int shared = 0;           ///< bands shared with the draft
};

/// One adoption of a report (采用): the level it was used at, its points, and where.
struct Adoption {
    std::string level{};
    int points = 0;
    std::string venue{};  ///< e.g. 《组工信息》第 12 期; may be empty
    std::string adopted_by{};
    TimePoint adopted_at{};
};

/// One revision of a report as it was submitted (the current one included).
struct Revision {
    int revision = 1;
    std::string title{};
    std::string fields{};  ///< JSON object of field id → value
    TimePoint at{};
};

/// A unit's figures over a time range (排名): reports submitted in it, and adoptions made in it.
struct UnitStats {
    std::string unit_id{};
    int submitted = 0;  ///< withdrawn ones excluded
    int on_time = 0;
    int approved = 0;  ///< approved or adopted
    int adopted = 0;   ///< adoptions (a report adopted twice counts twice)
    int points = 0;
    std::map<std::string, int, std::less<>> adopted_by_level{};
};

/// Every unit's figures for one calendar period (Reports::period_figures).
struct PeriodFigures {
    std::vector<UnitStats> stats;      ///< as unit_stats over the period gives them
    std::vector<UnitQuality> quality;  ///< as quality_between over the period gives them
};

/// What a unit did over a time range, for its trend (the desk's unit page): when each of its
/// reports was submitted (withdrawn ones excluded), and each adoption of them, with its points.
struct UnitHistory {
    std::vector<TimePoint> submitted{};
    std::vector<std::pair<TimePoint, int>> adopted{};
};

/// Which reports an export or a listing takes.
struct ReportFilter {
    std::string template_id{};         ///< empty: every template
    TimePoint from{};                  ///< submitted at or after
    TimePoint to{TimePoint::max()};    ///< … and before
    std::vector<std::string> units{};  ///< empty: every unit
    std::string status{};              ///< empty: every status
    /// Words the report holds (title, author, answers), as a person typed them (bot/core/search.hpp):
    /// every whitespace-separated term as a phrase. Empty: any.
    std::string words{};
    /// 快 · 实 · 新: "weak" — a mark below 60; "strong" — every mark 80 or more; empty: any.
    std::string marks{};
    std::string assignee{};  ///< only reports whose review is given to this person; empty: any
};

/// One line of the audit log: append-only, written in the same transaction as the change.
struct AuditEntry {
    std::int64_t id = 0;
    TimePoint at{};
    std::string actor_id{};       ///< the person, or the account when not on the roster
    std::string actor_account{};  ///< "<bot>:<user id>", or "api", "cli", "scheduler"
    std::string role{};           ///< officer, coordinator, admin, stranger, system
    std::string action{};         ///< report.submitted, report.approved, binding.approved, …
    std::string target{};         ///< R-2026-0001, B3, a chat, …
    std::string before{};         ///< a short summary of the state before ("" for a creation)
    std::string after{};          ///< … and after
    std::string request_id{};     ///< the event's dedupe key, or the API request's id
};

/// What boards and digests read of a report (period_reports): no fields, no revisions.
struct ReportBrief {
    std::int64_t id = 0;
    std::string number;
    std::string unit_id;
    std::string author_id;
    std::string title;
    bool on_time = true;
    std::string status{};  ///< submitted, returned, approved or adopted (withdrawn ones are not read)
    TimePoint submitted_at{};
};

/// An adoption with what the digest says of its report.
struct AdoptedReport {
    std::string number{};
    std::string title{};
    std::string unit_id{};
    std::string level{};
    int points = 0;
    std::string venue{};
    TimePoint at{};
};

/// An outgoing message as stored in the outbox.
struct OutboxMessage {
    std::int64_t id = 0;
    Message message{};      ///< its idempotency_key is set per request part, not stored
    std::string context{};  ///< platform reply context (JSON), may be empty
    /// The order it keeps: messages of one bot and queue go out one after another. Empty on
    /// enqueue: the chat's (message.chat_id); InboundEvent::reply_queue for per-message replies.
    std::string queue{};
    int attempts = 0;  ///< delivery attempts so far, including the one being made
    /// 0, or the id of the first row of the merged request it belongs to (outbox::form_batches):
    /// a batch is always claimed, sent and retried whole, as the same request.
    std::int64_t batch = 0;
    std::string last_error{};
    TimePoint created_at{};
    TimePoint next_attempt_at{};
};

// The operations a unit of work may perform inside its transaction, one small interface per
// concern, so that another store (PostgreSQL is coming) can be written and tested concern by
// concern (tests/unit/store_concerns_test.cpp runs the same cases against each). A unit of work
// reaches them through Tx. Implementations: SQLite (bot/store/sqlite/). Every method runs on the
// store thread.

/// Deduplication of platform events.
class Events {
public:
    virtual ~Events() = default;
    /// Records that the event `key` was processed, to expire at `expires_at`. Returns true when
    /// the key is new (or its earlier record had expired by `now`), false when it is a duplicate.
    /// errc::store_failure on a database error; errc::invalid_argument on an empty key.
    virtual result<bool> remember(std::string_view key, TimePoint now, TimePoint expires_at) = 0;
    /// Deletes dedupe records that expired before `now`; returns how many.
    virtual result<std::uint64_t> forget_expired(TimePoint now) = 0;
    /// Whether the key is recorded and unexpired at `now` (no write).
    virtual result<bool> seen(std::string_view key, TimePoint now) = 0;
};

/// Conversations in progress: the handlers' JSON state per (bot, chat, user).
class Sessions {
public:
    virtual ~Sessions() = default;
    /// The stored state of a conversation, if any.
    virtual result<std::optional<std::string>> load(const SessionKey& key) = 0;
    /// Inserts or replaces a conversation's state.
    virtual result<void> save(const SessionKey& key, std::string_view state, TimePoint now) = 0;
    virtual result<void> erase(const SessionKey& key) = 0;
    /// Deletes conversations untouched since `before` (expired drafts); returns how many.
    virtual result<std::uint64_t> forget_before(TimePoint before) = 0;
};

/// Replies waiting to be asked for, one page per 继续: a platform whose reply to one message must
/// fit one push (the WeCom AI bot; bot/router/pages.hpp). Kept per (bot, chat, user).
class Pages {
public:
    virtual ~Pages() = default;
    /// Replaces what waits for `key` with `pages`, in order (none: clears it).
    virtual result<void> keep(const SessionKey& key, std::span<const std::string> pages, TimePoint now) = 0;
    /// Takes the first page waiting for `key`, if any.
    virtual result<std::optional<std::string>> take(const SessionKey& key) = 0;
    /// Deletes the pages kept before `before` (nobody asked for them); returns how many.
    virtual result<std::uint64_t> forget_before(TimePoint before) = 0;
};

/// A one-time sign-in link to the pages (docs/web.md): only the token's hash is stored.
struct SignInLink {
    std::string hash;       ///< SHA-256 (hex) of the token in the link
    std::string person_id;  ///< who it signs in
    SessionKey chat;        ///< the chat it was asked in: the pages continue that chat's draft
    TimePoint created_at{};
    TimePoint expires_at{};
};

/// A browser signed in to the pages: only the cookie's hash is stored.
struct WebSession {
    std::string hash;       ///< SHA-256 (hex) of the cookie's value
    std::string person_id;  ///< who is signed in
    SessionKey chat;        ///< as the link it came from
    std::string csrf;       ///< the token every form of this session carries
    TimePoint created_at{};
    TimePoint seen_at{};
};

/// A photo uploaded on the pages: its bytes (an image of an allowed type, checked) and its owner.
struct Upload {
    std::string id;  ///< random, 32 hex digits; answers name it "upload:<id>"
    std::string person_id;
    std::string mime;    ///< image/jpeg, image/png, image/webp, image/heic
    std::string sha256;  ///< hex, of the bytes
    std::string bytes;
    TimePoint created_at{};
};

/// Sign-in links, browser sessions and uploaded photos of the pages.
class Web {
public:
    virtual ~Web() = default;
    virtual result<void> add_upload(const Upload& upload) = 0;
    virtual result<std::optional<Upload>> upload(std::string_view id) = 0;
    /// How many photos `person_id` uploaded at or after `since` (the per-person daily limit).
    virtual result<std::uint64_t> uploads_since(std::string_view person_id, TimePoint since) = 0;
    virtual result<void> add_link(const SignInLink& link) = 0;
    /// Uses the link with this hash, once: the link when it was neither used nor expired at `now`
    /// (now marked used); nullopt otherwise (unknown, used before, expired).
    virtual result<std::optional<SignInLink>> use_link(std::string_view hash, TimePoint now) = 0;
    virtual result<void> add_session(const WebSession& session) = 0;
    /// The session with this hash when it is not revoked and was seen at or after `idle_since`;
    /// marked seen at `now`.
    virtual result<std::optional<WebSession>> session(std::string_view hash,
                                                      TimePoint idle_since,
                                                      TimePoint now) = 0;
    /// Revokes one session (signing out); false when there was none to revoke.
    virtual result<bool> revoke(std::string_view hash, TimePoint now) = 0;
    /// Revokes every session of a person; returns how many.
    virtual result<std::uint64_t> revoke_person(std::string_view person_id, TimePoint now) = 0;
    /// Deletes links expired and sessions last seen or revoked before `before`; returns how many.
    virtual result<std::uint64_t> forget_before(TimePoint before) = 0;
};

/// Submitted reports and their revisions.
class Reports {
public:
    virtual ~Reports() = default;
    /// Stores a new report, assigning the next number of `year` (R-2026-0001, …) and keeping its
    /// fields as revision 1. Returns the stored row.
    virtual result<ReportRecord> insert(ReportRecord report, int year) = 0;
    virtual result<std::optional<ReportRecord>> find(std::string_view number) = 0;
    /// Every report of a template in a period, withdrawn ones excluded, oldest first (the columns
    /// a board needs: a period may hold 100,000 reports).
    virtual result<std::vector<ReportBrief>> in_period(std::string_view template_id,
                                                       std::string_view period_key) = 0;
    /// The same reports with id, unit, on_time and status only (number, author and title empty):
    /// what a period's totals need, for the digest's previous period.
    virtual result<std::vector<ReportBrief>> period_states(std::string_view template_id,
                                                           std::string_view period_key) = 0;
    /// Replaces a report's fields and title with a new revision (the old one stays in
    /// report_revisions) and sets its status to `status` (submitted, or approved where no review
    /// is required). errc::not_found when absent.
    virtual result<ReportRecord> revise(std::string_view number,
                                        std::string_view fields,
                                        std::string_view title,
                                        TimePoint now,
                                        std::string_view status = "submitted",
                                        std::string_view quality = {}) = 0;
    /// Moves a report from `from` to `to` (a review decision, a withdrawal). False, changing
    /// nothing, when its status is no longer `from`.
    virtual result<bool> set_status(std::string_view number,
                                    std::string_view from,
                                    std::string_view to,
                                    TimePoint now) = 0;
    /// 我的: `author_id`'s reports submitted since `since` or still open (submitted, returned),
    /// newest first, at most `limit`.
    virtual result<std::vector<ReportRecord>> of_author(std::string_view author_id,
                                                        TimePoint since,
                                                        std::size_t limit) = 0;
    /// Reports waiting for review (submitted) that were filed or revised in [from, to), oldest
    /// first, at most `limit` (the hourly notices; docs/desk.md).
    virtual result<std::vector<ReportRecord>> arrived(TimePoint from, TimePoint to, std::size_t limit) = 0;
    /// Reports waiting for review (submitted), oldest first, of these units (empty: every unit).
    virtual result<std::vector<ReportRecord>> waiting(std::span<const std::string> units,
                                                      std::size_t limit) = 0;
    virtual result<void> adopt(std::string_view number, const Adoption& adoption) = 0;
    virtual result<std::vector<Adoption>> adoptions(std::string_view number) = 0;
    /// unit_stats of every template for [from, mid) and [mid, to) at once (the digest's two
    /// windows), by unit id, in one pass over the reports submitted in [from, to).
    virtual result<std::pair<std::vector<UnitStats>, std::vector<UnitStats>>> unit_stats_split(
        TimePoint from, TimePoint mid, TimePoint to) = 0;
    /// Adoptions made in [from, to), oldest first, at most `limit` (the digest's).
    virtual result<std::vector<AdoptedReport>> adopted_between(TimePoint from,
                                                               TimePoint to,
                                                               std::size_t limit) = 0;
    /// Every revision of a report, the first first (empty when there is no such report).
    virtual result<std::vector<Revision>> revisions(std::string_view number) = 0;
    /// Reports matching `filter` with an id above `after`, by id, at most `limit` (a cursor).
    virtual result<std::vector<ReportRecord>> matching(const ReportFilter& filter,
                                                       std::int64_t after,
                                                       std::size_t limit) = 0;
    /// The coordinators' desk: reports matching `filter` (its words included) with an id below
    /// `before` (0: from the newest), newest first, at most `limit`.
    virtual result<std::vector<ReportRecord>> listing(const ReportFilter& filter,
                                                      std::int64_t before,
                                                      std::size_t limit) = 0;
    /// Gives the review of report `number` to `person_id` (empty: to nobody). False when there is no
    /// such report.
    virtual result<bool> assign(std::string_view number, std::string_view person_id) = 0;
    /// One unit's reports submitted in [from, to) and adoptions of its reports made in [from, to).
    virtual result<UnitHistory> unit_history(std::string_view unit_id, TimePoint from, TimePoint to) = 0;
    /// Per unit: reports submitted in [from, to) and adoptions made in [from, to), of one template
    /// (empty: all). Units with neither are absent.
    virtual result<std::vector<UnitStats>> unit_stats(TimePoint from,
                                                      TimePoint to,
                                                      std::string_view template_id) = 0;
    // ---- 新 (handlers/quality.hpp): each report's MinHash signature and its LSH band keys.
    /// Stores (or, for a revision, replaces) the signature of report `number`.
    virtual result<void> set_signature(std::string_view number,
                                       std::uint64_t exact,
                                       std::string_view minhash,
                                       std::span<const std::int64_t> bands) = 0;
    /// Reports other than `exclude` (and not withdrawn) sharing at least one of `bands`, those
    /// sharing the most first, at most `limit`. Only the newest few reports of each band count: a
    /// band thousands share costs no more than one a few share.
    virtual result<std::vector<SimilarReport>> similar(std::span<const std::int64_t> bands,
                                                       std::string_view exclude,
                                                       std::size_t limit) = 0;
    /// 范文: reports of `template_id` adopted (first) or approved, newest first, of `units` unless
    /// `all`.
    virtual result<std::vector<ReportRecord>> exemplars(std::string_view template_id,
                                                        bool all,
                                                        std::span<const std::string> units,
                                                        std::size_t limit) = 0;
    /// Per unit, the marks of the reports submitted in [from, to) (the digest's quality section).
    virtual result<std::vector<UnitQuality>> quality_between(TimePoint from, TimePoint to) = 0;
    /// unit_stats and quality_between of the calendar period `period` ("2026-12", "2026-Q4",
    /// "2026": [from, to) in `zone`) read from the figures kept per unit and period as reports are
    /// written, one row a unit instead of every report (docs/desk.md). nullopt when the store keeps
    /// no figures for `zone` (opened without it, or with another zone): then read the reports.
    virtual result<std::optional<PeriodFigures>> period_figures(std::string_view zone,
                                                                std::string_view period,
                                                                std::string_view template_id,
                                                                TimePoint from,
                                                                TimePoint to) = 0;
    /// Reports after `after_id` without a signature yet, oldest first (built at start: bot/runtime).
    virtual result<std::vector<ReportRecord>> unsigned_reports(std::int64_t after_id, std::size_t limit) = 0;
    /// The id of the newest report (0: none).
    virtual result<std::int64_t> last_report_id() = 0;
};

/// Outgoing messages: every message is a row before it is a request (docs/outbox.md).
class Outbox {
public:
    virtual ~Outbox() = default;
    /// Stores a message to deliver. It becomes due at `now`, or after the last pending message of
    /// its queue (the chat's, unless it has one of its own), so that they go out in order. Returns
    /// its id.
    virtual result<std::int64_t> enqueue(const OutboxMessage& message, TimePoint now) = 0;
    /// Takes up to `limit` due messages (oldest first) and marks them as being sent by `holder`
    /// (the process; see requeue_interrupted).
    virtual result<std::vector<OutboxMessage>> claim_due(TimePoint now,
                                                         std::size_t limit,
                                                         std::string_view holder = {}) = 0;
    /// Claims the rows of `batch` still pending (a claim's LIMIT may have cut a batch in two).
    virtual result<std::vector<OutboxMessage>> claim_batch(std::int64_t batch,
                                                           std::string_view holder = {}) = 0;
    /// Records that `ids` (claimed, one queue's, consecutive) go out as one request: their batch
    /// becomes ids.front(). Stored in the claim's transaction, before the request is made.
    virtual result<void> set_batch(std::span<const std::int64_t> ids) = 0;
    virtual result<void> mark_sent(std::int64_t id, TimePoint now) = 0;
    /// Back to pending at `next_attempt_at`, with the error: `ids` are one chat's messages in
    /// order (the one that could not go and those claimed behind it). The chat's later messages
    /// move behind them. `attempted` false: no request was made for them (the chat's rate was
    /// used up, or a probe during an outage): the claim's attempt is not counted.
    virtual result<void> reschedule(std::span<const std::int64_t> ids,
                                    TimePoint next_attempt_at,
                                    std::string_view error,
                                    bool attempted = true) = 0;
    /// A platform came back after an outage: `bot_id`'s pending messages waiting on a backoff go
    /// now (in order: each queue keeps its order). Returns how many.
    virtual result<std::uint64_t> release(std::string_view bot_id, TimePoint now) = 0;
    /// During an outage: the oldest waiting message of `bot_id` (the head of its queue) becomes
    /// due now, to learn whether the platform is back. Returns its id, if any waits.
    virtual result<std::optional<std::int64_t>> probe(std::string_view bot_id, TimePoint now) = 0;
    /// Gives up on a message (kept, state failed, with the error).
    virtual result<void> fail(std::int64_t id, std::string_view error) = 0;
    /// Messages left 'sending' by a process that stopped go back to pending: those claimed by a
    /// holder other than `holder` whose lease "outbox:<holder>" (Schedule::acquire_lease) is no
    /// longer valid at `now`, and those of no holder. Never another live process's. An empty
    /// `holder` requeues every 'sending' row (a store used by one process). Returns how many.
    virtual result<std::uint64_t> requeue_interrupted(std::string_view holder = {}, TimePoint now = {}) = 0;
    /// When the next pending message is due, if any.
    virtual result<std::optional<TimePoint>> next_due() = 0;
    /// Deletes sent and failed messages stored before `before` (retention); returns how many.
    virtual result<std::uint64_t> forget_done_before(TimePoint before) = 0;
};

/// The scheduler's memory (docs/scheduling.md): decided sends, named values, leases.
class Schedule {
public:
    virtual ~Schedule() = default;
    /// Records the decision about the scheduled send `key` ("sent" or "skipped", with how many
    /// messages it queued). Returns false, changing nothing, when the key was decided before: this
    /// is what makes every scheduled send happen once.
    virtual result<bool> decide_send(
        std::string_view key, std::string_view state, TimePoint due_at, TimePoint now, int messages) = 0;
    /// A small named value (the scheduler's cursor, a chat's last manual reminder).
    virtual result<std::optional<std::string>> load_value(std::string_view name) = 0;
    virtual result<void> save_value(std::string_view name, std::string_view value, TimePoint now) = 0;
    /// Takes or renews the lease `name` for `holder` until `until`. False when another holder's
    /// lease is still valid at `now`.
    virtual result<bool> acquire_lease(std::string_view name,
                                       std::string_view holder,
                                       TimePoint now,
                                       TimePoint until) = 0;
    /// Who holds the lease `name` and until when (a holder's lease may have run out), if anyone
    /// ever took it.
    struct Lease {
        std::string holder;
        TimePoint expires_at;
    };
    virtual result<std::optional<Lease>> lease(std::string_view name) = 0;
};

/// Leave announced in chat (请假/销假); dates are ISO local dates, both ends included.
class Leaves {
public:
    virtual ~Leaves() = default;
    virtual result<void> add(std::string_view person_id,
                             std::string_view from,
                             std::string_view to,
                             TimePoint now) = 0;
    /// Ends `person_id`'s leave from `today` on: leave that has not started is dropped, leave in
    /// progress ends yesterday. Returns how many leaves changed.
    virtual result<std::uint64_t> end(std::string_view person_id, std::string_view today) = 0;
    /// Ends only the leave of `person_id` that covers the local date `day` (as end() does: dropped
    /// when it has not started by `today`, else ending yesterday). Returns how many changed (0 or 1+).
    virtual result<std::uint64_t> end_covering(std::string_view person_id,
                                               std::string_view today,
                                               std::string_view day) = 0;
    /// How many of `person_id`'s stored leaves end on `today` or later (what end() would change).
    virtual result<std::uint64_t> open_count(std::string_view person_id, std::string_view today) = 0;
    /// People on leave on the local date `day`, sorted.
    virtual result<std::vector<std::string>> on_day(std::string_view day) = 0;
};

/// A request to be known as a roster person on one bot (绑定 姓名), and its outcome.
struct BindingRecord {
    std::int64_t id = 0;
    std::string bot_id{};
    std::string user_id{};     ///< the account, as that bot sees it
    std::string user_name{};   ///< as the platform gave it, when it asked
    std::string person_id{};   ///< the roster person it asks to be
    std::string chat_id{};     ///< where it asked (where the answer goes)
    std::string state{};       ///< pending, approved, refused
    std::string decided_by{};  ///< the coordinator's person id
    TimePoint requested_at{};
    TimePoint decided_at{};
};

/// Accounts bound to roster people through chat, approved by a coordinator.
class Bindings {
public:
    virtual ~Bindings() = default;
    /// Stores a pending request; a pending request of the same account is replaced (refused).
    /// Returns its id.
    virtual result<std::int64_t> request(const BindingRecord& binding, TimePoint now) = 0;
    virtual result<std::optional<BindingRecord>> find(std::int64_t id) = 0;
    /// The person an account is bound to (an approved binding), if any.
    virtual result<std::optional<std::string>> person_of(std::string_view bot_id,
                                                         std::string_view user_id) = 0;
    /// The account of bot `bot_id` bound to person `person_id` (an approved binding), if any.
    virtual result<std::optional<std::string>> account_of(std::string_view bot_id,
                                                          std::string_view person_id) = 0;
    /// Approves or refuses a pending request (`state`: approved or refused). False, changing
    /// nothing, when it is not pending (decided before, or replaced).
    virtual result<bool> decide(std::int64_t id,
                                std::string_view state,
                                std::string_view by,
                                TimePoint now) = 0;
    /// Pending requests, oldest first, at most `limit`.
    virtual result<std::vector<BindingRecord>> pending(std::size_t limit) = 0;
    /// Every approved binding (reminders @-mention bound accounts).
    virtual result<std::vector<BindingRecord>> approved() = 0;
};

/// The audit log: appended to, never changed.
class Audit {
public:
    virtual ~Audit() = default;
    virtual result<std::int64_t> append(const AuditEntry& entry) = 0;
    /// Entries about `target`, oldest first.
    virtual result<std::vector<AuditEntry>> of_target(std::string_view target, std::size_t limit) = 0;
    /// Entries after id `after`, oldest first (a cursor).
    virtual result<std::vector<AuditEntry>> page(std::int64_t after, std::size_t limit) = 0;
};

/// What a unit of work sees: every concern, inside one transaction.
class Tx {
public:
    virtual ~Tx() = default;
    virtual Events& events() = 0;
    virtual Sessions& sessions() = 0;
    virtual Pages& pages() = 0;
    virtual Web& web() = 0;
    virtual Reports& reports() = 0;
    virtual Outbox& outbox() = 0;
    virtual Schedule& schedule() = 0;
    virtual Leaves& leaves() = 0;
    virtual Bindings& bindings() = 0;
    virtual Audit& audit() = 0;
    /// A trivial read that proves the database answers (readiness).
    virtual result<void> ping() = 0;
};

/// A unit of work: runs on the store thread inside a savepoint of a shared transaction. Returning
/// an error rolls back this unit's writes only.
using Work = std::function<result<void>(Tx&)>;

/// Called exactly once per unit, on the store thread, after the transaction that holds the unit
/// has committed (success) or after the unit or its commit failed (error). Must not block.
using Done = std::function<void(result<void>)>;

/// A durable store with group commit: units submitted concurrently share one transaction and one
/// fsync, and each caller learns its outcome only once that commit is on disk.
class Store {
public:
    virtual ~Store() = default;

    /// Thread-safe. After close(), `done` is called at once with errc::store_closed.
    virtual void submit(Work work, Done done) = 0;

    /// Runs every unit already submitted, then closes the database. Idempotent; blocks.
    virtual void close() = 0;

    virtual std::string_view driver() const noexcept = 0;
};

}  // namespace bot::store
