#include "bot/usecases/remind.hpp"

#include "bot/usecases/boards.hpp"
#include "bot/usecases/sends.hpp"
#include "handlers/catalog.hpp"
#include "templates/periods.hpp"

#include <algorithm>
#include <charconv>

namespace bot::usecase {
namespace {

std::int64_t to_ms(TimePoint t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

/// A stored time (milliseconds since the epoch); the epoch when the value is unreadable.
TimePoint stored_time(const std::string& text) {
    std::int64_t ms = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), ms);
    return ec == std::errc() && end == text.data() + text.size()
               ? TimePoint{std::chrono::duration_cast<TimePoint::duration>(std::chrono::milliseconds(ms))}
               : TimePoint{};
}

/// The units reminded: those named, each known and seen by the actor; else all the actor sees.
std::optional<Reminded> refused_units(const Deps& deps,
                                      const Actor& actor,
                                      const RemindAsk& ask,
                                      std::string_view locale,
                                      std::vector<std::string>& units) {
    const auto visible = deps.roster.visible_units(actor.person);
    for (const auto& id : ask.units) {
        const handlers::Unit* u = deps.roster.unit(id);
        if (u == nullptr || (visible && visible->count(id) == 0)) {
            Reminded no{
                .refused = u == nullptr ? Reminded::Refused::unknown_unit : Reminded::Refused::out_of_scope,
                .unit = id};
            no.replies.push_back(
                u == nullptr ? handlers::msg(locale, "remind_unknown_unit", {{"unit", id}})
                             : handlers::msg(locale, "review.out_of_scope_unit", {{"unit", u->name}}));
            return no;
        }
    }
    units = ask.units;
    if (units.empty() && visible) {
        units.assign(visible->begin(), visible->end());
    }
    return std::nullopt;
}

/// At most once per cooldown per scope: the refusal when too soon, else the time recorded.
result<std::optional<Reminded>> rate_limited(
    const Deps& deps, store::Tx& tx, const RemindAsk& ask, TimePoint now, std::string_view locale) {
    const std::string limit_key = "remind.last/" + ask.limit_scope;
    auto last = tx.schedule().load_value(limit_key);
    if (!last) {
        return last.error();
    }
    if (*last) {
        const TimePoint at = stored_time(**last);
        if (now >= at && now - at < deps.remind_cooldown) {
            const auto wait =
                std::chrono::duration_cast<std::chrono::seconds>(deps.remind_cooldown - (now - at));
            Reminded no{.refused = Reminded::Refused::too_soon, .wait = wait};
            no.replies.push_back(
                handlers::msg(locale,
                              "remind_too_soon",
                              {{"minutes", std::to_string(std::max<long>(1, (wait.count() + 59) / 60))}}));
            return std::optional<Reminded>(std::move(no));
        }
    }
    if (auto saved = tx.schedule().save_value(limit_key, std::to_string(to_ms(now)), now); !saved) {
        return saved.error();
    }
    return std::optional<Reminded>();
}

/// One template's round: its period's board, the officers' messages decided and queued.
result<void> round(const Deps& deps,
                   store::Tx& tx,
                   const handlers::ReminderContext& ctx,
                   const templates::Template& tmpl,
                   const RemindAsk& ask,
                   const std::vector<std::string>& units,
                   TimePoint now,
                   std::string_view locale,
                   Reminded& out) {
    const auto period = templates::period_for(tmpl, now, deps.calendar);
    const auto anchor = templates::reminder_anchor(tmpl, period, deps.calendar);
    if (!anchor) {
        return {};  // nothing is expected of anyone
    }
    auto board = load_board(deps, tx, tmpl, period, now);
    if (!board) {
        return board.error();
    }
    if (!units.empty()) {  // a coordinator's scope, or the units named: counted on those only
        handlers::narrow(*board, std::set<std::string, std::less<>>(units.begin(), units.end()));
    }
    const std::string prefix =
        "manual/" + ask.limit_scope + "/" + tmpl.id + "/" + period.key + "/" + std::to_string(to_ms(now));
    const templates::ReminderStep step;  // officers, in their chats
    const auto sends = handlers::reminder_round(prefix, tmpl, period, *anchor, step, *board, units, now, ctx);
    const int people =
        static_cast<int>(std::count_if(sends.begin(), sends.end(), [](const handlers::Send& s) {
            return s.key.find("/person:") != std::string::npos;  // one send per officer reminded
        }));
    SendCounts counts;
    if (auto d = queue_sends(deps, tx, sends, false, now, now, counts); !d) {
        return d;
    }
    out.people += people;
    out.queued += counts.queued;
    const handlers::Args args{
        {"template", tmpl.name.in(locale)},
        {"period", handlers::period_label(locale, period.weekly, period.year, period.number)},
        {"people", std::to_string(people)},
        {"units", std::to_string(board->expected - board->done)}};
    out.replies.push_back(handlers::msg(locale, people > 0 ? "remind_done" : "remind_nobody", args));
    return {};
}

}  // namespace

result<Reminded> remind(const Deps& deps,
                        store::Tx& tx,
                        const Actor& actor,
                        const RemindAsk& ask,
                        TimePoint now,
                        std::string_view locale) {
    std::vector<std::string> units;
    if (auto no = refused_units(deps, actor, ask, locale, units)) {
        return std::move(*no);
    }
    auto limited = rate_limited(deps, tx, ask, now, locale);
    if (!limited) {
        return limited.error();
    }
    if (*limited) {
        return std::move(**limited);
    }
    auto ctx = reminder_context(deps, tx);
    if (!ctx) {
        return ctx.error();
    }
    Reminded out;
    for (const auto& id : ask.templates) {
        if (const auto* tmpl = deps.templates.find(id)) {
            if (auto r = round(deps, tx, *ctx, *tmpl, ask, units, now, locale, out); !r) {
                return r.error();
            }
        }
    }
    const auto entry =
        actor.entry(now, "remind.manual", ask.audit_target, "", std::to_string(out.queued) + " queued");
    if (auto appended = tx.audit().append(entry); !appended) {
        return appended.error();
    }
    return out;
}

}  // namespace bot::usecase
