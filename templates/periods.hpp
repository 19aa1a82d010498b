#pragma once

#include "bot/core/clock.hpp"
#include "templates/model.hpp"
#include "templates/validate.hpp"

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

/// A submission at `t` is on time when the period has no deadline or `t` is not after it.
inline bool on_time(const Period& p, TimePoint t) {
    return !p.due || t <= *p.due;
}

}  // namespace bot::templates
