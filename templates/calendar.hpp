#pragma once

#include "templates/loader.hpp"
#include "templates/validate.hpp"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace bot::templates {

/// Working days: Monday–Friday, except statutory holidays, plus make-up workdays (调休) on
/// weekends. Loaded from data (seeds/calendar-cn.jsonc); for the years after the data, the
/// statutory holidays are computed (templates/statutory.hpp) and make-up days are unknown. Pure
/// once loaded.
class WorkCalendar {
public:
    WorkCalendar() = default;

    bool is_working_day(const LocalDate& d) const;
    /// The holiday's name when `d` is a statutory day off.
    std::optional<std::string> holiday(const LocalDate& d) const;
    /// The nearest working day on or before / on or after `d` (searches at most 60 days).
    LocalDate working_day_on_or_before(const LocalDate& d) const;
    LocalDate working_day_on_or_after(const LocalDate& d) const;
    /// Whether the data covers `year` (after it, computed statutory holidays and weekends).
    bool covers(int year) const;
    /// The last day the data covers (31 December of its last year); none without data.
    std::optional<LocalDate> data_until() const;
    /// Whether `d` is a day off only by computation (a year without data).
    bool computed(const LocalDate& d) const;
    /// Computes the statutory holidays of every year after the data up to `last_year`.
    void compute_after_data(int last_year);

    void add_off(const LocalDate& d, const std::string& name);
    void add_work(const LocalDate& d);
    void add_year(int year);

private:
    std::map<std::string, std::string> off_;  ///< ISO date → holiday name
    std::set<std::string> work_;              ///< ISO dates of make-up workdays
    std::set<int> years_;
    std::map<std::string, std::string> computed_;  ///< ISO date → holiday name, years without data
};

struct CalendarLoad {
    WorkCalendar calendar;
    std::vector<LoadError> errors;
};

CalendarLoad load_calendar_text(std::string_view text, const std::string& file);

/// `due` moved by `rule` to a working day.
LocalDate adjust_for_day_off(const LocalDate& due, DayOffRule rule, const WorkCalendar& calendar);

}  // namespace bot::templates
