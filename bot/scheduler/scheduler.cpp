#include "bot/scheduler/scheduler.hpp"

#include "bot/core/log.hpp"
#include "handlers/catalog.hpp"
#include "handlers/ranking.hpp"
#include "templates/periods.hpp"

#include <algorithm>
#include <charconv>

namespace bot::scheduler {
namespace {

constexpr std::string_view kCursor = "scheduler.cursor";

std::int64_t to_ms(TimePoint t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

TimePoint from_ms(std::int64_t ms) {
    return TimePoint{std::chrono::duration_cast<TimePoint::duration>(std::chrono::milliseconds(ms))};
}

/// A stored time (milliseconds since the epoch); the epoch when the value is unreadable.
TimePoint stored_time(const std::string& text) {
    std::int64_t ms = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), ms);
    return ec == std::errc() && end == text.data() + text.size() ? from_ms(ms) : TimePoint{};
}

std::string bot_locale(const Deps& deps, std::string_view bot) {
    const auto it = deps.bot_locales.find(bot);
    return it == deps.bot_locales.end() ? deps.locale : it->second;
}

handlers::ReminderContext reminder_context(const Deps& deps) {
    return {deps.roster,
            deps.coordinator_chats,
            deps.locale,
            [&deps](std::string_view bot) { return bot_locale(deps, bot); },
            [&deps](std::string_view bot) { return deps.direct_bots.count(bot) > 0; },
            [&deps](std::string_view bot) {
                const auto it = deps.bot_platforms.find(bot);
                return it == deps.bot_platforms.end() ? std::string() : it->second;
            }};
}

/// Accounts bound in chat (绑定), "person\x1fbot" → user id: reminders @-mention them.
using BoundAccounts = std::map<std::string, std::string, std::less<>>;

result<std::shared_ptr<const BoundAccounts>> bound_accounts(store::Tx& tx) {
    auto approved = tx.bindings().approved();
    if (!approved) {
        return approved.error();
    }
    auto out = std::make_shared<BoundAccounts>();
    for (const auto& b : *approved) {
        out->emplace(b.person_id + '\x1f' + b.bot_id, b.user_id);
    }
    return std::shared_ptr<const BoundAccounts>(std::move(out));
}

/// The reminder context with the accounts bound in chat, read once per round's unit.
result<handlers::ReminderContext> reminder_context(const Deps& deps, store::Tx& tx) {
    if (!deps.bound_accounts) {
        return reminder_context(deps);
    }
    auto bound = bound_accounts(tx);
    if (!bound) {
        return bound.error();
    }
    handlers::ReminderContext ctx = reminder_context(deps);
    if (!(*bound)->empty()) {
        ctx.bound_account = [bound = *bound](std::string_view person, std::string_view bot) {
            const auto it = bound->find(std::string(person) + '\x1f' + std::string(bot));
            return it == bound->end() ? std::string() : it->second;
        };
    }
    return ctx;
}

/// Decides each send once; queues the messages of the ones decided "sent" now.
result<void> decide(const Deps& deps,
                    store::Tx& tx,
                    const std::vector<handlers::Send>& sends,
                    bool skip,
                    TimePoint due,
                    TimePoint now,
                    TickReport& report) {
    for (const auto& s : sends) {
        const bool routable = deps.push_bots.count(s.message.bot_id) > 0;
        const char* state = skip ? "skipped" : routable ? "sent" : "unroutable";
        auto fresh = tx.schedule().decide_send(s.key, state, due, now, skip || !routable ? 0 : 1);
        if (!fresh) {
            return fresh.error();
        }
        if (!*fresh) {
            continue;  // decided before: by an earlier tick, a restart, or another process
        }
        if (skip) {
            ++report.skipped;
            log::warn("scheduler")
                .kv("event", "send_skipped")
                .kv("key", s.key)
                .kv("reason", "past catch-up window");
            continue;
        }
        if (!routable) {
            ++report.unroutable;
            log::warn("scheduler")
                .kv("event", "send_unroutable")
                .kv("key", s.key)
                .kv("bot", s.message.bot_id)
                .kv("reason", "the bot cannot post unasked (webhook without callback_url?)");
            continue;
        }
        if (auto queued = tx.outbox().enqueue({.message = s.message}, now); !queued) {
            return queued.error();
        }
        ++report.queued;
    }
    return {};
}

bool in_quiet_hours(const Deps& deps, TimePoint now, std::string_view zone) {
    return handlers::after_quiet_hours(now, deps.quiet, zone) != now;
}

}  // namespace

