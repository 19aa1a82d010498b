#include "templates/periods.hpp"

#include "templates/calendar.hpp"

#include <cstdio>
#include <date/iso_week.h>
#include <date/tz.h>

namespace bot::templates {
namespace {

TimePoint at_local(const date::time_zone* zone, date::local_days day, std::chrono::minutes time_of_day) {
    // In a DST gap or overlap, take the earliest instant that matches.
    const auto local = date::local_seconds{day} + time_of_day;
    return TimePoint{date::make_zoned(zone, local, date::choose::earliest).get_sys_time()};
}

/// The deadline's day, moved off a day off when a calendar is given.
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
        p.due = at_local(
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
            p.due = at_local(
                tz, moved(date::sys_days{due}, tmpl.cadence.on_day_off, calendar), tmpl.cadence.due_time);
        }
    }
    p.key = key;
    return p;
}

}  // namespace bot::templates
