#include "handlers/schedule.hpp"

#include "handlers/catalog.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <date/date.h>
#include <date/iso_week.h>
#include <map>

namespace bot::handlers {
namespace {

using templates::LocalDate;

date::local_days days_of(const LocalDate& d) {
    return date::local_days{date::year{d.year} / date::month{static_cast<unsigned>(d.month)} /
                            date::day{static_cast<unsigned>(d.day)}};
}

int iso_weekday(const LocalDate& d) {
    return static_cast<int>(date::weekday{days_of(d)}.iso_encoding());
}

std::string signed_number(long v) {
    return (v > 0 ? "+" : "") + std::to_string(v);
}

int percent(int part, int whole) {
    return whole <= 0 ? 100 : static_cast<int>(std::lround(100.0 * part / whole));
}

int count_state(const StatusBoard& b, UnitState s) {
    return static_cast<int>(
        std::count_if(b.units.begin(), b.units.end(), [&](const UnitStatus& u) { return u.state == s; }));
}

}  // namespace

TimePoint after_quiet_hours(TimePoint t, const QuietHours& quiet, std::string_view zone) {
    if (quiet.from == quiet.to) {
        return t;
    }
    const auto tod = templates::local_time_of_day(t, zone);
    const bool wraps = quiet.from > quiet.to;  // 21:00–08:00 crosses midnight
    const bool inside = wraps ? (tod >= quiet.from || tod < quiet.to) : (tod >= quiet.from && tod < quiet.to);
    if (!inside) {
        return t;
    }
    LocalDate day = templates::local_date(t, zone);
    if (wraps && tod >= quiet.from) {
        day = day.plus_days(1);
    }
    return templates::at_local(zone, day, quiet.to);
}

std::vector<DueStep> due_steps(const templates::TemplateSet& set,
                               const templates::WorkCalendar* calendar,
                               const QuietHours& quiet,
                               TimePoint from,
                               TimePoint to) {
    std::vector<DueStep> out;
    if (to <= from) {
        return out;
    }
    // A ladder reaches at most ~31 days (offsets) or 20 working days (plus holidays) from its
    // anchor: look at every period around the window and keep the steps that fall inside it.
    constexpr auto kReach = std::chrono::hours(24 * 45);
    for (const auto& tmpl : set.all()) {
        if (tmpl.reminders.empty()) {
            continue;
        }
        // Samples 6 days apart (a local week is at least 167 hours, DST included) or 27 days apart
        // (a month at least 28 days) cannot step over a whole period; the last sample is the
        // window's far end itself.
        const auto stride =
            std::chrono::hours(24 * (tmpl.cadence.kind == templates::CadenceKind::weekly ? 6 : 27));
        std::set<std::string> seen;
        const TimePoint last = to + kReach;
        std::vector<TimePoint> samples;
        for (TimePoint t = from - kReach; t < last; t += stride) {
            samples.push_back(t);
        }
        samples.push_back(last);
        for (const TimePoint t : samples) {
            auto period = templates::period_for(tmpl, t, calendar);
            if (!seen.insert(period.key).second) {
                continue;
            }
            const auto anchor = templates::reminder_anchor(tmpl, period, calendar);
            if (!anchor) {
                continue;
            }
            for (std::size_t i = 0; i < tmpl.reminders.size(); ++i) {
                const TimePoint nominal =
                    templates::reminder_time(tmpl, tmpl.reminders[i], *anchor, calendar);
                const TimePoint at = after_quiet_hours(nominal, quiet, tmpl.time_zone);
                if (at > from && at <= to) {
                    out.push_back({&tmpl, period, i, *anchor, nominal, at});
                }
            }
        }
    }
    std::stable_sort(out.begin(), out.end(), [](const DueStep& a, const DueStep& b) { return a.at < b.at; });
    return out;
}

std::vector<DueDigest> due_digests(const DigestRule& rule, TimePoint from, TimePoint to) {
    std::vector<DueDigest> out;
    if (to <= from) {
        return out;
    }
    const LocalDate last = templates::local_date(to, rule.zone).plus_days(1);
    for (LocalDate d = templates::local_date(from, rule.zone).plus_days(-1); d.iso() <= last.iso();
         d = d.plus_days(1)) {
        if (iso_weekday(d) != rule.weekday) {
            continue;
        }
        const TimePoint at = templates::at_local(rule.zone, d, rule.time);
        if (at > from && at <= to) {
            const iso_week::year_weeknum_weekday iw{date::sys_days{days_of(d).time_since_epoch()}};
            char key[16];
            std::snprintf(key,
                          sizeof key,
                          "%04d-W%02u",
                          static_cast<int>(iw.year()),
                          static_cast<unsigned>(iw.weeknum()));
            out.push_back({key, at});
        }
    }
    return out;
}

std::vector<Send> review_round(const std::string& key_prefix,
                               const std::vector<WaitingReport>& waiting,
                               TimePoint cutoff,
                               TimePoint now,
                               const ReminderContext& ctx) {
    std::vector<Send> out;
    if (ctx.coordinator_chats.empty()) {
        return out;  // nowhere to say it; 审核 in chat still lists the queue
    }
    for (const auto& p : ctx.roster.people()) {
        if (!p.coordinates()) {
            continue;
        }
        const WaitingReport* oldest = nullptr;
        int count = 0;
        for (const auto& w : waiting) {
            if (w.since <= cutoff && ctx.roster.in_scope(p, w.unit_id)) {
                oldest = oldest == nullptr ? &w : oldest;
                ++count;
            }
        }
        if (oldest == nullptr) {
            continue;
        }
        // The first coordinator chat whose bot knows the person; else the first chat, by name.
        const ChatTarget* chat = &ctx.coordinator_chats.front();
        std::string account;
        for (const auto& c : ctx.coordinator_chats) {
            std::string a(p.account_on(c.bot, ctx.platform_of ? ctx.platform_of(c.bot) : std::string()));
            if (a.empty() && ctx.bound_account) {
                a = ctx.bound_account(p.id, c.bot);
            }
            if (!a.empty()) {
                chat = &c;
                account = std::move(a);
                break;
            }
        }
        const bool direct = !account.empty() && ctx.can_direct && ctx.can_direct(chat->bot);
        const std::string locale = !p.locale.empty() ? p.locale
                                   : ctx.bot_locale  ? ctx.bot_locale(chat->bot)
                                                     : ctx.locale;
        const auto hours = std::chrono::duration_cast<std::chrono::hours>(now - oldest->since).count();
        const std::string age = hours >= 24 ? msg(locale, "age_days", {{"n", std::to_string(hours / 24)}})
                                            : msg(locale, "age_hours", {{"n", std::to_string(hours)}});
        out.push_back({key_prefix + "/person:" + p.id,
                       {.chat_id = direct ? "@" + account : chat->chat,
                        .mention_user_id = account,
                        .mention_name = p.name,
                        .text = msg(locale,
                                    "review.waiting_line",
                                    {{"count", std::to_string(count)},
                                     {"number", oldest->number},
                                     {"title", oldest->title},
                                     {"age", age}}),
                        .direct = direct,
                        .bot_id = chat->bot}});
    }
    return out;
}

std::string format_due(std::string_view locale, TimePoint t, std::string_view zone) {
    const LocalDate d = templates::local_date(t, zone);
    const auto tod = templates::local_time_of_day(t, zone);
    char time[8];
    std::snprintf(time,
                  sizeof time,
                  "%02d:%02d",
                  static_cast<int>(tod.count() / 60),
                  static_cast<int>(tod.count() % 60));
    return msg(locale,
               "due_format",
               {{"month", std::to_string(d.month)},
                {"day", std::to_string(d.day)},
                {"weekday", msg(locale, "weekday_" + std::to_string(iso_weekday(d)))},
                {"time", time}});
}

namespace {

/// One reminder round's inputs and the texts its messages share.
struct Round {
    const std::string& key_prefix;
    const templates::Template& tmpl;
    const templates::Period& period;
    TimePoint anchor;
    const StatusBoard& board;
    const std::vector<std::string>& units;
    TimePoint now;
    const ReminderContext& ctx;

