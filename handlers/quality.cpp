#include "handlers/quality.hpp"

#include "bot/core/json_reader.hpp"
#include "bot/core/unicode.hpp"
#include "templates/periods.hpp"
#include "templates/validate.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <date/date.h>
#include <utf8proc.h>

namespace bot::handlers::quality {
namespace {

constexpr std::uint64_t splitmix(std::uint64_t x) noexcept {
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

/// Multiply-shift hash functions h_k(x) = (a_k·x + b_k) >> 32, a_k odd: fixed, so signatures
/// stored years ago compare with today's.
struct Family {
    std::array<std::uint64_t, kHashes> a{};
    std::array<std::uint64_t, kHashes> b{};
    Family() {
        std::uint64_t s = 0x4C49414953304E31ULL;  // "LIAIS0N1"
        for (std::size_t k = 0; k < kHashes; ++k) {
            s = splitmix(s);
            a[k] = s | 1U;
            s = splitmix(s);
            b[k] = s;
        }
    }
};

const Family& family() {
    static const Family f;
    return f;
}

/// Decodes UTF-8 (invalid bytes skipped).
std::u32string code_points(std::string_view text) {
    std::u32string out;
    const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
    auto left = static_cast<utf8proc_ssize_t>(text.size());
    while (left > 0) {
        utf8proc_int32_t cp = 0;
        const auto n = utf8proc_iterate(p, left, &cp);
        if (n <= 0) {
            ++p;
            --left;
            continue;
        }
        out += static_cast<char32_t>(cp);
        p += n;
        left -= n;
    }
    return out;
}

bool is_digit(char32_t c) {
    return (c >= U'0' && c <= U'9') || (c >= U'０' && c <= U'９');
}

bool is_chinese_numeral(char32_t c) {
    return std::u32string_view(U"一二三四五六七八九十百千万两零〇").find(c) != std::u32string_view::npos;
}

/// What follows a number to make it a figure (counts, amounts, shares), not a date.
bool is_measure(char32_t c) {
    return std::u32string_view(
               U"个人次项万元户件名家所条场%％亿千吨天小时处套篇位台辆批期轮倍米里亩栋间岁斤座张份点")
               .find(c) != std::u32string_view::npos;
}

bool is_date_mark(char32_t c) {
    return c == U'年' || c == U'月' || c == U'日' || c == U'号';
}

/// Sentence ends: a figure or a 套话 belongs to its sentence.
bool ends_sentence(char32_t c) {
    return std::u32string_view(U"。！？；!?;\n").find(c) != std::u32string_view::npos;
}

/// A number followed (after at most one character such as 余 or 多) by a measure.
bool has_figure(const std::u32string& s) {
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (!is_digit(s[i]) && !is_chinese_numeral(s[i])) {
            continue;
        }
        std::size_t j = i;
        while (j < s.size() && (is_digit(s[j]) || is_chinese_numeral(s[j]) || s[j] == U'.' || s[j] == U',')) {
            ++j;
        }
        for (std::size_t k = j; k < s.size() && k <= j + 1; ++k) {
            if (is_measure(s[k])) {
                // Chinese numerals alone are words too (一些, 十分): only before a measure, and
                // never 一个 (one of something) by itself.
                const bool chinese_only = std::none_of(s.begin() + static_cast<std::ptrdiff_t>(i),
                                                       s.begin() + static_cast<std::ptrdiff_t>(j),
                                                       is_digit);
                if (!chinese_only || j - i >= 2 || s[i] != U'一') {
                    return true;
                }
            }
            if (is_date_mark(s[k])) {
                break;
            }
        }
        i = j;
    }
    return false;
}

bool has_date(const std::u32string& s) {
    for (std::size_t i = 0; i + 1 < s.size(); ++i) {
        if ((is_digit(s[i]) || is_chinese_numeral(s[i])) && is_date_mark(s[i + 1])) {
            return true;
        }
    }
    return false;
}

/// Names of places and organisations: the endings Chinese names of them have.
bool has_names(const std::u32string& s) {
    static const std::u32string_view endings[] = {U"社区",
                                                  U"街道",
                                                  U"村",
                                                  U"镇",
                                                  U"乡",
                                                  U"县",
                                                  U"区委",
                                                  U"局",
                                                  U"支部",
                                                  U"党委",
                                                  U"中心",
                                                  U"公司",
                                                  U"学校",
                                                  U"医院",
                                                  U"小区",
                                                  U"委员会",
                                                  U"办公室",
                                                  U"工委",
                                                  U"站"};
    return std::any_of(std::begin(endings), std::end(endings), [&](std::u32string_view e) {
        return s.find(e) != std::u32string::npos;
    });
}

std::string utf8(const std::u32string& s) {
    std::string out;
    for (const char32_t c : s) {
        utf8proc_uint8_t buf[4];
        const auto n = utf8proc_encode_char(static_cast<utf8proc_int32_t>(c), buf);
        out.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n));
    }
    return out;
}

