#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace bench {

/// Synthetic report texts (scale_bench's 新 figures, desk_bench's search): words of 2–4 random CJK
/// characters from a vocabulary of 3,000, drawn Zipf-distributed, a comma every eight.
class Texts {
public:
    explicit Texts(std::uint64_t seed) : rng_(seed) {
        std::uniform_int_distribution<int> len(2, 4);
        std::uniform_int_distribution<char32_t> cjk(0x4E00, 0x4E00 + 6000);
        std::vector<double> weights;
        for (int k = 0; k < 3000; ++k) {
            std::string w;
            for (int i = len(rng_); i > 0; --i) {
                const char32_t c = cjk(rng_);
                w += static_cast<char>(0xE0 | (c >> 12));
                w += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
                w += static_cast<char>(0x80 | (c & 0x3F));
            }
            words_.push_back(std::move(w));
            weights.push_back(1.0 / (k + 1));
        }
        pick_ = std::discrete_distribution<int>(weights.begin(), weights.end());
    }
    std::vector<int> draw(int n) {
        std::vector<int> out;
        for (int i = 0; i < n; ++i) {
            out.push_back(pick_(rng_));
        }
        return out;
    }
    /// Every `every`-th word replaced: a light rewording.
    std::vector<int> reword(std::vector<int> w, int every) {
        for (std::size_t i = 0; i < w.size(); i += static_cast<std::size_t>(every)) {
            w[i] = pick_(rng_);
        }
        return w;
    }
    /// The `k`-th word of the vocabulary (0: the most common).
    const std::string& word(int k) const { return words_[static_cast<std::size_t>(k)]; }
    std::string text(const std::vector<int>& w) const {
        std::string out;
        for (std::size_t i = 0; i < w.size(); ++i) {
            out += words_[static_cast<std::size_t>(w[i])];
            out += i % 8 == 7 ? "," : "";
        }
        return out;
    }

private:
    std::mt19937_64 rng_;
    std::vector<std::string> words_;
    std::discrete_distribution<int> pick_;
};

}  // namespace bench
