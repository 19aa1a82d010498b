#include "bot/usecases/reports.hpp"

#include "handlers/desk.hpp"

#include <nlohmann/json.hpp>

namespace bot::usecase {

handlers::StoredReport to_stored(const store::ReportRecord& r) {
    handlers::StoredReport s{.number = r.number,
                             .template_id = r.template_id,
                             .template_version = r.template_version,
                             .author_id = r.author_id,
                             .status = r.status,
                             .revision = r.revision,
                             .fields = {},
                             .unit_id = r.unit_id,
                             .author_name = r.author_name,
                             .title = r.title,
                             .bot_id = r.bot_id,
                             .chat_id = r.chat_id,
                             .submitted_at = r.submitted_at,
                             .updated_at = r.updated_at,
                             .quality = r.quality,
                             .assignee = r.assignee};
    const auto j = nlohmann::json::parse(r.fields, nullptr, false);
    if (j.is_object()) {
        for (const auto& [k, v] : j.items()) {
            if (v.is_string()) {
                s.fields[k] = v.get<std::string>();
            }
        }
    }
    return s;
}

result<std::optional<FoundReport>> find_report(store::Tx& tx, const std::string& number, bool history) {
    auto found = tx.reports().find(number);
    if (!found) {
        return found.error();
    }
    if (!*found) {
        return std::optional<FoundReport>();
    }
    FoundReport out{.report = to_stored(**found)};
    // Its adoptions: 查看 shows them, 采用 does not count the same one twice.
    auto adopted = tx.reports().adoptions(number);
    if (!adopted) {
        return adopted.error();
    }
    for (const auto& a : *adopted) {
        out.adoptions.push_back({a.level, a.points, a.venue});
    }
    if (history) {
        auto lines = tx.audit().of_target(number, 50);
        if (!lines) {
            return lines.error();
        }
        for (const auto& e : *lines) {
            out.history.push_back({e.at, e.actor_id, e.action, e.after});
        }
    }
    return std::optional<FoundReport>(std::move(out));
}

namespace {

store::ReportRecord record_of(const handlers::Submission& sub,
                              std::string_view bot_id,
                              std::string_view chat_id,
                              TimePoint now) {
    return {.template_id = sub.template_id,
            .template_version = sub.template_version,
            .period_key = sub.period_key,
            .unit_id = sub.unit_id,
            .author_id = sub.author_id,
            .author_name = sub.author_name,
            .bot_id = std::string(bot_id),
            .chat_id = std::string(chat_id),
            .title = sub.title,
            .fields = nlohmann::json(sub.fields).dump(),
            .status = sub.status,
            .on_time = sub.on_time,
            .submitted_at = now,
            .quality = sub.quality};
}

/// Stores the new report or the revision: its number and revision.
result<Filed> store_submission(store::Tx& tx,
                               const handlers::Submission& sub,
                               std::string_view bot_id,
                               std::string_view chat_id,
                               TimePoint now) {
    if (sub.revises.empty()) {
        auto inserted = tx.reports().insert(record_of(sub, bot_id, chat_id, now), sub.year);
        if (!inserted) {
            return inserted.error();
        }
        return Filed{inserted->number, "1"};
    }
    auto revised = tx.reports().revise(
        sub.revises, nlohmann::json(sub.fields).dump(), sub.title, now, sub.status, sub.quality);
    if (!revised) {
        return revised.error();
    }
    return Filed{revised->number, std::to_string(revised->revision)};
}

result<std::vector<handlers::StoredReport>> stored(result<std::vector<store::ReportRecord>> rows) {
    if (!rows) {
        return rows.error();
    }
    std::vector<handlers::StoredReport> out;
    out.reserve(rows->size());
    for (const auto& r : *rows) {
        out.push_back(to_stored(r));
    }
    return out;
}

}  // namespace

result<std::vector<handlers::StoredReport>> waiting(const Deps& deps,
                                                    store::Tx& tx,
                                                    const handlers::Person* reader,
                                                    std::size_t limit) {
    const auto visible = deps.roster.visible_units(reader);
    if (visible && visible->empty()) {
        return std::vector<handlers::StoredReport>();
    }
    // The store reads every unit for an empty list.
    return stored(tx.reports().waiting(
        visible ? std::vector<std::string>(visible->begin(), visible->end()) : std::vector<std::string>(),
        limit));
}

result<std::vector<handlers::StoredReport>> exemplars(const Deps& deps,
                                                      store::Tx& tx,
                                                      const handlers::Person* reader,
                                                      const std::string& template_id,
                                                      std::size_t limit) {
    const auto compared = deps.roster.compared_units(reader);
    return stored(tx.reports().exemplars(
        template_id,
        !compared,
        compared ? std::vector<std::string>(compared->begin(), compared->end()) : std::vector<std::string>(),
        limit));
}

result<Filed> file_report(store::Tx& tx,
                          const Actor& actor,
                          const handlers::Submission& sub,
                          std::string_view bot_id,
                          std::string_view chat_id,
                          TimePoint now) {
    auto filed = store_submission(tx, sub, bot_id, chat_id, now);
    if (!filed) {
        return filed.error();
    }
    if (!sub.signature.empty()) {
        const auto bands = handlers::quality::band_keys(sub.signature);
        if (auto signed_ = tx.reports().set_signature(
                filed->number, sub.signature.exact, handlers::quality::to_blob(sub.signature), bands);
            !signed_) {
            return signed_.error();
        }
    }
    auto appended = tx.audit().append(
        sub.revises.empty()
            ? actor.entry(now, "report.submitted", filed->number, "", sub.status)
            : actor.entry(now, "report.resubmitted", filed->number, "", "revision " + filed->revision));
    if (!appended) {
        return appended.error();
    }
    return filed;
}

std::string review_audit_after(const handlers::ReviewChange& r) {
    if (!r.comment.empty()) {
        return r.comment;
    }
    if (!r.level.empty()) {
        return r.level + (r.venue.empty() ? "" : " " + r.venue);
    }
    return r.to;
}

result<void> record_decision(store::Tx& tx,
                             const Actor& actor,
                             const handlers::ReviewChange& r,
                             TimePoint now) {
    if (r.repeat) {
        return {};
    }
    if (r.action == "adopted") {
        const store::Adoption adoption{.level = r.level,
                                       .points = r.points,
                                       .venue = r.venue,
                                       .adopted_by = actor.id,
                                       .adopted_at = now};
        if (auto a = tx.reports().adopt(r.number, adoption); !a) {
            return a;
        }
    }
    auto moved = tx.reports().set_status(r.number, r.from, r.to, now);
    if (!moved) {
        return moved.error();
    }
    if (!*moved) {
        return errc::store_failure;  // changed since it was read in this very unit: cannot happen
    }
    for (const auto* m : {&r.notice, &r.news}) {
        if (*m) {
            if (auto queued = tx.outbox().enqueue(store::OutboxMessage{.message = **m}, now); !queued) {
                return queued.error();
            }
        }
    }
    auto appended =
        tx.audit().append(actor.entry(now, "report." + r.action, r.number, r.from, review_audit_after(r)));
    return appended ? result<void>{} : result<void>{appended.error()};
}

result<std::variant<handlers::ReviewChange, handlers::review::Refusal>> decide_review(
    const handlers::FlowContext& ctx,
    store::Tx& tx,
    const Actor& actor,
    const FoundReport& found,
    const handlers::review::Ask& ask,
    std::string_view locale) {
    using Outcome = std::variant<handlers::ReviewChange, handlers::review::Refusal>;
    auto decided = handlers::review::rule(ctx, actor.person, found.report, ask, locale, found.adoptions);
    if (auto* change = std::get_if<handlers::ReviewChange>(&decided); change != nullptr && !change->repeat) {
        auto told = handlers::review::telling(ctx, actor.person, found.report, *change);
        change->notice = std::move(told.message);
        change->news = std::move(told.news);
        if (auto recorded = record_decision(tx, actor, *change, ctx.now); !recorded) {
            return recorded.error();
        }
    }
    return Outcome(std::move(decided));
}

result<std::vector<handlers::StoredReport>> mine(store::Tx& tx,
                                                 const std::string& person_id,
                                                 TimePoint since,
                                                 std::size_t limit) {
    auto found = tx.reports().of_author(person_id, since, limit);
    if (!found) {
        return found.error();
    }
    std::vector<handlers::StoredReport> out;
    for (const auto& r : *found) {
        out.push_back(to_stored(r));
    }
    return out;
}

result<Assigned> assign_report(const handlers::FlowContext& ctx,
                               store::Tx& tx,
                               const Actor& actor,
                               const FoundReport& found,
                               const std::string& to_id,
                               std::string_view by_name) {
    const handlers::StoredReport& r = found.report;
    const handlers::Person* to = ctx.roster.person_by_id(to_id);
    if (auto no = handlers::desk::assign_rule(ctx.roster, actor.person, r, to); !no.empty()) {
        const bool repeat = no == "desk.assigned_already";
        return Assigned{.refusal = repeat ? std::string() : std::move(no), .told = false, .repeat = repeat};
    }
    const handlers::Assignment a{
        .number = r.number,
        .to_id = to->id,
        .notice = handlers::desk::assignment_notice(
            ctx, r, actor.person != nullptr ? std::string_view(actor.person->name) : by_name, *to)};
    if (auto recorded = record_assignment(tx, actor, a, ctx.now); !recorded) {
        return recorded.error();
    }
    return Assigned{.refusal = {}, .told = a.notice.has_value(), .repeat = false};
}

result<void> record_assignment(store::Tx& tx,
                               const Actor& actor,
                               const handlers::Assignment& a,
                               TimePoint now) {
    auto before = tx.reports().find(a.number);
    if (!before || !*before) {
        return before ? result<void>(errc::store_failure) : result<void>(before.error());
    }
    if (auto set = tx.reports().assign(a.number, a.to_id); !set || !*set) {
        return set ? result<void>(errc::store_failure) : result<void>(set.error());
    }
    if (a.notice) {
        if (auto queued = tx.outbox().enqueue(store::OutboxMessage{.message = *a.notice}, now); !queued) {
            return queued.error();
        }
    }
    auto appended =
        tx.audit().append(actor.entry(now, "report.assigned", a.number, (*before)->assignee, a.to_id));
    return appended ? result<void>{} : result<void>{appended.error()};
}

}  // namespace bot::usecase
