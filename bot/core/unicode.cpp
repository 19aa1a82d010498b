#include "bot/core/unicode.hpp"

#include <cstdlib>
#include <memory>
#include <utf8proc.h>

namespace bot::unicode {
namespace {

bool plain_ascii(std::string_view text) {
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (u >= 0x80 || (u < 0x20 && u != '\n' && u != '\t') || u == 0x7F) {
            return false;
        }
    }
    return true;
}

bool noncharacter(utf8proc_int32_t cp) {
    return (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
}

bool emoji_like(utf8proc_int32_t cp) {
    return cp >= 0x1F000 || utf8proc_category(cp) == UTF8PROC_CATEGORY_SO;
}

/// Whether the code point stays, given the one kept before it (for the joiner).
bool keep(utf8proc_int32_t cp, utf8proc_int32_t previous) {
    if (cp == '\n' || cp == '\t') {
        return true;
    }
    if (noncharacter(cp)) {
        return false;
    }
    switch (utf8proc_category(cp)) {
        case UTF8PROC_CATEGORY_CC:
            return false;
        case UTF8PROC_CATEGORY_CF:
            // U+200D ZERO WIDTH JOINER holds emoji sequences (👨‍👩‍👧) together; elsewhere it
            // only hides a difference. Every other format character goes: zero-width space and
            // non-joiner, LRM/RLM, embeddings, overrides, isolates, soft hyphen, BOM, tags.
            return cp == 0x200D && emoji_like(previous);
        default:
            return true;
    }
}

void append(std::string& out, utf8proc_int32_t cp) {
    utf8proc_uint8_t buf[4];
    const auto n = utf8proc_encode_char(cp, buf);
    out.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n));
}

/// Everything but NFC.
std::string filter(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
    utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(text.size());
    utf8proc_int32_t previous = 0;
    while (left > 0) {
        utf8proc_int32_t cp = 0;
        utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
        if (n < 1) {
            cp = 0xFFFD;  // not UTF-8: one replacement character per bad byte
            n = 1;
        }
        p += n;
        left -= n;
        if (cp == '\r') {
            if (left > 0 && *p == '\n') {
                continue;  // "\r\n": the "\n" follows
            }
            cp = '\n';
        }
        if (keep(cp, previous)) {
            append(out, cp);
            previous = cp;
        }
    }
    return out;
}

}  // namespace

std::string clean(std::string_view text) {
    if (plain_ascii(text)) {
        return std::string(text);
    }
    const std::string filtered = filter(text);
    utf8proc_uint8_t* composed = nullptr;
    const auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(filtered.data()),
                                static_cast<utf8proc_ssize_t>(filtered.size()),
                                &composed,
                                static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
    const std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owned(composed, &std::free);
    if (n < 0) {
        return filtered;  // cannot happen for valid UTF-8 without NUL; keep the filtered text
    }
    return std::string(reinterpret_cast<const char*>(composed), static_cast<std::size_t>(n));
}

bool is_clean(std::string_view text) {
    return clean(text) == text;
}

bool valid(std::string_view text) {
    const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
    utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(text.size());
    while (left > 0) {
        utf8proc_int32_t cp = 0;
        const utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
        if (n < 1) {
            return false;
        }
        p += n;
        left -= n;
    }
    return true;
}

bool letter_or_digit(char32_t c) {
    switch (utf8proc_category(static_cast<utf8proc_int32_t>(c))) {
        case UTF8PROC_CATEGORY_LU:
        case UTF8PROC_CATEGORY_LL:
        case UTF8PROC_CATEGORY_LT:
        case UTF8PROC_CATEGORY_LM:
        case UTF8PROC_CATEGORY_LO:
        case UTF8PROC_CATEGORY_ND:
        case UTF8PROC_CATEGORY_NL:
        case UTF8PROC_CATEGORY_NO:
            return true;
        default:
            return false;
    }
}

std::size_t length(std::string_view text) {
    std::size_t count = 0;
    for (const char c : text) {
        count += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    }
    return count;
}

}  // namespace bot::unicode
