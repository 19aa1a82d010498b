#pragma once

#include "templates/validate.hpp"

#include <string>
#include <vector>

/// The mainland-China statutory holidays of a year computed, for years the calendar data does not
/// list yet (全国年节及纪念日放假办法 as revised in 2024): 元旦 1 day, 春节 4 days from 除夕, 清明
/// 1 day, 劳动节 2 days, 端午 1 day, 中秋 1 day, 国庆 3 days. The lunar dates come from the new
/// moons and the solar terms computed with Meeus' algorithms (Astronomical Algorithms, 2nd ed.,
/// ch. 25 and 49) and the rules of GB/T 33661-2017 in Beijing time; nothing is tabulated. Make-up
/// working days (调休) are announced each year and cannot be computed. Pure.
namespace bot::templates::statutory {

struct Day {
    LocalDate date;
    std::string name;  ///< 元旦, 春节, 清明节, 劳动节, 端午节, 中秋节, 国庆节
};

/// The statutory days off of `year` (1901–2099), in date order.
std::vector<Day> holidays(int year);

/// 正月初一 of `year`.
LocalDate lunar_new_year(int year);
/// Day `day` of lunar month `month` (not a leap month) of lunar year `year`.
LocalDate from_lunar(int year, int month, int day);
/// The day in Beijing time when the sun reaches apparent longitude `degrees` in `year`.
LocalDate solar_term(int year, double degrees);

}  // namespace bot::templates::statutory