result<handlers::StatusBoard> load_board(const Deps& deps,
                                         store::Tx& tx,
                                         const templates::Template& tmpl,
                                         const templates::Period& period,
                                         TimePoint now,
                                         std::vector<handlers::ReportSummary>* reports,
                                         BoardReads reads) {
    auto rows = reads == BoardReads::all ? tx.reports().in_period(tmpl.id, period.key)
                                         : tx.reports().period_states(tmpl.id, period.key);
    if (!rows) {
        return rows.error();
    }
    std::vector<handlers::ReportSummary> summaries;
    summaries.reserve(rows->size());
    for (auto& r : *rows) {
        summaries.push_back({std::move(r.number),
                             std::move(r.unit_id),
                             r.on_time,
                             std::move(r.title),
                             std::move(r.author_id),
                             std::move(r.status)});
    }
    // On leave now, or when the period was due: on Monday, last week's board shows an officer who
    // was away on Friday as 请假, not as 未报 (their leave is over by now).
    const templates::LocalDate today = templates::local_date(now, tmpl.time_zone);
    auto stored = tx.leaves().on_day(today.iso());
    std::optional<templates::LocalDate> due_day;
    if (period.due && *period.due < now) {
        due_day = templates::local_date(*period.due, tmpl.time_zone);
        if (*due_day == today) {
            due_day.reset();
        }
    }
    if (stored && due_day) {
        auto then = tx.leaves().on_day(due_day->iso());
        if (!then) {
            return then.error();
        }
        stored->insert(stored->end(), then->begin(), then->end());
    }
    if (!stored) {
        return stored.error();
    }
    std::set<std::string, std::less<>> on_leave(stored->begin(), stored->end());
    for (const auto& p : deps.roster.people()) {
        if (std::any_of(p.leave.begin(), p.leave.end(), [&](const handlers::Leave& l) {
                return l.covers(today) || (due_day && l.covers(*due_day));
            })) {
            on_leave.insert(p.id);
        }
    }
    auto board = handlers::status_board(tmpl, deps.roster, summaries, on_leave);
    if (reports != nullptr) {
        *reports = std::move(summaries);
    }
    return board;
}

