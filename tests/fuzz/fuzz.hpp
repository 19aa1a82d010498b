#pragma once

// A fuzz target: libFuzzer calls it with each input (the `fuzz` preset, clang), and the replay
// driver (replay_main.cpp) calls it with every file of the target's corpus in the test suite.
// A target never returns an error for bad input: only a crash, a sanitizer report or a failed
// invariant (LIAISON_FUZZ_CHECK) is a finding.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#define LIAISON_FUZZ_CHECK(cond)                                                  \
    do {                                                                          \
        if (!(cond)) {                                                            \
            std::fprintf(stderr, "fuzz invariant failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
            std::abort();                                                         \
        }                                                                         \
    } while (0)

inline std::string_view fuzz_bytes(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}
