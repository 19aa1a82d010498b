#include "templates/periods.hpp"

#include "templates/calendar.hpp"

#include <cstdio>
#include <date/iso_week.h>
#include <date/tz.h>

namespace bot::templates {
namespace {

TimePoint at_local_days(const date::time_zone* zone, date::local_days day, std::chrono::minutes time_of_day) {
    // In a DST gap or overlap, take the earliest instant that matches.
    const auto local = date::local_seconds{day} + time_of_day;
    return TimePoint{date::make_zoned(zone, local, date::choose::earliest).get_sys_time()};
}

/// The deadline's day, moved off a day off when a calendar is given.
date::local_days to_days(const LocalDate& d) {
    return date::local_days{date::year{d.year} / date::month{static_cast<unsigned>(d.month)} /
                            date::day{static_cast<unsigned>(d.day)}};
}

/// Moves `d` by `n` working days (weekends only without a calendar).
LocalDate add_working_days(LocalDate d, int n, const WorkCalendar* calendar) {
    const auto working = [&](const LocalDate& x) {
        if (calendar != nullptr) {
            return calendar->is_working_day(x);
        }
        const date::weekday wd{to_days(x)};
        return wd != date::Saturday && wd != date::Sunday;
    };
    const int step = n < 0 ? -1 : 1;
    for (int left = n < 0 ? -n : n; left > 0;) {
        d = d.plus_days(step);
        if (working(d)) {
            --left;
        }
    }
    return d;
}

date::local_days moved(date::sys_days day, DayOffRule rule, const WorkCalendar* calendar) {
    if (calendar == nullptr) {
        return date::local_days{day.time_since_epoch()};
    }
    const date::year_month_day ymd{day};
    const LocalDate d{static_cast<int>(ymd.year()),
                      static_cast<int>(static_cast<unsigned>(ymd.month())),
                      static_cast<int>(static_cast<unsigned>(ymd.day()))};
    const LocalDate a = adjust_for_day_off(d, rule, *calendar);
    return date::local_days{date::year{a.year} / date::month{static_cast<unsigned>(a.month)} /
                            date::day{static_cast<unsigned>(a.day)}};
}

}  // namespace

LocalDate local_date(TimePoint t, std::string_view zone) {
    const auto* tz = date::locate_zone(zone);
    const auto local =
        date::make_zoned(tz, std::chrono::time_point_cast<std::chrono::seconds>(t)).get_local_time();
    const date::year_month_day ymd{date::floor<date::days>(local)};
    return {static_cast<int>(ymd.year()),
            static_cast<int>(static_cast<unsigned>(ymd.month())),
            static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

TimePoint at_local(std::string_view zone, const LocalDate& day, std::chrono::minutes time_of_day) {
    return at_local_days(date::locate_zone(zone), to_days(day), time_of_day);
}

std::chrono::minutes local_time_of_day(TimePoint t, std::string_view zone) {
    const auto local =
        date::make_zoned(date::locate_zone(zone), std::chrono::time_point_cast<std::chrono::seconds>(t))
            .get_local_time();
    return std::chrono::duration_cast<std::chrono::minutes>(local - date::floor<date::days>(local));
}

std::optional<TimePoint> reminder_anchor(const Template& tmpl,
                                         const Period& period,
                                         const WorkCalendar* calendar) {
    if (period.due) {
        return period.due;
    }
    if (tmpl.cadence.kind != CadenceKind::event || tmpl.cadence.quota <= 0) {
        return std::nullopt;
    }
    const date::year_month_day_last last{
        date::year{period.year}, date::month_day_last{date::month{static_cast<unsigned>(period.number)}}};
    const auto day = moved(date::sys_days{last}, DayOffRule::earlier, calendar);
    return at_local_days(date::locate_zone(tmpl.time_zone), day, tmpl.cadence.due_time);
}

TimePoint reminder_time(const Template& tmpl,
                        const ReminderStep& step,
                        TimePoint anchor,
                        const WorkCalendar* calendar) {
    if (!step.working_days) {
        return anchor + step.offset;
    }
    const LocalDate day = add_working_days(local_date(anchor, tmpl.time_zone), *step.working_days, calendar);
    return at_local(tmpl.time_zone, day, step.at);
}

Period previous_period(const Template& tmpl, const Period& p, const WorkCalendar* calendar) {
    // Noon of the period's first local day, minus a day, lies in the previous period.
    LocalDate first{p.year, p.weekly ? 1 : p.number, 1};
    if (p.weekly) {
        const iso_week::year_weeknum_weekday monday{
            iso_week::year{p.year}, iso_week::weeknum{static_cast<unsigned>(p.number)}, iso_week::mon};
        const date::year_month_day ymd{date::sys_days{monday}};
        first = {static_cast<int>(ymd.year()),
                 static_cast<int>(static_cast<unsigned>(ymd.month())),
                 static_cast<int>(static_cast<unsigned>(ymd.day()))};
    }
    return period_for(tmpl, at_local(tmpl.time_zone, first.plus_days(-1), std::chrono::hours(12)), calendar);
}

Period period_for(const Template& tmpl, TimePoint t, const WorkCalendar* calendar) {
    const auto* tz = date::locate_zone(tmpl.time_zone);
    const LocalDate d = local_date(t, tmpl.time_zone);
    const date::year_month_day ymd{date::year{d.year},
                                   date::month{static_cast<unsigned>(d.month)},
                                   date::day{static_cast<unsigned>(d.day)}};
    Period p;
    char key[16];
    if (tmpl.cadence.kind == CadenceKind::weekly) {
        const iso_week::year_weeknum_weekday iw{date::sys_days{ymd}};
        p.weekly = true;
        p.year = static_cast<int>(iw.year());
        p.number = static_cast<int>(static_cast<unsigned>(iw.weeknum()));
        std::snprintf(key, sizeof key, "%04d-W%02d", p.year, p.number);
        const iso_week::year_weeknum_weekday due_day{
            iw.year(), iw.weeknum(), iso_week::weekday{static_cast<unsigned>(tmpl.cadence.due_weekday)}};
        p.due = at_local_days(
            tz, moved(date::sys_days{due_day}, tmpl.cadence.on_day_off, calendar), tmpl.cadence.due_time);
    } else {
        p.year = d.year;
        p.number = d.month;
        std::snprintf(key, sizeof key, "%04d-%02d", d.year, d.month);
        if (tmpl.cadence.kind == CadenceKind::monthly) {
            const auto last = date::year_month_day_last{ymd.year(), date::month_day_last{ymd.month()}};
            const unsigned day =
                std::min(static_cast<unsigned>(tmpl.cadence.due_day), static_cast<unsigned>(last.day()));
            const date::year_month_day due{ymd.year(), ymd.month(), date::day{day}};
            p.due = at_local_days(
                tz, moved(date::sys_days{due}, tmpl.cadence.on_day_off, calendar), tmpl.cadence.due_time);
        }
    }
    p.key = key;
    return p;
}

}  // namespace bot::templates