/// Days from the ISO date `iso` to `today`; nullopt when `iso` is not one.
std::optional<int> days_since(std::string_view iso, const templates::LocalDate& today) {
    int y = 0;
    unsigned m = 0;
    unsigned d = 0;
    if (iso.size() != 10 || std::sscanf(std::string(iso).c_str(), "%d-%u-%u", &y, &m, &d) != 3) {
        return std::nullopt;
    }
    const date::year_month_day event{date::year{y}, date::month{m}, date::day{d}};
    const date::year_month_day now{date::year{today.year},
                                   date::month{static_cast<unsigned>(today.month)},
                                   date::day{static_cast<unsigned>(today.day)}};
    if (!event.ok() || !now.ok()) {
        return std::nullopt;
    }
    return static_cast<int>((date::sys_days(now) - date::sys_days(event)).count());
}

}  // namespace

std::string comparable_text(const templates::Template& t, const std::map<std::string, std::string>& fields) {
    std::string out;
    for (const auto& f : t.fields) {
        if (f.type != templates::FieldType::text && f.type != templates::FieldType::longtext) {
            continue;
        }
        if (const auto it = fields.find(f.id); it != fields.end()) {
            out += (out.empty() ? "" : "\n") + it->second;
        }
    }
    return out;
}

std::u32string normalize(std::string_view text) {
    utf8proc_uint8_t* mapped = nullptr;
    const auto n =
        utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                     static_cast<utf8proc_ssize_t>(text.size()),
                     &mapped,
                     static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE |
                                                    UTF8PROC_CASEFOLD | UTF8PROC_IGNORE));
    std::u32string all;
    if (n >= 0 && mapped != nullptr) {
        all =
            code_points(std::string_view(reinterpret_cast<const char*>(mapped), static_cast<std::size_t>(n)));
    } else {
        all = code_points(text);  // not UTF-8: what decodes
    }
    std::free(mapped);
    std::u32string out;
    out.reserve(all.size());
    for (const char32_t c : all) {
        if (unicode::letter_or_digit(c)) {
            out += c;
        }
    }
    return out;
}

Signature sign(std::string_view text) {
    const std::u32string s = normalize(text);
    Signature sig;
    if (s.size() < 2) {
        return sig;
    }
    std::uint64_t exact = 0x6A09E667F3BCC908ULL;
    for (const char32_t c : s) {
        exact = splitmix(exact ^ c);
    }
    sig.exact = exact == 0 ? 1 : exact;
    sig.mins.fill(UINT32_MAX);
    const Family& f = family();
    for (std::size_t i = 0; i + 1 < s.size(); ++i) {
        const std::uint64_t x = splitmix((static_cast<std::uint64_t>(s[i]) << 32) | s[i + 1]);
        for (std::size_t k = 0; k < kHashes; ++k) {
            const auto h = static_cast<std::uint32_t>((f.a[k] * x + f.b[k]) >> 32);
            sig.mins[k] = std::min(sig.mins[k], h);
        }
    }
    return sig;
}

std::vector<std::int64_t> band_keys(const Signature& s) {
    std::vector<std::int64_t> keys;
    if (s.empty()) {
        return keys;
    }
    for (std::size_t b = 0; b < kBands; ++b) {
        std::uint64_t k = splitmix(0xB5297A4D00000000ULL + b);
        for (std::size_t r = 0; r < kRows; ++r) {
            k = splitmix(k ^ s.mins[b * kRows + r]);
        }
        keys.push_back(static_cast<std::int64_t>(k));
    }
    return keys;
}

double similarity(const Signature& a, const Signature& b) {
    if (a.empty() || b.empty()) {
        return 0;
    }
    if (a.exact == b.exact) {
        return 1;
    }
    std::size_t same = 0;
    for (std::size_t k = 0; k < kHashes; ++k) {
        same += a.mins[k] == b.mins[k] ? 1U : 0U;
    }
    return static_cast<double>(same) / static_cast<double>(kHashes);
}

std::string to_blob(const Signature& s) {
    std::string out(kHashes * 4, '\0');
    for (std::size_t k = 0; k < kHashes; ++k) {
        for (std::size_t i = 0; i < 4; ++i) {
            out[k * 4 + i] = static_cast<char>((s.mins[k] >> (8 * i)) & 0xFF);
        }
    }
    return out;
}

