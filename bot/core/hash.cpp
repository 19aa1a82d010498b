#include "bot/core/hash.hpp"

namespace bot {

std::uint32_t Interner::number(std::string_view s) {
    const std::uint64_t h = StringHash{}(s);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
        Slot& slot = slots_[i];
        if (slot.number == 0) {
            strings_.emplace_back(s);
            slot = {h, static_cast<std::uint32_t>(strings_.size())};
            if (strings_.size() * 2 > slots_.size()) {
                grow();
            }
            return static_cast<std::uint32_t>(strings_.size() - 1);
        }
        if (slot.hash == h && strings_[slot.number - 1] == s) {
            return slot.number - 1;
        }
    }
}

void Interner::grow() {
    std::vector<Slot> bigger(slots_.size() * 2);
    const std::size_t mask = bigger.size() - 1;
    for (const Slot& slot : slots_) {
        if (slot.number == 0) {
            continue;
        }
        std::size_t i = slot.hash & mask;
        while (bigger[i].number != 0) {
            i = (i + 1) & mask;
        }
        bigger[i] = slot;
    }
    slots_ = std::move(bigger);
}

}  // namespace bot
