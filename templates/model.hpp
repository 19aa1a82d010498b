#pragma once

#include "bot/core/defaults.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/// Report templates: plain data, loaded from templates/data/*.jsonc (see docs/templates.md).
namespace bot::templates {

/// Text in the two catalogue languages; `en` falls back to `zh` when a template gives only one.
struct Localized {
    std::string zh;
    std::string en;
    const std::string& in(std::string_view locale) const { return locale == "en" && !en.empty() ? en : zh; }
};

enum class FieldType {
    text,
    longtext,
    choice,
    multichoice,
    integer,
    decimal,
    percent,
    date,
    url,
    attachment,
    unit,
    yesno
};

std::string_view to_string(FieldType t);
std::optional<FieldType> field_type_from(std::string_view s);

struct Choice {
    std::string id;
    Localized label;
};

/// Show a field only when another field's answer is one of `equals` (choice ids, "true"/"false").
struct Condition {
    std::string field;
    std::vector<std::string> equals;
};

/// Where a default value comes from.
enum class DefaultKind { none, own_unit, today, literal };

struct Field {
    std::string id;
    FieldType type = FieldType::text;
    Localized label;
    bool required = true;
    std::optional<std::size_t> min_length;  ///< characters (code points), text/longtext
    std::optional<std::size_t> max_length;
    std::optional<double> min;  ///< integer/decimal/percent
    std::optional<double> max;
    std::vector<Choice> choices;             ///< choice/multichoice
    std::optional<std::size_t> min_choices;  ///< multichoice
    std::optional<std::size_t> max_choices;
    DefaultKind default_kind = DefaultKind::none;
    std::string default_value;  ///< for DefaultKind::literal, already valid
    Localized help;
    Localized example;
    std::optional<Condition> when;
};

enum class CadenceKind { event, weekly, monthly };

/// Where a deadline that falls on a day off (weekend or statutory holiday) goes.
enum class DayOffRule { earlier, later, keep };

struct Cadence {
    CadenceKind kind = CadenceKind::event;
    int quota = 0;                                ///< event: at least this many per month per unit
    int due_weekday = 5;                          ///< weekly: ISO weekday, 1 = Monday … 7 = Sunday
    int due_day = 25;                             ///< monthly: day of month (clamped to the month's length)
    std::chrono::minutes due_time{17 * 60};       ///< local time of day of the deadline
    DayOffRule on_day_off = DayOffRule::earlier;  ///< the working day before, by default
};

/// One rung of the reminder ladder. Either `offset` minutes from the deadline (negative: before it),
/// or, when `working_days` is set, that many working days from the deadline's local date (negative:
/// before; 0: the deadline's day) at local time `at`.
struct ReminderStep {
    std::chrono::minutes offset{0};
    std::optional<int> working_days;
    std::chrono::minutes at{9 * 60};
    std::string audience = "officers";  ///< "officers" or "coordinators"
    bool private_first = false;         ///< officers: a private message where the platform has them
    bool names_in_group = false;        ///< officers: the group message names the missing units
};

/// 快 · 实 · 新 (docs/quality.md): what a report of this template is assessed against at preview.
struct Quality {
    bool assessed = false;        ///< the template has a "quality" section: its reports get marks
    bool hints = false;           ///< show the officer at most three hints at preview
    int timely_days = 0;          ///< 快: days expected between the event and the report; 0: not checked
    std::string date_field{};     ///< the event's date field (default: the first date field)
    std::string figures_field{};  ///< where figures are expected (default: any long text)
    int min_chars = 30;           ///< a long-text answer shorter than this is thin
};

struct Template {
    std::string id;
    int version = 1;
    Localized name;
    Cadence cadence;
    std::string time_zone{kDefaultTimeZone};
    std::vector<ReminderStep> reminders;
    bool review_required = true;
    std::vector<std::string> chats;  ///< chat ids it applies to; "*" = all
    std::vector<std::string> units;  ///< unit ids it applies to; "*" = all
    std::vector<Field> fields;
    Quality quality{};

    const Field* field(std::string_view field_id) const;
    bool applies_to_chat(std::string_view chat) const;
    bool applies_to_unit(std::string_view unit) const;
};

}  // namespace bot::templates