std::optional<Signature> from_blob(std::uint64_t exact, std::string_view blob) {
    if (blob.size() != kHashes * 4 || exact == 0) {
        return std::nullopt;
    }
    Signature s;
    s.exact = exact;
    for (std::size_t k = 0; k < kHashes; ++k) {
        std::uint32_t v = 0;
        for (std::size_t i = 0; i < 4; ++i) {
            v |= static_cast<std::uint32_t>(static_cast<unsigned char>(blob[k * 4 + i])) << (8 * i);
        }
        s.mins[k] = v;
    }
    return s;
}

bool has_figure(std::string_view text) {
    return has_figure(code_points(text));
}

namespace {

using Fields = std::map<std::string, std::string>;

std::string answer_of(const Fields& fields, const std::string& id) {
    const auto it = fields.find(id);
    return it == fields.end() ? std::string() : it->second;
}

/// 快: days since the event (the template's date field, else its first date), against its expectation.
void mark_fast(const templates::Template& t, const Fields& fields, TimePoint now, Marks& m) {
    const auto& q = t.quality;
    std::string date_field = q.date_field;
    for (const auto& f : t.fields) {
        if (date_field.empty() && f.type == templates::FieldType::date) {
            date_field = f.id;
        }
    }
    if (!date_field.empty()) {
        if (const auto days =
                days_since(answer_of(fields, date_field), templates::local_date(now, t.time_zone))) {
            m.days = std::max(0, *days);
        }
    }
    if (q.timely_days > 0 && m.days >= 0) {
        const double over = static_cast<double>(m.days - q.timely_days) / (2.0 * q.timely_days);
        m.fast =
            m.days <= q.timely_days ? 100 : std::max(0, static_cast<int>(std::lround(100.0 * (1.0 - over))));
    }
}

/// What 实 found beyond the marks, for the hints: the first empty phrase and the first thin field.
struct SolidFindings {
    std::string first_phrase;
    std::string first_thin;
    std::size_t first_thin_chars = 0;
};

/// The empty phrases of `all` (sentences with a figure excepted), counted into `m`.
void count_empty_phrases(const std::u32string& all,
                         const Settings& settings,
                         Marks& m,
                         SolidFindings& found) {
    std::size_t start = 0;
    for (std::size_t i = 0; i <= all.size(); ++i) {
        if (i < all.size() && !ends_sentence(all[i])) {
            continue;
        }
        const std::u32string sentence = all.substr(start, i - start);
        start = i + 1;
        if (has_figure(sentence)) {
            continue;  // a phrase next to a figure says something
        }
        const std::string s8 = utf8(sentence);
        for (const auto& phrase : settings.empty_phrases) {
            for (auto at = s8.find(phrase); !phrase.empty() && at != std::string::npos;
                 at = s8.find(phrase, at + phrase.size())) {
                ++m.empty_phrases;
                if (found.first_phrase.empty()) {
                    found.first_phrase = phrase;
                }
            }
        }
    }
}

/// 实: figures, dates, names, substance, and no empty phrases.
SolidFindings mark_solid(const templates::Template& t,
                         const Fields& fields,
                         const Settings& settings,
                         std::string_view locale,
                         Marks& m) {
    const auto& q = t.quality;
    SolidFindings found;
    std::u32string all;
    std::u32string figures_text;
    int long_fields = 0;
    int substantial = 0;
    for (const auto& f : t.fields) {
        if (f.type != templates::FieldType::text && f.type != templates::FieldType::longtext) {
            continue;
        }
        const std::u32string v = code_points(answer_of(fields, f.id));
        all += v;
        all += U'\n';
        if (q.figures_field.empty() ? f.type == templates::FieldType::longtext : f.id == q.figures_field) {
            figures_text += v;
        }
        if (f.type == templates::FieldType::longtext && fields.count(f.id) > 0) {
            ++long_fields;
            const std::size_t chars = normalize(utf8(v)).size();
            if (static_cast<int>(chars) >= q.min_chars) {
                ++substantial;
            } else if (++m.thin_fields == 1) {
                found.first_thin = f.label.in(locale);
                found.first_thin_chars = chars;
            }
        }
    }
    m.figures = has_figure(figures_text);
    count_empty_phrases(all, settings, m, found);
    const double substance = long_fields == 0 ? 1.0 : static_cast<double>(substantial) / long_fields;
    m.solid = (m.figures ? 30 : 0) + (has_date(all) || m.days >= 0 ? 10 : 0) + (has_names(all) ? 15 : 0) +
              static_cast<int>(std::lround(30.0 * substance)) + std::max(0, 15 - 5 * m.empty_phrases);
    return found;
}

/// 新: the most similar earlier report; returns the similarity in percent.
int mark_fresh(const templates::Template& t,
               const Fields& fields,
               const std::vector<Candidate>& candidates,
               const Settings& settings,
               Assessment& out) {
    const Signature mine = sign(comparable_text(t, fields));
    double best = 0;
    for (const auto& c : candidates) {
        if (!mine.empty() && c.signature.exact == mine.exact) {
            out.exact_copy = c;
            best = 1;
            break;
        }
        const double s = similarity(mine, c.signature);
        if (s > best) {
            best = s;
            if (s >= settings.near_threshold) {
                out.nearest = c;
            }
        }
    }
    if (out.exact_copy) {
        out.nearest = out.exact_copy;
    }
    const int percent = static_cast<int>(std::lround(100.0 * best));
    out.marks.fresh = 100 - percent;
    if (out.nearest) {
        out.marks.nearest = out.nearest->number;
        out.marks.nearest_percent = percent;
    }
    return percent;
}

/// Hints, most useful first, at most three.
void add_hints(const templates::Template& t,
               const SolidFindings& found,
               int percent,
               std::string_view locale,
               Assessment& out) {
    const Marks& m = out.marks;
    const auto& q = t.quality;
    if (out.nearest && !out.exact_copy) {
        out.hints.push_back({"quality.similar",
                             {{"number", out.nearest->number},
                              {"title", out.nearest->title},
                              {"percent", std::to_string(percent)}}});
    }
    if (m.fast >= 0 && m.days > q.timely_days) {
        out.hints.push_back({"quality.late", {{"days", std::to_string(m.days)}}});
    }
    if (!m.figures) {
        const templates::Field* f = q.figures_field.empty() ? nullptr : t.field(q.figures_field);
        out.hints.push_back({f != nullptr ? "quality.no_figures_in" : "quality.no_figures",
                             {{"field", f != nullptr ? f->label.in(locale) : std::string()}}});
    }
    if (m.empty_phrases > 0) {
        out.hints.push_back({"quality.empty_phrases",
                             {{"phrase", found.first_phrase}, {"count", std::to_string(m.empty_phrases)}}});
    }
    if (!found.first_thin.empty()) {
        out.hints.push_back(
            {"quality.thin",
             {{"field", found.first_thin}, {"chars", std::to_string(found.first_thin_chars)}}});
    }
    if (out.hints.size() > 3) {
        out.hints.resize(3);
    }
}

}  // namespace

