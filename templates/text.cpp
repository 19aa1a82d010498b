#include "templates/text.hpp"

#include <cstdint>

namespace bot::templates::text {
namespace {

/// Decodes one code point at `i`; returns its length, 0 when invalid.
std::size_t decode(std::string_view s, std::size_t i, std::uint32_t& cp) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    if (b0 < 0x80) {
        cp = b0;
        return 1;
    }
    if ((b0 & 0xE0) == 0xC0) {
        len = 2;
        cp = b0 & 0x1F;
    } else if ((b0 & 0xF0) == 0xE0) {
        len = 3;
        cp = b0 & 0x0F;
    } else if ((b0 & 0xF8) == 0xF0) {
        len = 4;
        cp = b0 & 0x07;
    } else {
        return 0;
    }
    if (i + len > s.size()) {
        return 0;
    }
    for (std::size_t k = 1; k < len; ++k) {
        const auto b = static_cast<unsigned char>(s[i + k]);
        if ((b & 0xC0) != 0x80) {
            return 0;
        }
        cp = (cp << 6) | (b & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are invalid.
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
        return 0;
    }
    return len;
}

void encode(std::uint32_t cp, std::string& out) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

bool is_space(std::string_view s, std::size_t i, std::size_t& len) {
    const char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') {
        len = 1;
        return true;
    }
    if (s.substr(i, 3) == "\xE3\x80\x80") {  // U+3000
        len = 3;
        return true;
    }
    return false;
}

}  // namespace

std::optional<std::size_t> char_count(std::string_view s) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < s.size();) {
        std::uint32_t cp = 0;
        const std::size_t len = decode(s, i, cp);
        if (len == 0) {
            return std::nullopt;
        }
        i += len;
        ++n;
    }
    return n;
}

std::string fold_width(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        std::uint32_t cp = 0;
        std::size_t len = decode(s, i, cp);
        if (len == 0) {
            out += s[i];  // keep invalid bytes as they are; validation reports them
            ++i;
            continue;
        }
        if (cp >= 0xFF01 && cp <= 0xFF5E) {
            cp -= 0xFEE0;
        } else if (cp == 0x3000) {
            cp = ' ';
        }
        encode(cp, out);
        i += len;
    }
    return out;
}

std::string trim(std::string_view s) {
    std::size_t begin = 0;
    std::size_t len = 0;
    while (begin < s.size() && is_space(s, begin, len)) {
        begin += len;
    }
    std::size_t end = s.size();
    for (;;) {
        if (end > begin && is_space(s, end - 1, len) && len == 1) {
            --end;
        } else if (end >= begin + 3 && s.substr(end - 3, 3) == "\xE3\x80\x80") {
            end -= 3;
        } else {
            break;
        }
    }
    return std::string(s.substr(begin, end - begin));
}

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return out;
}

std::string normalize(std::string_view s) {
    return lower_ascii(trim(fold_width(s)));
}

std::string truncate(std::string_view s, std::size_t max_chars) {
    std::size_t i = 0;
    std::size_t n = 0;
    while (i < s.size() && n < max_chars) {
        std::uint32_t cp = 0;
        const std::size_t len = decode(s, i, cp);
        i += len == 0 ? 1 : len;
        ++n;
    }
    if (i >= s.size()) {
        return std::string(s);
    }
    return std::string(s.substr(0, i)) + "…";
}

/// "HH:MM" → minutes after midnight.
std::optional<std::chrono::minutes> parse_time(std::string_view s) {
    if (s.size() != 5 || s[2] != ':' || !std::isdigit(static_cast<unsigned char>(s[0])) ||
        !std::isdigit(static_cast<unsigned char>(s[1])) || !std::isdigit(static_cast<unsigned char>(s[3])) ||
        !std::isdigit(static_cast<unsigned char>(s[4]))) {
        return std::nullopt;
    }
    const int h = (s[0] - '0') * 10 + (s[1] - '0');
    const int m = (s[3] - '0') * 10 + (s[4] - '0');
    if (h > 23 || m > 59) {
        return std::nullopt;
    }
    return std::chrono::minutes(h * 60 + m);
}

}  // namespace bot::templates::text
