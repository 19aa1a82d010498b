#pragma once

#include "handlers/commands.hpp"

#include <date/date.h>
#include <map>
#include <string>
#include <vector>

namespace bot::test {

/// Drives the pure conversation step (handlers::decide) as the router would, with nothing read, keeping
/// sessions in a map and submissions in a list. Shipped templates and the demo roster; the clock is `now`,
/// moved by the test.
class FlowHarness {
public:
    FlowHarness();

    /// One message from `user` (a roster person id) in `chat`; returns all reply texts joined.
    std::string say(const std::string& user,
                    const std::string& text,
                    const std::string& chat = "demo-group",
                    bool addressed = true,
                    std::vector<std::string> attachments = {});

    handlers::Effects last;  ///< the effects of the latest message
    handlers::Needs needed;  ///< what the latest message declared it needs read (the harness reads nothing)
    std::vector<handlers::Submission> submitted;
    std::map<std::string, handlers::Session> sessions;  ///< key: chat + "|" + user
    TimePoint now;
    templates::TemplateSet templates;
    handlers::Roster roster;
    templates::WorkCalendar calendar;
    std::string locale = "zh-CN";

    const handlers::Session* session(const std::string& user, const std::string& chat = "demo-group") const;
};

inline TimePoint shanghai(int y, unsigned m, unsigned d, int h, int min) {
    return TimePoint{date::sys_days{date::year{y} / date::month{m} / date::day{d}} +
                     std::chrono::hours(h - 8) + std::chrono::minutes(min)};
}

}  // namespace bot::test