Assessment assess(const templates::Template& t,
                  const std::map<std::string, std::string>& fields,
                  TimePoint now,
                  const std::vector<Candidate>& candidates,
                  const Settings& settings,
                  std::string_view locale) {
    Assessment out;
    mark_fast(t, fields, now, out.marks);
    const SolidFindings found = mark_solid(t, fields, settings, locale, out.marks);
    const int percent = mark_fresh(t, fields, candidates, settings, out);
    add_hints(t, found, percent, locale, out);
    return out;
}

std::string to_json(const Marks& m) {
    return nlohmann::json{{"fast", m.fast},
                          {"solid", m.solid},
                          {"fresh", m.fresh},
                          {"days", m.days},
                          {"figures", m.figures},
                          {"empty_phrases", m.empty_phrases},
                          {"thin_fields", m.thin_fields},
                          {"nearest", m.nearest},
                          {"nearest_percent", m.nearest_percent}}
        .dump();
}

Marks marks_from_json(std::string_view json) {
    Marks m;
    const auto j = nlohmann::json::parse(json, nullptr, false);
    if (!j.is_object()) {
        return m;
    }
    const auto integer = [&](const char* key, int& out) {
        if (j.contains(key) && j[key].is_number_integer()) {
            out = j[key].get<int>();
        }
    };
    integer("fast", m.fast);
    integer("solid", m.solid);
    integer("fresh", m.fresh);
    integer("days", m.days);
    integer("empty_phrases", m.empty_phrases);
    integer("thin_fields", m.thin_fields);
    integer("nearest_percent", m.nearest_percent);
    if (j.contains("figures") && j["figures"].is_boolean()) {
        m.figures = j["figures"].get<bool>();
    }
    if (j.contains("nearest") && j["nearest"].is_string()) {
        m.nearest = j["nearest"].get<std::string>();
    }
    return m;
}

}  // namespace bot::handlers::quality

namespace bot::handlers::quality {

Phrases load_phrases_text(std::string_view text, const std::string& file) {
    Phrases out;
    std::vector<json_check::Problem> problems;
    if (const auto root = json_check::parse_with_comments(text, problems)) {
        json_check::Reader r(*root, "$", problems);
        if (r.object({"$comment", "phrases"})) {
            r.string_list("phrases", out.phrases, true);
        }
    }
    for (const auto& p : problems) {
        out.errors.push_back(file + ": " + p.path + ": " + p.message);
    }
    return out;
}

}  // namespace bot::handlers::quality
