#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace bot {

/// Hashes std::string and std::string_view alike, so that a map keyed by strings is searched by a
/// view without allocating a string (C++20 heterogeneous lookup).
struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

/// A hash map keyed by strings, searched by string_view.
template <class Value>
using StringMap = std::unordered_map<std::string, Value, StringHash, std::equal_to<>>;

}  // namespace bot

namespace bot {

/// Numbers strings densely (0, 1, 2, … in the order first seen), for counting over many rows keyed
/// by few strings (the digest's 890,000 rows of 100,000 units): an open-addressed table of hashes
/// and numbers, 16 bytes a slot, where a node-based map took a cache miss more per row.
class Interner {
public:
    /// The number of `s`, given it when new.
    std::uint32_t number(std::string_view s);
    /// The strings by number.
    const std::vector<std::string>& strings() const { return strings_; }

private:
    struct Slot {
        std::uint64_t hash = 0;
        std::uint32_t number = 0;  ///< the string's number + 1; 0: empty
    };
    void grow();

    std::vector<Slot> slots_ = std::vector<Slot>(1024);
    std::vector<std::string> strings_;
};

}  // namespace bot
