#include "bot/core/search.hpp"

#include "bot/core/unicode.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <utf8proc.h>
#include <vector>

namespace bot::search {
namespace {

constexpr std::size_t kMaxTerms = 8;
constexpr std::size_t kMaxTermChars = 64;

/// Case-, width- and compatibility-folded text (NFKC with case folding), invalid bytes dropped.
std::u32string folded(std::string_view text) {
    utf8proc_uint8_t* mapped = nullptr;
    const auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                                static_cast<utf8proc_ssize_t>(text.size()),
                                &mapped,
                                static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPAT |
                                                               UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD));
    std::u32string out;
    if (n >= 0 && mapped != nullptr) {
        const auto* p = mapped;
        auto left = n;
        while (left > 0) {
            utf8proc_int32_t cp = 0;
            const auto k = utf8proc_iterate(p, left, &cp);
            if (k <= 0) {
                break;
            }
            out += static_cast<char32_t>(cp);
            p += k;
            left -= k;
        }
    }
    std::free(mapped);
    return out;
}

/// A letter written without spaces between words: CJK ideographs, kana, hangul.
bool is_cjk(char32_t c) {
    return unicode::letter_or_digit(c) &&
           ((c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
            (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3FFFF));
}

void put(std::string& out, std::u32string_view chars) {
    for (const char32_t c : chars) {
        utf8proc_uint8_t buf[4];
        const auto n = utf8proc_encode_char(static_cast<utf8proc_int32_t>(c), buf);
        out.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n));
    }
}

/// A token of the index, and whether it is a lone CJK character (the end of a run).
struct Token {
    std::u32string chars;
    bool lone_cjk = false;
};

/// The tokens of folded text: a CJK run as its pairs, then its last character; another run of
/// letters and digits as itself.
std::vector<Token> tokens(const std::u32string& s) {
    std::vector<Token> out;
    std::size_t i = 0;
    while (i < s.size()) {
        if (is_cjk(s[i])) {
            std::size_t j = i;
            while (j < s.size() && is_cjk(s[j])) {
                ++j;
            }
            for (std::size_t k = i; k + 1 < j; ++k) {
                out.push_back({s.substr(k, 2), false});
            }
            out.push_back({s.substr(j - 1, 1), true});
            i = j;
        } else if (unicode::letter_or_digit(s[i])) {
            std::size_t j = i;
            while (j < s.size() && unicode::letter_or_digit(s[j]) && !is_cjk(s[j])) {
                ++j;
            }
            out.push_back({s.substr(i, j - i), false});
            i = j;
        } else {
            ++i;
        }
    }
    return out;
}

}  // namespace

std::string index_text(std::string_view text) {
    std::string out;
    for (const auto& t : tokens(folded(text))) {
        if (!out.empty()) {
            out += ' ';
        }
        put(out, t.chars);
    }
    return out;
}

std::string report_text(std::string_view title, std::string_view author, std::string_view fields_json) {
    std::string text(title);
    text += '\n';
    text += author;
    const auto add = [&text](const nlohmann::json& v) {
        if (!v.is_string()) {
            return;
        }
        const auto& s = v.get_ref<const std::string&>();
        if (s.starts_with("upload:") || s.starts_with("image:") || s.starts_with("file:")) {
            return;
        }
        text += '\n';
        text += s;
    };
    const auto fields = nlohmann::json::parse(fields_json, nullptr, false);
    if (fields.is_object()) {
        for (const auto& [key, value] : fields.items()) {
            if (value.is_array()) {
                for (const auto& v : value) {
                    add(v);
                }
            } else {
                add(value);
            }
        }
    }
    return index_text(text);
}

std::string match_expression(std::string_view typed) {
    // Folded first: a full-width space (U+3000) is a space, as any other.
    const std::u32string all = folded(typed);
    const auto space = [](char32_t c) {
        return c == U'\t' || c == U'\n' || c == U'\r' ||
               utf8proc_category(static_cast<utf8proc_int32_t>(c)) == UTF8PROC_CATEGORY_ZS;
    };
    std::string out;
    std::size_t terms = 0;
    std::size_t i = 0;
    while (i < all.size() && terms < kMaxTerms) {
        while (i < all.size() && space(all[i])) {
            ++i;
        }
        std::size_t j = i;
        while (j < all.size() && !space(all[j])) {
            ++j;
        }
        auto words = tokens(all.substr(i, std::min(j - i, kMaxTermChars)));
        i = j;
        // The phrase may end inside a run of the text: its last pair is enough, the run's last
        // character (a token of the index only where a run ends) is left off.
        if (words.size() >= 2 && words.back().lone_cjk && words[words.size() - 2].chars.size() == 2 &&
            is_cjk(words[words.size() - 2].chars[0])) {
            words.pop_back();
        }
        if (words.empty()) {
            continue;
        }
        // Tokens hold letters and digits only: nothing in them is FTS5 syntax. A lone CJK character
        // at the phrase's end is a prefix (it may begin a pair of the index).
        std::string phrase;
        for (const auto& w : words) {
            if (!phrase.empty()) {
                phrase += ' ';
            }
            put(phrase, w.chars);
        }
        if (!out.empty()) {
            out += " AND ";
        }
        out += '"' + phrase + '"';
        if (words.back().lone_cjk) {
            out += '*';
        }
        ++terms;
    }
    return out;
}

}  // namespace bot::search