namespace {

/// The reminder rounds due in (from, now]. A round caught up during quiet hours waits: `next_cursor`
/// is moved back to just before it.
result<void> reminder_rounds(const Deps& deps,
                             store::Tx& tx,
                             TimePoint from,
                             TimePoint now,
                             TimePoint& next_cursor,
                             TickReport& report) {
    const auto due_steps = handlers::due_steps(deps.templates, deps.calendar, deps.quiet, from, now);
    if (due_steps.empty()) {
        return {};
    }
    auto ctx_read = reminder_context(deps, tx);
    if (!ctx_read) {
        return ctx_read.error();
    }
    const auto& ctx = *ctx_read;
    for (const auto& due : due_steps) {
        const auto& tmpl = *due.tmpl;
        const bool skip = now - due.at > deps.catch_up;
        if (!skip && in_quiet_hours(deps, now, tmpl.time_zone)) {
            // Caught up at night: wait for the morning (the window still counts from `at`).
            next_cursor = std::min(next_cursor, due.at - std::chrono::milliseconds(1));
            continue;
        }
        const auto& step = tmpl.reminders[due.step];
        const std::string prefix =
            "remind/" + tmpl.id + "/" + due.period.key + "/" + std::to_string(due.step + 1);
        auto board = load_board(deps, tx, tmpl, due.period, now);
        if (!board) {
            return board.error();
        }
        const auto sends =
            handlers::reminder_round(prefix, tmpl, due.period, due.anchor, step, *board, {}, now, ctx);
        auto round = tx.schedule().decide_send(
            prefix, skip ? "skipped" : "sent", due.at, now, static_cast<int>(sends.size()));
        if (!round) {
            return round.error();
        }
        if (*round) {
            ++report.rounds;
            log::info("scheduler")
                .kv("event", skip ? "round_skipped" : "round")
                .kv("key", prefix)
                .kv("messages", sends.size());
        }
        if (auto d = decide(deps, tx, sends, skip, due.at, now, report); !d) {
            return d;
        }
    }
    return {};
}

/// The weekly digests due in (from, now], one text per locale.
result<void> digest_rounds(
    const Deps& deps, store::Tx& tx, TimePoint from, TimePoint now, TickReport& report) {
    if (!deps.digest || deps.digest_chats.empty()) {
        return {};
    }
    for (const auto& due : handlers::due_digests(*deps.digest, from, now)) {
        const bool skip = now - due.at > deps.catch_up;
        std::vector<handlers::Send> sends;
        std::map<std::string, Doc> docs;  // by locale
        for (const auto& c : deps.digest_chats) {
            const std::string locale = bot_locale(deps, c.bot);
            if (!skip && docs.find(locale) == docs.end()) {
                auto d = digest_doc(deps, tx, now, locale);
                if (!d) {
                    return d.error();
                }
                docs[locale] = std::move(*d);
            }
            Message m{.chat_id = c.chat, .bot_id = c.bot};
            sends.push_back({"digest/" + due.week + "/" + c.bot + "/" + c.chat,
                             skip ? m : with_doc(std::move(m), docs[locale])});
        }
        ++report.rounds;
        if (auto d = decide(deps, tx, sends, skip, due.at, now, report); !d) {
            return d;
        }
    }
    return {};
}

/// The daily "waiting for review" lines due in (from, now], on working days, each once.
result<void> review_rounds(
    const Deps& deps, store::Tx& tx, TimePoint from, TimePoint now, TickReport& report) {
    if (!deps.review_waiting || now <= from) {
        return {};
    }
    const auto& rule = *deps.review_waiting;
    constexpr std::size_t kRead = 5000;  // the oldest this many: the count says "at least" beyond
    std::optional<std::vector<handlers::WaitingReport>> waiting;
    const templates::LocalDate last = templates::local_date(now, rule.zone);
    for (templates::LocalDate d = templates::local_date(from, rule.zone); d.iso() <= last.iso();
         d = d.plus_days(1)) {
        const TimePoint at = templates::at_local(rule.zone, d, rule.time);
        if (at <= from || at > now || (deps.calendar != nullptr && !deps.calendar->is_working_day(d))) {
            continue;
        }
        const bool skip = now - at > deps.catch_up;
        if (!waiting) {
            auto rows = tx.reports().waiting({}, kRead);
            if (!rows) {
                return rows.error();
            }
            waiting.emplace();
            for (auto& r : *rows) {
                waiting->push_back(
                    {std::move(r.number), std::move(r.title), std::move(r.unit_id), r.updated_at});
            }
        }
        auto ctx = reminder_context(deps, tx);
        if (!ctx) {
            return ctx.error();
        }
        const auto sends = handlers::review_round("review/" + d.iso(), *waiting, at - rule.after, at, *ctx);
        if (!sends.empty()) {
            ++report.rounds;
        }
        if (auto r = decide(deps, tx, sends, skip, at, now, report); !r) {
            return r;
        }
    }
    return {};
}

/// Coordinators are told once, on a working day between 09:00 and 18:00, when the calendar's data
/// ends within kCalendarNotice: after it, holidays are computed and make-up days unknown.
result<void> calendar_round(const Deps& deps, store::Tx& tx, TimePoint now, TickReport& report) {
    constexpr int kCalendarNoticeDays = 60;
    if (deps.calendar == nullptr || deps.coordinator_chats.empty()) {
        return {};
    }
    const auto until = deps.calendar->data_until();
    const std::string zone = deps.digest ? deps.digest->zone : std::string(kDefaultTimeZone);
    const templates::LocalDate today = templates::local_date(now, zone);
    const auto minute = templates::local_time_of_day(now, zone);
    if (!until || until->plus_days(-kCalendarNoticeDays).iso() > today.iso() ||
        !deps.calendar->is_working_day(today) || minute < std::chrono::hours(9) ||
        minute >= std::chrono::hours(18)) {
        return {};
    }
    std::vector<handlers::Send> sends;
    for (const auto& c : deps.coordinator_chats) {
        const std::string locale = bot_locale(deps, c.bot);
        sends.push_back({"calendar/until-" + until->iso() + "/" + c.bot + "/" + c.chat,
                         {.chat_id = c.chat,
                          .text = handlers::msg(locale,
                                                "calendar_ends",
                                                {{"date", until->iso()},
                                                 {"year", std::to_string(until->year + 1)},
                                                 {"file", deps.calendar_file}}),
                          .bot_id = c.bot}});
    }
    return decide(deps, tx, sends, false, now, now, report);
}

/// One tick inside its unit of work: the lease, the window since the cursor, the rounds, the cursor.
result<void> run_tick(
    const Deps& deps, store::Tx& tx, const std::string& holder, TimePoint now, TickReport& report) {
    auto leader = tx.schedule().acquire_lease("scheduler", holder, now, now + deps.lease);
    if (!leader) {
        return leader.error();
    }
    if (!*leader) {
        return {};
    }
    report.leader = true;
    auto cursor_text = tx.schedule().load_value(kCursor);
    if (!cursor_text) {
        return cursor_text.error();
    }
    // From the last tick (at most `lookback` ago); the very first tick looks back one catch-up
    // window, so a new installation does not replay history.
    TimePoint from = now - deps.catch_up;
    TimePoint cursor{};
    if (*cursor_text) {
        cursor = stored_time(**cursor_text);
        from = std::max(cursor, TimePoint(now - deps.lookback));
    }
    TimePoint next_cursor = now;
    if (auto r = reminder_rounds(deps, tx, from, now, next_cursor, report); !r) {
        return r;
    }
    if (auto r = digest_rounds(deps, tx, from, now, report); !r) {
        return r;
    }
    if (auto r = review_rounds(deps, tx, from, now, report); !r) {
        return r;
    }
    if (auto r = calendar_round(deps, tx, now, report); !r) {
        return r;
    }
    if (next_cursor > cursor) {
        return tx.schedule().save_value(kCursor, std::to_string(to_ms(next_cursor)), now);
    }
    return {};
}

}  // namespace

