#pragma once

#include "bot/core/clock.hpp"
#include "handlers/effects.hpp"
#include "handlers/roster.hpp"
#include "handlers/schedule.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

/// The coordinators' desk (docs/desk.md): which units a person's list may show, and what changed
/// between two revisions of an answer. Pure.
namespace bot::handlers::desk {

/// The units a list shows: `units` (empty with `every` set: every unit), or nothing at all.
struct Units {
    std::vector<std::string> units{};
    bool every = false;
    bool none() const { return units.empty() && !every; }
};

/// The units `person`'s desk list covers: their scope (roster.visible_units), narrowed to `chosen`
/// and every unit below it when one is chosen. An officer, or a unit outside the scope: none.
Units units_for(const Roster& roster, const Person& person, std::string_view chosen);

/// What changed between two texts: the common start and end, and the middle as it was and as it is.
struct Change {
    std::string start{};
    std::string removed{};
    std::string added{};
    std::string end{};
    bool same() const { return removed.empty() && added.empty(); }
};

/// The change from `before` to `after`, by characters (never splitting one).
Change diff(std::string_view before, std::string_view after);

/// The coordinators who review `unit`'s reports (those it may be assigned to), in roster order.
std::vector<const Person*> reviewers_of(const Roster& roster, std::string_view unit);

/// Why `by` may not give the review of a report of `unit` to `to` (a catalogue key), or empty when
/// they may: both must coordinate the unit (`by` nullptr: an API token bound to nobody, acting for
/// the whole organisation; `to` must still coordinate the unit).
std::string assign_refusal(const Roster& roster, const Person* by, std::string_view unit, const Person* to);

/// 分派's rule for `r`: empty when `by` may give its review to `to`; "desk.assigned_already" when `to`
/// has it already (nothing changes, nobody is told again); else why not (assign_refusal).
std::string assign_rule(const Roster& roster, const Person* by, const StoredReport& r, const Person* to);

/// What `to` is told of a review given to them: privately through the bot the report was filed
/// through, where that bot can message them (settings.direct_bots and an account there); nullopt
/// when it cannot (the desk still shows it to them).
std::optional<Message> assignment_notice(const FlowContext& ctx,
                                         const StoredReport& r,
                                         std::string_view by,
                                         const Person& to);

/// What coordinators who asked for each (Person::notices) are told of `sub`, filed (or
/// revised) through `bot_id`: one private message each, through that bot where it can message them,
/// for those whose scope holds its unit — the author excepted. The number (and revision) are slots
/// the router fills once it is stored.
std::vector<Message> arrival_notices(const FlowContext& ctx, const Submission& sub, std::string_view bot_id);

/// A report filed or revised and waiting for review, as the hourly notices list it.
struct Arrival {
    std::string number;
    std::string title;
    std::string unit_id;
    std::string bot_id;  ///< the bot it came through
    std::string author_id;
};

/// The hourly notices (roster "notices": "hourly"): each coordinator asking for them with reports of
/// `arrived` (oldest first, since `since`) in their scope gets one private message — how many, and
/// the newest few — through the bot the newest of them came through, where that bot can message
/// them; the author is not told of their own. Keys: `<key_prefix>/person:<id>`.
std::vector<Send> hourly_notices(const std::string& key_prefix,
                                 const std::vector<Arrival>& arrived,
                                 const std::string& since,
                                 const ReminderContext& ctx);

/// A time range [from, to).
struct Span {
    TimePoint from{};
    TimePoint to{};
};

/// How many of `times` fall in each span (spans in order, not overlapping); `weights` (when given,
/// one per time) are added instead of counting one each.
std::vector<int> per_span(const std::vector<TimePoint>& times,
                          const std::vector<Span>& spans,
                          const std::vector<int>& weights = {});

}  // namespace bot::handlers::desk
