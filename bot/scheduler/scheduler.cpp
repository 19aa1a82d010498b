#include "bot/scheduler/scheduler.hpp"

#include "bot/core/log.hpp"
#include "bot/usecases/boards.hpp"
#include "bot/usecases/digest.hpp"
#include "bot/usecases/sends.hpp"
#include "handlers/catalog.hpp"
#include "handlers/desk.hpp"
#include "handlers/ranking.hpp"
#include "templates/periods.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>

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

bool in_quiet_hours(const Deps& deps, TimePoint now, std::string_view zone) {
    return handlers::after_quiet_hours(now, deps.quiet, zone) != now;
}

}  // namespace

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
    auto ctx_read = usecase::reminder_context(deps, tx);
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
        auto board = usecase::load_board(deps, tx, tmpl, due.period, now);
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
        if (auto d = usecase::queue_sends(deps, tx, sends, skip, due.at, now, report); !d) {
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
            const std::string locale = deps.bot_locale(c.bot);
            if (!skip && docs.find(locale) == docs.end()) {
                auto d = usecase::digest_doc(deps, tx, now, locale);
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
        if (auto d = usecase::queue_sends(deps, tx, sends, skip, due.at, now, report); !d) {
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
        auto ctx = usecase::reminder_context(deps, tx);
        if (!ctx) {
            return ctx.error();
        }
        const auto sends = handlers::review_round("review/" + d.iso(), *waiting, at - rule.after, at, *ctx);
        if (!sends.empty()) {
            ++report.rounds;
        }
        if (auto r = usecase::queue_sends(deps, tx, sends, skip, at, now, report); !r) {
            return r;
        }
    }
    return {};
}

/// The hourly notices (roster "notices": "hourly"; docs/desk.md) due in (from, now]: at each full
/// hour, what was filed or revised since the last batch. A batch falling in quiet hours is not sent:
/// the first one after them brings its reports (up to a day's).
result<void> notice_rounds(
    const Deps& deps, store::Tx& tx, TimePoint from, TimePoint now, TickReport& report) {
    constexpr auto kHour = std::chrono::hours(1);
    constexpr std::size_t kRead = 2000;
    const auto& people = deps.roster.people();
    if (now <= from || std::none_of(people.begin(), people.end(), [](const handlers::Person& p) {
            return p.notices == handlers::Person::Notices::hourly;
        })) {
        return {};
    }
    const std::string zone = deps.digest ? deps.digest->zone : std::string(kDefaultTimeZone);
    for (TimePoint at = std::chrono::floor<std::chrono::hours>(from) + kHour; at <= now; at += kHour) {
        const bool skip = now - at > deps.catch_up;
        if (!skip && in_quiet_hours(deps, at, zone)) {
            continue;
        }
        int hours = 1;
        while (hours < 24 && in_quiet_hours(deps, at - hours * kHour, zone)) {
            ++hours;
        }
        const TimePoint since = at - hours * kHour;
        auto rows = tx.reports().arrived(since, at, kRead);
        if (!rows) {
            return rows.error();
        }
        std::vector<handlers::desk::Arrival> arrived;
        for (auto& r : *rows) {
            arrived.push_back({std::move(r.number),
                               std::move(r.title),
                               std::move(r.unit_id),
                               std::move(r.bot_id),
                               std::move(r.author_id)});
        }
        auto ctx = usecase::reminder_context(deps, tx);
        if (!ctx) {
            return ctx.error();
        }
        const auto minute = templates::local_time_of_day(since, zone);
        char label[8];
        std::snprintf(label,
                      sizeof label,
                      "%02d:%02d",
                      static_cast<int>(minute.count() / 60 % 24),
                      static_cast<int>(minute.count() % 60));
        const auto sends =
            handlers::desk::hourly_notices("notices/" + std::to_string(to_ms(at)), arrived, label, *ctx);
        if (!sends.empty()) {
            ++report.rounds;
        }
        if (auto r = usecase::queue_sends(deps, tx, sends, skip, at, now, report); !r) {
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
        const std::string locale = deps.bot_locale(c.bot);
        sends.push_back({"calendar/until-" + until->iso() + "/" + c.bot + "/" + c.chat,
                         {.chat_id = c.chat,
                          .text = handlers::msg(locale,
                                                "calendar_ends",
                                                {{"date", until->iso()},
                                                 {"year", std::to_string(until->year + 1)},
                                                 {"file", deps.calendar_file}}),
                          .bot_id = c.bot}});
    }
    return usecase::queue_sends(deps, tx, sends, false, now, now, report);
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
    if (auto r = notice_rounds(deps, tx, from, now, report); !r) {
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

}  // namespace bot::scheduler