store::Work tick(const Deps& deps, std::string holder, TimePoint now, std::shared_ptr<TickReport> out) {
    return [&deps, holder = std::move(holder), now, out = std::move(out)](store::Tx& tx) -> result<void> {
        TickReport report;
        auto r = run_tick(deps, tx, holder, now, report);
        if (r) {
            *out = report;
        }
        return r;
    };
}

result<ManualOutcome> remind_now(const Deps& deps,
                                 store::Tx& tx,
                                 std::string_view scope,
                                 const std::vector<std::string>& template_ids,
                                 const std::vector<std::string>& units,
                                 TimePoint now,
                                 std::string_view locale) {
    ManualOutcome out;
    const std::string limit_key = "remind.last/" + std::string(scope);
    auto last = tx.schedule().load_value(limit_key);
    if (!last) {
        return last.error();
    }
    if (*last) {
        const TimePoint at = stored_time(**last);
        if (now >= at && now - at < deps.remind_cooldown) {
            const auto wait =
                std::chrono::duration_cast<std::chrono::seconds>(deps.remind_cooldown - (now - at));
            out.too_soon = wait;
            out.replies.push_back(
                handlers::msg(locale,
                              "remind_too_soon",
                              {{"minutes", std::to_string(std::max<long>(1, (wait.count() + 59) / 60))}}));
            return out;
        }
    }
    if (auto saved = tx.schedule().save_value(limit_key, std::to_string(to_ms(now)), now); !saved) {
        return saved.error();
    }
    auto ctx_read = reminder_context(deps, tx);
    if (!ctx_read) {
        return ctx_read.error();
    }
    const auto& ctx = *ctx_read;
    templates::ReminderStep step;  // officers, in their chats
    TickReport report;
    for (const auto& id : template_ids) {
        const auto* tmpl = deps.templates.find(id);
        if (tmpl == nullptr) {
            continue;
        }
        const auto period = templates::period_for(*tmpl, now, deps.calendar);
        const auto anchor = templates::reminder_anchor(*tmpl, period, deps.calendar);
        if (!anchor) {
            continue;  // nothing is expected of anyone
        }
        auto board = load_board(deps, tx, *tmpl, period, now);
        if (!board) {
            return board.error();
        }
        if (!units.empty()) {  // a coordinator's scope, or the units named: counted on those only
            handlers::narrow(*board, std::set<std::string, std::less<>>(units.begin(), units.end()));
        }
        const std::string prefix = "manual/" + std::string(scope) + "/" + tmpl->id + "/" + period.key + "/" +
                                   std::to_string(to_ms(now));
        const auto sends =
            handlers::reminder_round(prefix, *tmpl, period, *anchor, step, *board, units, now, ctx);
        const int people =
            static_cast<int>(std::count_if(sends.begin(), sends.end(), [](const handlers::Send& s) {
                return s.key.find("/person:") != std::string::npos;  // one send per officer reminded
            }));
        const int before = report.queued;
        if (auto d = decide(deps, tx, sends, false, now, now, report); !d) {
            return d.error();
        }
        out.people += people;
        out.queued += report.queued - before;
        const handlers::Args args{
            {"template", tmpl->name.in(locale)},
            {"period", handlers::period_label(locale, period.weekly, period.year, period.number)},
            {"people", std::to_string(people)},
            {"units", std::to_string(board->expected - board->done)}};
        out.replies.push_back(handlers::msg(locale, people > 0 ? "remind_done" : "remind_nobody", args));
    }
    return out;
}

