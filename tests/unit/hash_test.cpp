// bot/core/hash.hpp: the interner that numbers the digest's units.
#include "bot/core/hash.hpp"

#include <gtest/gtest.h>

#include <string>

namespace bot {
namespace {

TEST(Interner, NumbersEachStringOnceInTheOrderFirstSeen) {
    Interner in;
    EXPECT_EQ(in.number("u1"), 0U);
    EXPECT_EQ(in.number("u2"), 1U);
    EXPECT_EQ(in.number("u1"), 0U);
    EXPECT_EQ(in.number(""), 2U);
    EXPECT_EQ(in.number(std::string("第一网格党支部，名字长过短串优化的十五个字节")), 3U);
    EXPECT_EQ(in.number("第一网格党支部，名字长过短串优化的十五个字节"), 3U);
    // Far past the first table (1,024 slots, grown at half full): every number stays its string's.
    for (int i = 0; i < 100'000; ++i) {
        ASSERT_EQ(in.number("x" + std::to_string(i)), static_cast<std::uint32_t>(4 + i));
    }
    for (int i = 0; i < 100'000; i += 997) {
        ASSERT_EQ(in.number("x" + std::to_string(i)), static_cast<std::uint32_t>(4 + i));
    }
    ASSERT_EQ(in.strings().size(), 100'004U);
    EXPECT_EQ(in.strings()[1], "u2");
    EXPECT_EQ(in.strings()[4 + 4242], "x4242");
}

}  // namespace
}  // namespace bot
