#include "templates/statutory.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <date/date.h>

namespace bot::templates::statutory {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kBeijing = 8.0 / 24.0;  ///< UTC+8, in days

double rad(double degrees) {
    return degrees * kPi / 180.0;
}

double normalized(double degrees) {
    double d = std::fmod(degrees, 360.0);
    return d < 0 ? d + 360.0 : d;
}

/// ΔT = TT − UT in days (Espenak & Meeus' polynomial for 2005–2050, and 2050–2150).
double delta_t(double year) {
    double seconds = 0;
    if (year < 2005) {
        const double t = year - 2000;
        seconds = 63.86 + 0.3345 * t - 0.060374 * t * t + 0.0017275 * t * t * t;
    } else if (year < 2050) {
        const double t = year - 2000;
        seconds = 62.92 + 0.32217 * t + 0.005589 * t * t;
    } else {
        const double u = (year - 1820) / 100;
        seconds = -20 + 32 * u * u - 0.5628 * (2150 - year);
    }
    return seconds / 86400.0;
}

/// The sun's apparent longitude in degrees at Julian Ephemeris Day `jde` (Meeus ch. 25, low
/// accuracy: about 0.01°, a quarter of an hour).
double sun_longitude(double jde) {
    const double t = (jde - 2451545.0) / 36525.0;
    const double l0 = 280.46646 + 36000.76983 * t + 0.0003032 * t * t;
    const double m = rad(357.52911 + 35999.05029 * t - 0.0001537 * t * t);
    const double c = (1.914602 - 0.004817 * t - 0.000014 * t * t) * std::sin(m) +
                     (0.019993 - 0.000101 * t) * std::sin(2 * m) + 0.000289 * std::sin(3 * m);
    const double omega = rad(125.04 - 1934.136 * t);
    return normalized(l0 + c - 0.00569 - 0.00478 * std::sin(omega));
}

/// The JDE when the sun's apparent longitude is `degrees`, near `guess`.
double sun_at(double degrees, double guess) {
    double jde = guess;
    for (int i = 0; i < 50; ++i) {
        double diff = degrees - sun_longitude(jde);
        diff = std::fmod(diff + 540.0, 360.0) - 180.0;  // into (−180, 180]
        jde += diff * 365.2422 / 360.0;
        if (std::fabs(diff) < 1e-7) {
            break;
        }
    }
    return jde;
}

/// The JDE of new moon number `k` (k = 0: 2000-01-06), Meeus ch. 49.
double new_moon(double k) {
    const double t = k / 1236.85;
    const double t2 = t * t;
    const double t3 = t2 * t;
    const double t4 = t3 * t;
    double jde = 2451550.09766 + 29.530588861 * k + 0.00015437 * t2 - 0.000000150 * t3 + 0.00000000073 * t4;
    const double e = 1 - 0.002516 * t - 0.0000074 * t2;
    const double m = rad(2.5534 + 29.10535670 * k - 0.0000014 * t2 - 0.00000011 * t3);
    const double mp = rad(201.5643 + 385.81693528 * k + 0.0107582 * t2 + 0.00001238 * t3 - 0.000000058 * t4);
    const double f = rad(160.7108 + 390.67050284 * k - 0.0016118 * t2 - 0.00000227 * t3 + 0.000000011 * t4);
    const double om = rad(124.7746 - 1.56375588 * k + 0.0020672 * t2 + 0.00000215 * t3);
    jde += -0.40720 * std::sin(mp) + 0.17241 * e * std::sin(m) + 0.01608 * std::sin(2 * mp) +
           0.01039 * std::sin(2 * f) + 0.00739 * e * std::sin(mp - m) - 0.00514 * e * std::sin(mp + m) +
           0.00208 * e * e * std::sin(2 * m) - 0.00111 * std::sin(mp - 2 * f) -
           0.00057 * std::sin(mp + 2 * f) + 0.00056 * e * std::sin(2 * mp + m) - 0.00042 * std::sin(3 * mp) +
           0.00042 * e * std::sin(m + 2 * f) + 0.00038 * e * std::sin(m - 2 * f) -
           0.00024 * e * std::sin(2 * mp - m) - 0.00017 * std::sin(om) - 0.00007 * std::sin(mp + 2 * m) +
           0.00004 * std::sin(2 * mp - 2 * f) + 0.00004 * std::sin(3 * m) +
           0.00003 * std::sin(mp + m - 2 * f) + 0.00003 * std::sin(2 * mp + 2 * f) -
           0.00003 * std::sin(mp + m + 2 * f) + 0.00003 * std::sin(mp - m + 2 * f) -
           0.00002 * std::sin(mp - m - 2 * f) - 0.00002 * std::sin(3 * mp + m) + 0.00002 * std::sin(4 * mp);
    // The planetary arguments.
    constexpr std::array<std::array<double, 3>, 14> kPlanetary{{{299.77, 0.107408, 0.000325},
                                                                {251.88, 0.016321, 0.000165},
                                                                {251.83, 26.651886, 0.000164},
                                                                {349.42, 36.412478, 0.000126},
                                                                {84.66, 18.206239, 0.000110},
                                                                {141.74, 53.303771, 0.000062},
                                                                {207.14, 2.453732, 0.000060},
                                                                {154.84, 7.306860, 0.000056},
                                                                {34.52, 27.261239, 0.000047},
                                                                {207.19, 0.121824, 0.000042},
                                                                {291.34, 1.844379, 0.000040},
                                                                {161.72, 24.198154, 0.000037},
                                                                {239.56, 25.513099, 0.000035},
                                                                {331.55, 3.592518, 0.000023}}};
    for (std::size_t i = 0; i < kPlanetary.size(); ++i) {
        double a = kPlanetary[i][0] + kPlanetary[i][1] * k;
        if (i == 0) {
            a -= 0.009173 * t2;
        }
        jde += kPlanetary[i][2] * std::sin(rad(a));
    }
    return jde;
}

/// The Beijing-time civil day of a JDE, as a day number (days since 1970-01-01).
long beijing_day(double jde) {
    const double year = 2000 + (jde - 2451545.0) / 365.25;
    const double jd_ut = jde - delta_t(year);
    return static_cast<long>(std::floor(jd_ut + kBeijing + 0.5 - 2440588.0));
}

LocalDate date_of(long day_number) {
    const date::year_month_day ymd{date::sys_days{date::days{day_number}}};
    return {static_cast<int>(ymd.year()),
            static_cast<int>(static_cast<unsigned>(ymd.month())),
            static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

/// The JDE of 0h UT on 1 January of `year` plus `days`, a guess for the root finders.
double jde_of(int year, double days) {
    return 2451544.5 + 365.2422 * (year - 2000) + days;
}

/// The day of the winter solstice (冬至) of `year`.
long winter_solstice(int year) {
    return beijing_day(sun_at(270.0, jde_of(year, 355)));
}

/// The day of the last new moon on or before day `day`.
long new_moon_on_or_before(long day) {
    // k near the day, then step to the right lunation.
    const double jd = static_cast<double>(day) + 2440587.5;
    double k = std::floor((jd - 2451550.09766) / 29.530588861);
    while (beijing_day(new_moon(k + 1)) <= day) {
        k += 1;
    }
    while (beijing_day(new_moon(k)) > day) {
        k -= 1;
    }
    return static_cast<long>(k);
}

/// The lunar months from month 11 of `year - 1` to month 11 of `year` (exclusive): their first
/// days and numbers (0 for the leap month).
struct LunarYear {
    std::vector<long> starts;  ///< first day of each month, plus the first day of the next month 11
    std::vector<int> numbers;  ///< 11, 12, 1, 2, … with 0 for the leap month
};

LunarYear lunar_year(int year) {
    const long k1 = new_moon_on_or_before(winter_solstice(year - 1));
    const long k2 = new_moon_on_or_before(winter_solstice(year));
    LunarYear y;
    for (long k = k1; k <= k2; ++k) {
        y.starts.push_back(beijing_day(new_moon(static_cast<double>(k))));
    }
    const bool leap_year = k2 - k1 == 13;
    bool leap_found = false;
    int number = 11;
    for (std::size_t i = 0; i + 1 < y.starts.size(); ++i) {
        if (leap_year && !leap_found && i > 0) {
            // The first month with no major solar term (中气, a multiple of 30°) is the leap month.
            const double start = static_cast<double>(y.starts[i]) + 2440587.5;
            const double lon_start = sun_longitude(start + delta_t(year) - kBeijing);
            const double lon_end =
                sun_longitude(static_cast<double>(y.starts[i + 1]) + 2440587.5 + delta_t(year) - kBeijing);
            const int term_start = static_cast<int>(std::floor(lon_start / 30.0));
            int term_end = static_cast<int>(std::floor(lon_end / 30.0));
            if (term_end < term_start) {
                term_end += 12;
            }
            if (term_end == term_start) {
                leap_found = true;
                y.numbers.push_back(0);
                continue;
            }
        }
        y.numbers.push_back(number);
        number = number == 12 ? 1 : number + 1;
    }
    return y;
}

}  // namespace

LocalDate from_lunar(int year, int month, int day) {
    const LunarYear y = lunar_year(year);
    for (std::size_t i = 0; i < y.numbers.size(); ++i) {
        // Months 11 and 12 at the start belong to the lunar year before.
        if (y.numbers[i] == month && !(i < 3 && month >= 11)) {
            return date_of(y.starts[i] + day - 1);
        }
    }
    return date_of(y.starts.front());  // unreachable for months 1–10
}

LocalDate lunar_new_year(int year) {
    return from_lunar(year, 1, 1);
}

LocalDate solar_term(int year, double degrees) {
    // 0° falls in March; the year's other terms follow about every 15.2 days.
    const double days = std::fmod(degrees - 280.0 + 360.0, 360.0) * 365.2422 / 360.0 - 10;
    return date_of(beijing_day(sun_at(degrees, jde_of(year, days))));
}

std::vector<Day> holidays(int year) {
    std::vector<Day> out;
    out.push_back({{year, 1, 1}, "元旦"});
    const LocalDate new_year = lunar_new_year(year);
    for (int i = -1; i <= 2; ++i) {  // 除夕 and 正月初一 to 初三
        out.push_back({new_year.plus_days(i), "春节"});
    }
    out.push_back({solar_term(year, 15.0), "清明节"});
    out.push_back({{year, 5, 1}, "劳动节"});
    out.push_back({{year, 5, 2}, "劳动节"});
    out.push_back({from_lunar(year, 5, 5), "端午节"});
    out.push_back({from_lunar(year, 8, 15), "中秋节"});
    for (int d = 1; d <= 3; ++d) {
        out.push_back({{year, 10, d}, "国庆节"});
    }
    std::sort(out.begin(), out.end(), [](const Day& a, const Day& b) { return a.date.iso() < b.date.iso(); });
    return out;
}

}  // namespace bot::templates::statutory