std::vector<handlers::UnitFigures> figures_of(std::vector<store::UnitStats> stats) {
    std::vector<handlers::UnitFigures> out;
    out.reserve(stats.size());
    for (auto& s : stats) {
        out.push_back({std::move(s.unit_id),
                       s.submitted,
                       s.on_time,
                       s.approved,
                       s.adopted,
                       s.points,
                       std::move(s.adopted_by_level)});
    }
    return out;
}

namespace {

constexpr int kRankingDays = 30;
constexpr std::size_t kRankLines = 3;
constexpr std::size_t kAdoptedRead = 100;

/// The digest's adoptions of the last week and the units at both ends of the rankings.
result<handlers::DigestReview> digest_review(const Deps& deps,
                                             store::Tx& tx,
                                             TimePoint now,
                                             const std::set<std::string, std::less<>>* scope) {
    handlers::DigestReview out;
    out.window_days = kRankingDays;
    auto adopted = tx.reports().adopted_between(now - std::chrono::days(7), now, kAdoptedRead);
    if (!adopted) {
        return adopted.error();
    }
    for (auto& a : *adopted) {
        if (scope != nullptr && scope->count(a.unit_id) == 0) {
            continue;
        }
        const auto* unit = deps.roster.unit(a.unit_id);
        out.adopted.push_back({std::move(a.number),
                               std::move(a.title),
                               unit != nullptr ? unit->name : a.unit_id,
                               std::move(a.level),
                               a.points,
                               std::move(a.venue)});
    }
    const auto window = std::chrono::days(kRankingDays);
    auto windows = tx.reports().unit_stats_split(now - 2 * window, now - window, now);
    if (!windows) {
        return windows.error();
    }
    auto ends = handlers::ranking::standings(figures_of(std::move(windows->second)),
                                             figures_of(std::move(windows->first)),
                                             deps.roster,
                                             scope,
                                             kRankLines);
    out.top = std::move(ends.top);
    out.bottom = std::move(ends.bottom);
    // 快 · 实 · 新 of the week's reports; the units with the lowest 实 (at least two reports).
    auto quality = tx.reports().quality_between(now - std::chrono::days(7), now);
    if (!quality) {
        return quality.error();
    }
    long fast = 0;
    int fast_n = 0;
    long solid = 0;
    long fresh = 0;
    std::vector<std::pair<int, std::string>> by_solid;
    for (const auto& u : *quality) {
        if (scope != nullptr && scope->count(u.unit_id) == 0) {
            continue;
        }
        out.quality.reports += u.reports;
        out.quality.with_figures += u.with_figures;
        fast += u.fast_sum;
        fast_n += u.fast_n;
        solid += u.solid_sum;
        fresh += u.fresh_sum;
        if (u.reports >= 2) {
            const auto* unit = deps.roster.unit(u.unit_id);
            by_solid.emplace_back(static_cast<int>(u.solid_sum / u.reports),
                                  unit != nullptr ? unit->name : u.unit_id);
        }
    }
    if (out.quality.reports > 0) {
        const auto avg = [](long sum, int n) {
            return static_cast<int>((sum + n / 2) / n);
        };
        out.quality.fast = fast_n > 0 ? avg(fast, fast_n) : -1;
        out.quality.solid = avg(solid, out.quality.reports);
        out.quality.fresh = avg(fresh, out.quality.reports);
        std::sort(by_solid.begin(), by_solid.end());
        for (std::size_t i = 0; i < by_solid.size() && i < kRankLines && by_solid.size() > kRankLines; ++i) {
            out.quality.lowest.emplace_back(by_solid[i].second, by_solid[i].first);
        }
    }
    return out;
}

}  // namespace

