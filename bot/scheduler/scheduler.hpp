#pragma once

#include "bot/core/defaults.hpp"
#include "bot/core/store.hpp"
#include "bot/usecases/deps.hpp"
#include "bot/usecases/sends.hpp"
#include "handlers/effects.hpp"
#include "handlers/roster.hpp"
#include "handlers/schedule.hpp"
#include "templates/calendar.hpp"
#include "templates/loader.hpp"

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

/// The scheduler: `tick(now)` is a unit of work that finds what is due between the last tick and
/// `now` (handlers/schedule, pure) and commits each send's decision and its outbox rows together.
/// A thin timer (bot/app.cpp) or `liaison-bot tick --at` drives it. docs/scheduling.md.
namespace bot::scheduler {

/// The use cases' shared dependencies; the scheduler's settings are among them.
using Deps = usecase::Deps;

/// What one tick did.
struct TickReport : usecase::SendCounts {
    bool leader = false;  ///< held the lease (otherwise it did nothing)
    int rounds = 0;       ///< ladder steps and digests decided now
};

/// The unit of work of one tick at `now` by `holder` (a process id): take or renew the lease,
/// decide every send due since the stored cursor, move the cursor.
store::Work tick(const Deps& deps, std::string holder, TimePoint now, std::shared_ptr<TickReport> out);

}  // namespace bot::scheduler
