#pragma once

#include <chrono>

namespace bot {

using TimePoint = std::chrono::system_clock::time_point;

/// Wall-clock source. Handlers and adapters never read the clock themselves: they are given `now`.
class Clock {
public:
    virtual ~Clock() = default;
    virtual TimePoint now() const = 0;
};

class SystemClock final : public Clock {
public:
    TimePoint now() const override { return std::chrono::system_clock::now(); }
};

}  // namespace bot
