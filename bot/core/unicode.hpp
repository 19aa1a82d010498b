#pragma once

#include <cstddef>
#include <string>
#include <string_view>

/// What people type, made safe to process, store and repeat (utf8proc, a Debian library, for the
/// Unicode tables: NFC and character categories).
namespace bot::unicode {

/// `text` as Liaison keeps it: bytes that are not UTF-8 become U+FFFD; "\r\n" and a lone "\r"
/// become "\n"; C0 and C1 controls other than "\n" and "\t" are removed, NUL included; invisible
/// format characters are removed — zero-width spaces and joiners (a joiner is kept inside an emoji
/// sequence), bidirectional embeddings, overrides and isolates, the soft hyphen, BOMs; Unicode
/// noncharacters are removed (Liaison's own placeholders use them, so typed text can never
/// contain one); the result is in NFC. Idempotent. Plain ASCII text is returned as it is.
std::string clean(std::string_view text);

/// The largest prefix length ≤ `max` of `s` that does not cut a UTF-8 sequence.
inline std::size_t utf8_floor(std::string_view s, std::size_t max) {
    if (max >= s.size()) {
        return s.size();
    }
    std::size_t n = max;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) {
        --n;
    }
    return n;
}

/// Whether clean() would leave `text` unchanged.
bool is_clean(std::string_view text);

/// Whether `text` is well-formed UTF-8 (what the JSON library demands of every string it writes).
bool valid(std::string_view text);

/// Whether a code point is a letter or a digit (Unicode categories L* and N*): what remains of a
/// text once punctuation, symbols and spaces are folded away (新's comparison, search's words).
bool letter_or_digit(char32_t c);

/// Code points in valid UTF-8 text (what a person counts as characters, closely enough for limits).
std::size_t length(std::string_view text);

}  // namespace bot::unicode
