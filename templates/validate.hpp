#pragma once

#include "templates/model.hpp"

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace bot::templates {

struct UnitRef {
    std::string id;
    std::string name;
};

/// A calendar date in the template's time zone.
struct LocalDate {
    int year = 1970;
    int month = 1;
    int day = 1;
    std::string iso() const;  ///< YYYY-MM-DD
    LocalDate plus_days(int days) const;
    bool operator==(const LocalDate&) const = default;
};

/// What validation may depend on besides the answer: given by the caller, never read from a clock.
struct FieldContext {
    LocalDate today;
    std::string own_unit;            ///< unit id of the officer answering
    std::span<const UnitRef> units;  ///< the units this person may file for, in display order (not owned)
    bool own_units_only = false;     ///< `units` are an officer's own, not the whole roster
    std::vector<std::string> attachments;  ///< platform references that came with the message
};

/// Why an answer was refused: a message-catalogue key and its arguments.
struct Invalid {
    std::string key;
    std::vector<std::pair<std::string, std::string>> args;
};

/// The normalized value to store (see docs/templates.md for each type's form), or why not.
using Validation = std::variant<std::string, Invalid>;

Validation validate(const Field& field, std::string_view answer, const FieldContext& ctx);

/// The field's default in this context, if it has one.
std::optional<std::string> default_value(const Field& field, const FieldContext& ctx);

/// Whether the field is shown given the answers so far (no condition: always).
bool condition_met(const Field& field, const std::map<std::string, std::string>& answers);

/// Parses the date forms officers type; nullopt when none matches.
std::optional<LocalDate> parse_date(std::string_view answer, const LocalDate& today);

}  // namespace bot::templates