    bool late() const { return now > anchor; }
    bool at_deadline() const { return now == anchor; }  // the step at the deadline itself: due now
    /// The catalogue key of `base`: late, due now, or before the deadline.
    std::string key(const std::string& base) const {
        return base + (late() ? "_late" : at_deadline() ? "_due_now" : "");
    }
    std::string locale_of_bot(std::string_view bot) const {
        std::string l = ctx.bot_locale ? ctx.bot_locale(bot) : std::string();
        return l.empty() ? ctx.locale : l;
    }
    Args common(std::string_view locale) const {
        return Args{{"template", tmpl.name.in(locale)},
                    {"period", period_label(locale, period.weekly, period.year, period.number)},
                    {"due", format_due(locale, anchor, tmpl.time_zone)},
                    {"done", std::to_string(board.done)},
                    {"expected", std::to_string(board.expected)},
                    {"missing", std::to_string(board.expected - board.done)}};
    }
    bool in_scope(const UnitStatus& u) const {
        return units.empty() || std::find(units.begin(), units.end(), u.unit_id) != units.end();
    }

    /// Coordinators: the board with a follow-up header, to each coordinator chat, when a unit of
    /// the round is missing, late or away.
    void coordinators(std::vector<Send>& out) const {
        const bool follow_up = std::any_of(board.units.begin(), board.units.end(), [&](const UnitStatus& u) {
            return in_scope(u) && (u.state == UnitState::missing || u.state == UnitState::late ||
                                   u.state == UnitState::on_leave);
        });
        if (!follow_up) {
            return;
        }
        for (const auto& c : ctx.coordinator_chats) {
            const std::string locale = locale_of_bot(c.bot);
            Doc doc = status_doc(board, tmpl, period, locale);
            doc.title = msg(locale, "escalate_header", common(locale));
            out.push_back({key_prefix + "/coord:" + c.bot + "/" + c.chat,
                           with_doc({.chat_id = c.chat, .bot_id = c.bot}, std::move(doc))});
        }
    }

