#pragma once

#include "bot/core/clock.hpp"
#include "templates/model.hpp"
#include "templates/validate.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace bot::templates {

/// The reporting period a moment falls into, for a template's cadence and time zone.
struct Period {
    std::string key;  ///< "2026-W48" (weekly), "2026-11" (monthly and event-driven)
    bool weekly = false;
    int year = 0;
    int number = 0;                ///< ISO week or month
    std::optional<TimePoint> due;  ///< absent for event-driven templates
};

/// The local calendar date of `t` in the IANA zone `zone`.
LocalDate local_date(TimePoint t, std::string_view zone);

class WorkCalendar;

/// The period containing `t` (its local date in the template's zone) and that period's deadline.
/// With a calendar, a deadline on a day off moves as the template's `on_day_off` says.
Period period_for(const Template& tmpl, TimePoint t, const WorkCalendar* calendar = nullptr);

/// The instant of local time `time_of_day` on `day` in `zone` (in a DST gap or overlap, the
/// earliest instant that matches).
TimePoint at_local(std::string_view zone, const LocalDate& day, std::chrono::minutes time_of_day);

/// Minutes after local midnight of `t` in `zone`.
std::chrono::minutes local_time_of_day(TimePoint t, std::string_view zone);

/// What the reminder ladder counts from: the deadline, or for an event-driven template with a
/// quota the month's last working day at the cadence's time. Absent when nothing is expected.
std::optional<TimePoint> reminder_anchor(const Template& tmpl,
                                         const Period& period,
                                         const WorkCalendar* calendar);

/// When `step` of the ladder falls for a period whose anchor is `anchor`.
TimePoint reminder_time(const Template& tmpl,
                        const ReminderStep& step,
                        TimePoint anchor,
                        const WorkCalendar* calendar);

/// The period before `p` (the previous week or month), with its deadline.
Period previous_period(const Template& tmpl, const Period& p, const WorkCalendar* calendar);

/// A submission at `t` is on time when the period has no deadline or `t` is not after it.
inline bool on_time(const Period& p, TimePoint t) {
    return !p.due || t <= *p.due;
}

}  // namespace bot::templates