namespace {

/// An event-driven template's month so far against the same days of the month before: how many of
/// `prev` were submitted by the same point of their month (day and time), and that many days.
std::pair<int, int> same_days(const templates::Template& tmpl,
                              const std::vector<store::ReportBrief>& prev,
                              TimePoint now,
                              const std::set<std::string, std::less<>>* scope) {
    const templates::LocalDate today = templates::local_date(now, tmpl.time_zone);
    const templates::LocalDate first{today.year, today.month, 1};
    const templates::LocalDate prev_first = today.month == 1
                                                ? templates::LocalDate{today.year - 1, 12, 1}
                                                : templates::LocalDate{today.year, today.month - 1, 1};
    const TimePoint start = templates::at_local(tmpl.time_zone, first, std::chrono::minutes(0));
    const TimePoint prev_start = templates::at_local(tmpl.time_zone, prev_first, std::chrono::minutes(0));
    const TimePoint cutoff = std::min(prev_start + (now - start), start);
    const int count =
        static_cast<int>(std::count_if(prev.begin(), prev.end(), [&](const store::ReportBrief& r) {
            return r.submitted_at < cutoff && (scope == nullptr || scope->count(r.unit_id) > 0);
        }));
    return {count, static_cast<int>(today.day)};
}

}  // namespace

