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

/// A clock that only moves when told to (tests, simulations).
class ManualClock final : public Clock {
public:
    explicit ManualClock(TimePoint start) : now_(start) {}
    TimePoint now() const override { return now_; }
    void set(TimePoint t) { now_ = t; }
    void advance(std::chrono::system_clock::duration d) { now_ += d; }

private:
    TimePoint now_;
};

}  // namespace bot
