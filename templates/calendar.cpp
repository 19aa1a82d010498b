#include "templates/calendar.hpp"

#include "bot/core/json_reader.hpp"
#include "templates/statutory.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <date/date.h>

namespace bot::templates {
namespace {

/// How many years after the data the statutory holidays are computed.
constexpr int kComputedYears = 30;

int iso_weekday(const LocalDate& d) {
    const date::year_month_day ymd{date::year{d.year},
                                   date::month{static_cast<unsigned>(d.month)},
                                   date::day{static_cast<unsigned>(d.day)}};
    return static_cast<int>(date::weekday{date::sys_days{ymd}}.iso_encoding());
}

}  // namespace

bool WorkCalendar::is_working_day(const LocalDate& d) const {
    const std::string key = d.iso();
    if (computed_.count(key) != 0 && !covers(d.year)) {
        return false;
    }
    if (work_.count(key) != 0) {
        return true;
    }
    if (off_.count(key) != 0) {
        return false;
    }
    return iso_weekday(d) <= 5;
}

std::optional<std::string> WorkCalendar::holiday(const LocalDate& d) const {
    const auto it = off_.find(d.iso());
    if (it != off_.end()) {
        return it->second;
    }
    const auto c = computed_.find(d.iso());
    return c == computed_.end() || covers(d.year) ? std::nullopt : std::optional<std::string>(c->second);
}

std::optional<LocalDate> WorkCalendar::data_until() const {
    if (years_.empty()) {
        return std::nullopt;
    }
    return LocalDate{*years_.rbegin(), 12, 31};
}

bool WorkCalendar::computed(const LocalDate& d) const {
    return !covers(d.year) && computed_.count(d.iso()) != 0;
}

void WorkCalendar::compute_after_data(int last_year) {
    const int first = years_.empty() ? 2000 : *years_.rbegin() + 1;
    for (int y = first; y <= std::min(last_year, 2099); ++y) {
        for (const auto& day : statutory::holidays(y)) {
            computed_[day.date.iso()] = day.name;
        }
    }
}

LocalDate WorkCalendar::working_day_on_or_before(const LocalDate& d) const {
    LocalDate x = d;
    for (int i = 0; i < 60 && !is_working_day(x); ++i) {
        x = x.plus_days(-1);
    }
    return x;
}

LocalDate WorkCalendar::working_day_on_or_after(const LocalDate& d) const {
    LocalDate x = d;
    for (int i = 0; i < 60 && !is_working_day(x); ++i) {
        x = x.plus_days(1);
    }
    return x;
}

bool WorkCalendar::covers(int year) const {
    return years_.count(year) != 0;
}

void WorkCalendar::add_off(const LocalDate& d, const std::string& name) {
    off_[d.iso()] = name;
}

void WorkCalendar::add_work(const LocalDate& d) {
    work_.insert(d.iso());
}

void WorkCalendar::add_year(int year) {
    years_.insert(year);
}

LocalDate adjust_for_day_off(const LocalDate& due, DayOffRule rule, const WorkCalendar& calendar) {
    switch (rule) {
        case DayOffRule::earlier:
            return calendar.working_day_on_or_before(due);
        case DayOffRule::later:
            return calendar.working_day_on_or_after(due);
        case DayOffRule::keep:
            break;
    }
    return due;
}

namespace {

void read_years(json_check::Reader& r, WorkCalendar& calendar) {
    const auto* years = r.get("years", true);
    if (years == nullptr) {
        return;
    }
    if (!years->is_array()) {
        r.problem(r.child_path("years"), "expected an array of years");
        return;
    }
    for (const auto& y : *years) {
        if (!y.is_number_integer() || y.get<int>() < 2000 || y.get<int>() > 2100) {
            r.problem(r.child_path("years"), "years must be integers between 2000 and 2100");
        } else {
            calendar.add_year(y.get<int>());
        }
    }
}

/// A date YYYY-MM-DD of a listed year at `path`, or a problem there.
std::optional<LocalDate> date_at(const WorkCalendar& calendar,
                                 const json_check::Reader& where,
                                 const std::string& path,
                                 const nlohmann::json& v) {
    const auto d = v.is_string() ? parse_date(v.get<std::string>(), LocalDate{}) : std::nullopt;
    if (!d || v.get<std::string>().size() != 10) {
        where.problem(path, "expected a date as YYYY-MM-DD");
        return std::nullopt;
    }
    if (!calendar.covers(d->year)) {
        where.problem(path, "the year " + std::to_string(d->year) + " is not listed in $.years");
    }
    return d;
}

/// One holiday: `off` [first, last] (within a month) and its make-up working days `work`.
void read_holiday(json_check::Reader h, WorkCalendar& calendar) {
    if (!h.object({"name", "off", "work"})) {
        return;
    }
    std::string holiday;
    h.string("name", holiday, true);
    if (const auto* off = h.get("off", true); off != nullptr) {
        if (!off->is_array() || off->size() != 2) {
            h.problem(h.child_path("off"), "expected [first day, last day]");
        } else {
            const auto first = date_at(calendar, h, h.child_path("off") + "[0]", (*off)[0]);
            const auto last = date_at(calendar, h, h.child_path("off") + "[1]", (*off)[1]);
            if (first && last && (last->iso() < first->iso() || first->plus_days(31).iso() < last->iso())) {
                h.problem(h.child_path("off"), "the last day must follow the first, within a month");
            } else if (first && last) {
                for (LocalDate d = *first; d.iso() <= last->iso(); d = d.plus_days(1)) {
                    calendar.add_off(d, holiday);
                }
            }
        }
    }
    if (const auto* work = h.get("work", false); work != nullptr) {
        if (!work->is_array()) {
            h.problem(h.child_path("work"), "expected an array of dates");
            return;
        }
        for (std::size_t k = 0; k < work->size(); ++k) {
            const std::string path = h.child_path("work") + "[" + std::to_string(k) + "]";
            if (const auto d = date_at(calendar, h, path, (*work)[k])) {
                calendar.add_work(*d);
            }
        }
    }
}

}  // namespace

CalendarLoad load_calendar_text(std::string_view text, const std::string& file) {
    CalendarLoad out;
    std::vector<json_check::Problem> problems;
    const auto root = json_check::parse_with_comments(text, problems);
    if (root) {
        json_check::Reader r(*root, "$", problems);
        if (r.object({"$schema", "name", "years", "holidays"})) {
            std::string name;
            r.string("name", name);
            read_years(r, out.calendar);
            if (r.has("holidays")) {
                json_check::Reader hs = r.child("holidays");
                const std::size_t n = hs.array() ? hs.value().size() : 0;
                for (std::size_t i = 0; i < n; ++i) {
                    read_holiday(hs.element(i), out.calendar);
                }
            }
        }
    }
    for (auto& p : problems) {
        out.errors.push_back({file, std::move(p.path), std::move(p.message)});
    }
    // The years after the data: their statutory holidays computed (a few microseconds a year).
    const auto until = out.calendar.data_until();
    out.calendar.compute_after_data((until ? until->year : 2025) + kComputedYears);
    return out;
}

}  // namespace bot::templates