    /// An officer of a missing unit: privately when the step says so and their chat's bot can,
    /// else @-mentioned in the chat where the unit reports.
    Send officer(const Person& p,
                 const UnitStatus& u,
                 const Chat& chat,
                 const templates::ReminderStep& step) const {
        const std::string locale = !p.locale.empty() ? p.locale : locale_of_bot(chat.bot);
        Args args = common(locale);
        args.emplace_back("unit", u.unit_name);
        // The person's account on the platform this reminder goes through; none: named, not
        // mentioned, and not messaged privately.
        std::string account(
            p.account_on(chat.bot, ctx.platform_of ? ctx.platform_of(chat.bot) : std::string()));
        if (account.empty() && ctx.bound_account) {
            account = ctx.bound_account(p.id, chat.bot);
        }
        const bool direct =
            step.private_first && !account.empty() && ctx.can_direct && ctx.can_direct(chat.bot);
        return {key_prefix + "/person:" + p.id,
                {.chat_id = direct ? "@" + account : chat.id,
                 .mention_user_id = account,
                 .mention_name = p.name,
                 .text = msg(locale, key("remind_officer"), args),
                 .direct = direct,
                 .bot_id = direct ? chat.bot : chat.reminder_bot()}};
    }

    /// A chat's neutral count of the units it is waiting for (named when the step says so).
    Send group(const Chat& chat, const std::vector<const UnitStatus*>& waiting, bool names) const {
        const std::string locale = locale_of_bot(chat.bot);
        std::string text = msg(locale, key("remind_group"), common(locale));
        if (names) {
            std::string list;
            for (const auto* u : waiting) {
                list += (list.empty() ? "" : "、") + u->unit_name;
            }
            text += "\n" + msg(locale, "remind_group_names", {{"units", list}});
        }
        return {key_prefix + "/chat:" + chat.bot + "/" + chat.id,
                {.chat_id = chat.id, .text = std::move(text), .bot_id = chat.reminder_bot()}};
    }
};

}  // namespace

std::vector<Send> reminder_round(const std::string& key_prefix,
                                 const templates::Template& tmpl,
                                 const templates::Period& period,
                                 TimePoint anchor,
                                 const templates::ReminderStep& step,
                                 const StatusBoard& board,
                                 const std::vector<std::string>& units,
                                 TimePoint now,
                                 const ReminderContext& ctx) {
    const Round round{key_prefix, tmpl, period, anchor, board, units, now, ctx};
    std::vector<Send> out;
    if (step.audience == "coordinators") {
        round.coordinators(out);
        return out;
    }
    // Officers of units still missing, not on leave; and per chat, the units it is waiting for.
    std::map<const Chat*, std::vector<const UnitStatus*>> chats;
    std::vector<const Chat*> chat_order;
    for (const auto& u : board.units) {
        if (u.state != UnitState::missing || !round.in_scope(u)) {
            continue;
        }
        const Chat* chat = ctx.roster.reporting_chat(tmpl, u.unit_id);
        if (chat == nullptr) {
            continue;  // nowhere to remind; `liaison-bot check-config` lists such units
        }
        if (chats.find(chat) == chats.end()) {
            chat_order.push_back(chat);
        }
        chats[chat].push_back(&u);
        for (const auto& o : u.officers) {
            if (o.state == OfficerState::missing) {
                out.push_back(round.officer(*o.person, u, *chat, step));
            }
        }
    }
    for (const Chat* chat : chat_order) {
        out.push_back(round.group(*chat, chats[chat], step.names_in_group));
    }
    return out;
}

templates::Period digest_period(const templates::Template& tmpl,
                                TimePoint now,
                                const templates::WorkCalendar* calendar) {
    auto p = templates::period_for(tmpl, now, calendar);
    if (p.due && *p.due > now) {
        return templates::previous_period(tmpl, p, calendar);
    }
    return p;
}

std::string week_label(std::string_view locale, TimePoint t, std::string_view zone) {
    const LocalDate d = templates::local_date(t, zone);
    const iso_week::year_weeknum_weekday iw{date::sys_days{days_of(d).time_since_epoch()}};
    return period_label(
        locale, true, static_cast<int>(iw.year()), static_cast<int>(static_cast<unsigned>(iw.weeknum())));
}

namespace {

/// A template's block of the digest: its counts, trend, units to follow up, highlights.
DocSection digest_section(const DigestSection& s, std::string_view locale) {
    constexpr std::size_t kHighlights = 8;
    const auto& t = *s.tmpl;
    const bool event = t.cadence.kind == templates::CadenceKind::event;
    DocSection out{
        .heading = msg(locale,
                       "digest_section",
                       {{"template", t.name.in(locale)},
                        {"period", period_label(locale, s.period.weekly, s.period.year, s.period.number)}})};
    auto& lines = out.lines;
    if (event) {
        const int count = static_cast<int>(s.reports.size());
        if (t.cadence.quota <= 0) {
            lines.push_back(msg(locale, "digest_counts_event", {{"count", std::to_string(count)}}));
        } else {
            lines.push_back(msg(locale,
                                "digest_counts_quota",
                                {{"count", std::to_string(count)},
                                 {"quota", std::to_string(std::max(1, t.cadence.quota))},
                                 {"done", std::to_string(s.board.done)},
                                 {"expected", std::to_string(s.board.expected)}}));
        }
        lines.push_back(msg(locale,
                            s.compared_days > 0 ? "digest_trend_same_days" : "digest_trend_quota",
                            {{"count_delta", signed_number(count - s.previous_count)},
                             {"days", std::to_string(s.compared_days)}}));
    } else {
        const int on_time = count_state(s.board, UnitState::on_time);
        const int rate = percent(on_time, s.board.expected);
        const int prev_rate = percent(count_state(s.previous, UnitState::on_time), s.previous.expected);
        lines.push_back(msg(locale,
                            "digest_counts",
                            {{"done", std::to_string(s.board.done)},
                             {"expected", std::to_string(s.board.expected)},
                             {"rate", std::to_string(rate)},
                             {"on_time", std::to_string(on_time)}}));
        lines.push_back(msg(locale,
                            "digest_trend",
                            {{"done_delta", signed_number(s.board.done - s.previous.done)},
                             {"rate_delta", signed_number(rate - prev_rate)}}));
        for (const auto& [state, key] : {std::pair{UnitState::late, "status_late"},
                                         std::pair{UnitState::missing, "status_missing"},
                                         std::pair{UnitState::on_leave, "status_on_leave"}}) {
            std::string names;
            for (const auto& u : s.board.units) {
                if (u.state == state) {
                    names += (names.empty() ? "" : "、") + u.unit_name;
                }
            }
            if (!names.empty()) {
                lines.push_back(msg(locale, key, {{"units", names}}));
            }
        }
    }
    // Highlights are what a reviewer let through: approved or adopted, never unreviewed.
    std::vector<const ReportSummary*> approved;
    std::size_t waiting = 0;
    for (const auto& r : s.reports) {
        if (r.status == "approved" || r.status == "adopted") {
            approved.push_back(&r);
        } else if (r.status == "submitted") {
            ++waiting;
        }
    }
    if (!approved.empty()) {
        lines.push_back(msg(locale, "digest_highlights"));
        std::map<std::string, std::string> unit_names;
        for (const auto& u : s.board.units) {
            unit_names[u.unit_id] = u.unit_name;
        }
        for (std::size_t i = 0; i < approved.size() && i < kHighlights; ++i) {
            const auto& r = *approved[i];
            const auto name = unit_names.find(r.unit_id);
            lines.push_back(msg(locale,
                                r.status == "adopted" ? "digest_item_adopted" : "digest_item",
                                {{"title", r.title},
                                 {"unit", name != unit_names.end() ? name->second : r.unit_id},
                                 {"number", r.number}}));
        }
        if (approved.size() > kHighlights) {
            lines.push_back(
                msg(locale, "digest_more", {{"count", std::to_string(approved.size() - kHighlights)}}));
        }
    }
    if (waiting > 0) {
        lines.push_back(msg(locale, "digest_waiting", {{"count", std::to_string(waiting)}}));
    }
    return out;
}

/// The week's adoptions.
DocSection adopted_section(const DigestReview& review, std::string_view locale) {
    constexpr std::size_t kShown = 8;
    DocSection out{.heading =
                       msg(locale, "digest_adopted", {{"count", std::to_string(review.adopted.size())}})};
    for (std::size_t i = 0; i < review.adopted.size() && i < kShown; ++i) {
        const auto& a = review.adopted[i];
        out.lines.push_back(
            msg(locale,
                "digest_adopted_item",
                {{"title", a.title},
                 {"unit", a.unit_name},
                 {"number", a.number},
                 {"level", a.level},
                 {"points", std::to_string(a.points)},
                 {"venue", a.venue.empty() ? "" : msg(locale, "review.venue", {{"venue", a.venue}})}}));
    }
    if (review.adopted.size() > kShown) {
        out.lines.push_back(
            msg(locale, "digest_more", {{"count", std::to_string(review.adopted.size() - kShown)}}));
    }
    return out;
}

/// 比学赶超: the units at the top and the bottom, and how they moved.
DocSection ranking_section(const DigestReview& review, std::string_view locale) {
    const auto line = [&](const RankLine& r) {
        const int moved = r.previous_rank == 0 ? 0 : r.previous_rank - r.rank;
        const bool active = r.points > 0 || r.submitted > 0;
        const std::string movement = r.previous_rank == 0 ? (active ? msg(locale, "digest_rank_new") : "")
                                     : moved > 0          ? "↑" + std::to_string(moved)
                                     : moved < 0          ? "↓" + std::to_string(-moved)
                                                          : "—";
        return msg(locale,
                   "digest_rank_line",
                   {{"rank", std::to_string(r.rank)},
                    {"unit", r.unit_name},
                    {"points", std::to_string(r.points)},
                    {"approved", std::to_string(r.approved)},
                    {"submitted", std::to_string(r.submitted)},
                    {"movement", movement}});
    };
    DocSection out{.heading = msg(locale, "digest_ranking", {{"days", std::to_string(review.window_days)}})};
    out.lines.push_back(msg(locale, "digest_rank_top"));
    if (review.top.empty()) {
        out.lines.push_back(msg(locale, "digest_rank_nobody"));
    }
    for (const auto& r : review.top) {
        out.lines.push_back(line(r));
    }
    if (!review.bottom.empty()) {
        out.lines.push_back(msg(locale, "digest_rank_bottom"));
        for (const auto& r : review.bottom) {
            out.lines.push_back(line(r));
        }
    }
    return out;
}

/// 快 · 实 · 新 of the week's reports.
DocSection quality_section(const DigestQuality& q, std::string_view locale) {
    DocSection out{.heading = msg(locale, "digest_quality", {{"count", std::to_string(q.reports)}})};
    out.lines.push_back(msg(locale,
                            "digest_quality_line",
                            {{"fast", q.fast < 0 ? std::string("—") : std::to_string(q.fast)},
                             {"solid", std::to_string(q.solid)},
                             {"fresh", std::to_string(q.fresh)},
                             {"share", std::to_string(percent(q.with_figures, q.reports))},
                             {"with", std::to_string(q.with_figures)},
                             {"count", std::to_string(q.reports)}}));
    if (!q.lowest.empty()) {
        std::string units;
        for (const auto& [name, solid] : q.lowest) {
            units += (units.empty() ? "" : "、") + name + " " + std::to_string(solid);
        }
        out.lines.push_back(msg(locale, "digest_quality_lowest", {{"units", units}}));
    }
    return out;
}

}  // namespace

Doc digest_doc(const std::vector<DigestSection>& sections,
               std::string_view week,
               std::string_view locale,
               const DigestReview& review) {
    // The title names the week the content covers: the weekly templates' period when there is one.
    std::string covered(week);
    for (const auto& s : sections) {
        if (s.period.weekly) {
            covered = period_label(locale, true, s.period.year, s.period.number);
            break;
        }
    }
    Doc doc{.title = msg(locale, "digest_title", {{"period", covered}})};
    if (sections.empty()) {
        doc.sections.push_back({.lines = {msg(locale, "digest_empty")}});
        return doc;
    }
    for (const auto& s : sections) {
        doc.sections.push_back(digest_section(s, locale));
    }
    if (!review.adopted.empty()) {
        doc.sections.push_back(adopted_section(review, locale));
    }
    if (review.quality.reports > 0) {
        doc.sections.push_back(quality_section(review.quality, locale));
    }
    if (!review.top.empty() || !review.bottom.empty()) {
        doc.sections.push_back(ranking_section(review, locale));
    }
    return doc;
}

std::string render_digest(const std::vector<DigestSection>& sections,
                          std::string_view week,
                          std::string_view locale,
                          const DigestReview& review) {
    return plain_text(digest_doc(sections, week, locale, review));
}

}  // namespace bot::handlers
