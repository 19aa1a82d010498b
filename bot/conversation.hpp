#pragma once

#include "bot/core/router.hpp"
#include "bot/scheduler/scheduler.hpp"
#include "handlers/roster.hpp"
#include "templates/calendar.hpp"
#include "templates/loader.hpp"

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace bot::conversation {

/// What the router needs besides the event; owned by the App and outliving every unit of work.
struct Deps {
    const templates::TemplateSet& templates;
    const handlers::Roster& roster;
    std::string locale = "zh-CN";
    std::chrono::minutes draft_after{30};
    std::chrono::hours draft_ttl{24 * 7};
    std::vector<std::string> bot_names{"联络员助手"};
    std::map<std::string, std::string, std::less<>> bot_locales;  ///< bot id → locale, where it differs
    const templates::WorkCalendar* calendar = nullptr;            ///< moves deadlines off days off
    const scheduler::Deps* scheduling = nullptr;                  ///< 催报 and 周报 (absent: refused)
    std::string time_zone = "Asia/Shanghai";                      ///< where "today" is for leave dates
};

/// The unit of work for one inbound event, run on the store thread inside the group commit:
/// deduplicate, load the (bot, chat, user) session, run the report flow (pure), then store the
/// session and any report. Everything commits together or not at all; the replies are in `out`
/// once the commit is reported.
store::Work process(const Deps& deps,
                    InboundEvent event,
                    TimePoint now,
                    std::chrono::seconds ttl,
                    core::Delivery delivery,
                    std::shared_ptr<core::EventResult> out);

/// `process` bound to `deps`, for the server.
core::EventProcessor processor(const Deps& deps);

}  // namespace bot::conversation
