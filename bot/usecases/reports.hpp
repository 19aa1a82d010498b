#pragma once

#include "bot/usecases/deps.hpp"
#include "handlers/effects.hpp"
#include "handlers/review.hpp"

#include <optional>
#include <string>
#include <variant>
#include <vector>

/// Reports as people read them (查看, 审核, 范文) and 审核把关's decisions (通过 / 退回 / 采用 / 撤回),
/// for chat, the API and the pages.
namespace bot::usecase {

/// A stored report as the handlers read it (its fields parsed).
handlers::StoredReport to_stored(const store::ReportRecord& r);

/// A report with its adoptions, and its audit history when asked.
struct FoundReport {
    handlers::StoredReport report;
    std::vector<handlers::AdoptionLine> adoptions{};
    std::vector<handlers::HistoryLine> history{};
};

/// The report `number` (nullopt: none). Who may see or decide on it is the rules' (handlers).
result<std::optional<FoundReport>> find_report(store::Tx& tx, const std::string& number, bool history);

/// A report as stored: its number and revision ("1" for a new one).
struct Filed {
    std::string number;
    std::string revision;
};

/// A submission stored — a new report (numbered R-<year>-<n>, filed through `bot_id`/`chat_id`,
/// where its author hears of decisions) or a revision — with its 新 signature, audited as
/// report.submitted or report.resubmitted by `actor`. The chat today; the pages next.
result<Filed> file_report(store::Tx& tx,
                          const Actor& actor,
                          const handlers::Submission& sub,
                          std::string_view bot_id,
                          std::string_view chat_id,
                          TimePoint now);

/// 审核: the reports waiting for review in the units `reader` sees, oldest first, at most `limit`.
/// 我的 (and the pages' list): `person_id`'s reports submitted since `since` or still open, newest
/// first, at most `limit`.
result<std::vector<handlers::StoredReport>> mine(store::Tx& tx,
                                                 const std::string& person_id,
                                                 TimePoint since,
                                                 std::size_t limit);

result<std::vector<handlers::StoredReport>> waiting(const Deps& deps,
                                                    store::Tx& tx,
                                                    const handlers::Person* reader,
                                                    std::size_t limit);

/// 范文: adopted (else approved) reports of `template_id` among the units `reader` is compared with,
/// adopted first, newest first.
result<std::vector<handlers::StoredReport>> exemplars(const Deps& deps,
                                                      store::Tx& tx,
                                                      const handlers::Person* reader,
                                                      const std::string& template_id,
                                                      std::size_t limit);

/// A review decision, as ruled (handlers::review::rule and telling), applied: the adoption of 采用,
/// the report's new status, its audit entry by `actor`, and the author's notice (change.notice)
/// through the outbox. A repeated adoption changes nothing.
result<void> record_decision(store::Tx& tx,
                             const Actor& actor,
                             const handlers::ReviewChange& change,
                             TimePoint now);

/// What a decision's audit entry records as `after`: the comment, else the level and carrier, else
/// the new status.
std::string review_audit_after(const handlers::ReviewChange& change);

/// A decision asked outside a chat (the API, the pages) on `report` by `actor`: ruled, told and
/// recorded in one call. The change as made (`repeat`: nothing changed), or why not.
result<std::variant<handlers::ReviewChange, handlers::review::Refusal>> decide_review(
    const handlers::FlowContext& ctx,
    store::Tx& tx,
    const Actor& actor,
    const FoundReport& report,
    const handlers::review::Ask& ask,
    std::string_view locale);

/// 分派 on the desk and the API: the review of `found` given to `to_id` by `actor` (a coordinator of
/// its unit, or an API token bound to nobody, named `by_name` in the notice; `to_id` a coordinator of
/// the unit: handlers::desk::assign_refusal), stored and audited (report.assigned: before the
/// previous reviewer, after the new one); the new reviewer told privately where the report's bot can
/// (handlers::desk::assignment_notice), through the outbox.
struct Assigned {
    std::string refusal{};  ///< a catalogue key ({number}); empty when assigned
    bool told = false;      ///< a notice to the reviewer was queued
    bool repeat = false;    ///< `to_id` had it already: nothing changed, nobody told again
};
/// Records an assignment decided by the rule (desk::assign_refusal): the reviewer set, the notice
/// queued, `report.assigned` audited (before: the previous reviewer, after: the new one).
result<void> record_assignment(store::Tx& tx,
                               const Actor& actor,
                               const handlers::Assignment& a,
                               TimePoint now);
result<Assigned> assign_report(const handlers::FlowContext& ctx,
                               store::Tx& tx,
                               const Actor& actor,
                               const FoundReport& found,
                               const std::string& to_id,
                               std::string_view by_name = {});

}  // namespace bot::usecase