result<Doc> digest_doc(const Deps& deps,
                       store::Tx& tx,
                       TimePoint now,
                       std::string_view locale,
                       const std::set<std::string, std::less<>>* scope) {
    std::vector<handlers::DigestSection> sections;
    for (const auto& tmpl : deps.templates.all()) {
        handlers::DigestSection s;
        s.tmpl = &tmpl;
        s.period = handlers::digest_period(tmpl, now, deps.calendar);
        const auto prev = templates::previous_period(tmpl, s.period, deps.calendar);
        const bool event = tmpl.cadence.kind == templates::CadenceKind::event;
        if (event && tmpl.cadence.quota <= 0) {
            // Only counts are shown: no board over every unit (100,000 of them at scale).
            auto rows = tx.reports().in_period(tmpl.id, s.period.key);
            auto prev_rows = tx.reports().period_states(tmpl.id, prev.key);
            if (!rows || !prev_rows) {
                return !rows ? rows.error() : prev_rows.error();
            }
            std::set<std::string> named;
            for (auto& r : *rows) {
                if (scope != nullptr && scope->count(r.unit_id) == 0) {
                    continue;
                }
                // The highlights name units: only those of the reports, not the whole roster.
                if (named.insert(r.unit_id).second) {
                    const auto* unit = deps.roster.unit(r.unit_id);
                    s.board.units.push_back({r.unit_id,
                                             unit != nullptr ? unit->name : r.unit_id,
                                             handlers::UnitState::on_time,
                                             0,
                                             {}});
                }
                s.reports.push_back({std::move(r.number),
                                     std::move(r.unit_id),
                                     r.on_time,
                                     std::move(r.title),
                                     {},
                                     std::move(r.status)});
            }
            std::tie(s.previous_count, s.compared_days) = same_days(tmpl, *prev_rows, now, scope);
            sections.push_back(std::move(s));
            continue;
        }
        auto board = load_board(deps, tx, tmpl, s.period, now, &s.reports);
        if (!board) {
            return board.error();
        }
        s.board = std::move(*board);
        const auto outside = [&](const handlers::ReportSummary& r) {
            return scope->count(r.unit_id) == 0;
        };
        if (scope != nullptr) {
            handlers::narrow(s.board, *scope);
            std::erase_if(s.reports, outside);
        }
        if (event) {
            // The trend of an event template is its count: the previous board is not needed.
            auto prev_rows = tx.reports().period_states(tmpl.id, prev.key);
            if (!prev_rows) {
                return prev_rows.error();
            }
            std::tie(s.previous_count, s.compared_days) = same_days(tmpl, *prev_rows, now, scope);
        } else {
            std::vector<handlers::ReportSummary> prev_reports;
            auto prev_board = load_board(deps, tx, tmpl, prev, now, &prev_reports, BoardReads::totals);
            if (!prev_board) {
                return prev_board.error();
            }
            s.previous = std::move(*prev_board);
            if (scope != nullptr) {
                handlers::narrow(s.previous, *scope);
                std::erase_if(prev_reports, outside);
            }
            s.previous_count = static_cast<int>(prev_reports.size());
        }
        sections.push_back(std::move(s));
    }
    auto review = digest_review(deps, tx, now, scope);
    if (!review) {
        return review.error();
    }
    const std::string zone = deps.digest ? deps.digest->zone : std::string(kDefaultTimeZone);
    // Titled by the week it covers: the weekly templates' period, else the week that ended yesterday.
    return handlers::digest_doc(
        sections, handlers::week_label(locale, now - std::chrono::hours(24), zone), locale, *review);
}

result<int> post_to(const Deps& deps,
                    store::Tx& tx,
                    const std::vector<handlers::ChatTarget>& chats,
                    const std::string& key_prefix,
                    const std::function<Doc(std::string_view locale)>& doc,
                    TimePoint now) {
    std::vector<handlers::Send> sends;
    for (const auto& c : chats) {
        sends.push_back({key_prefix + "/" + c.bot + "/" + c.chat,
                         with_doc({.chat_id = c.chat, .bot_id = c.bot}, doc(bot_locale(deps, c.bot)))});
    }
    TickReport report;
    if (auto d = decide(deps, tx, sends, false, now, now, report); !d) {
        return d.error();
    }
    return report.queued;
}

}  // namespace bot::scheduler
