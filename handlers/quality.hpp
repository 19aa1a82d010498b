#pragma once

#include "bot/core/clock.hpp"
#include "templates/model.hpp"

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/// 快 · 实 · 新: a deterministic, explainable assessment of a report at preview (docs/quality.md).
/// Pure: the earlier reports it is compared with come in (Reads::similar), found by the store
/// through the signature's LSH band keys.
namespace bot::handlers::quality {

// ---- Near-duplicate detection: normalised text → character bigrams → MinHash → LSH bands.

inline constexpr std::size_t kHashes = 64;  ///< MinHash values per signature
inline constexpr std::size_t kBands = 12;   ///< LSH bands (of kRows values each) looked up
/// The earlier reports compared with a draft: those sharing the most bands with it. A reworded copy
/// shares most of its bands, so it ranks among the first few (scale_bench: 100 of 100 found).
inline constexpr std::size_t kCandidates = 32;
inline constexpr std::size_t kRows = 4;

struct Signature {
    std::uint64_t exact = 0;  ///< hash of the normalised text: equal means the same words
    std::array<std::uint32_t, kHashes> mins{};
    bool empty() const noexcept { return exact == 0; }
};

/// The text a report is compared by: its text and long-text answers, in the template's order.
std::string comparable_text(const templates::Template& t, const std::map<std::string, std::string>& fields);

/// Case, width (full-width → ASCII, NFKC) and punctuation/whitespace folded away: the letters and
/// digits that remain, as code points.
std::u32string normalize(std::string_view text);

/// The signature of `text` (empty when it has fewer than two letters or digits).
Signature sign(std::string_view text);

/// The LSH band keys of a signature: kBands 64-bit keys, the band's index mixed in.
std::vector<std::int64_t> band_keys(const Signature& s);

/// Estimated Jaccard similarity of the two texts' bigram sets, in [0, 1].
double similarity(const Signature& a, const Signature& b);

/// A signature as stored (kHashes little-endian 32-bit values), and back.
std::string to_blob(const Signature& s);
std::optional<Signature> from_blob(std::uint64_t exact, std::string_view blob);

// ---- The assessment.

/// An earlier report found through the bands.
struct Candidate {
    std::string number;
    std::string title;
    std::string unit_id;
    Signature signature;
};

/// The three marks, each 0–100, and what they were made of.
struct Marks {
    int fast = -1;    ///< 快; -1 when not checked (no timely_days or no date)
    int solid = 0;    ///< 实
    int fresh = 100;  ///< 新: 100 minus the highest similarity in percent
    int days = -1;    ///< days between the event and now; -1 unknown
    bool figures = false;
    int empty_phrases = 0;  ///< 套话 in sentences without a figure
    int thin_fields = 0;    ///< long answers shorter than min_chars
    std::string nearest{};  ///< the most similar earlier report's number
    int nearest_percent = 0;

    bool operator==(const Marks&) const = default;
};

/// A hint: a catalogue key and its arguments, in the order they matter.
struct Hint {
    std::string key;
    std::map<std::string, std::string> args;
};

/// One unit's marks summed over a window (to average; 排名).
struct UnitMarks {
    int reports = 0;
    long solid_sum = 0;
    long fresh_sum = 0;
    int with_figures = 0;
};

struct Assessment {
    Marks marks;
    std::vector<Hint> hints;  ///< at most three
    /// An earlier report with the same words (after normalisation): the report is refused.
    std::optional<Candidate> exact_copy;
    std::optional<Candidate> nearest;  ///< above the threshold: shown, not refused
};

struct Settings {
    std::vector<std::string> empty_phrases{};  ///< 套话 (seeds/phrases-cn.jsonc)
    double near_threshold = 0.6;               ///< similarity from which an earlier report is shown
};

/// Assesses a report of `t` with `fields` at `now` (in the template's zone) against `candidates`
/// (reports other than the one being revised).
Assessment assess(const templates::Template& t,
                  const std::map<std::string, std::string>& fields,
                  TimePoint now,
                  const std::vector<Candidate>& candidates,
                  const Settings& settings,
                  std::string_view locale);

/// Marks as stored with the report (JSON), and back (default marks when not one).
std::string to_json(const Marks& m);
Marks marks_from_json(std::string_view json);

/// The 套话 list: a JSONC file {"phrases": ["高度重视", …]} (seeds/phrases-cn.jsonc); errors as
/// "file: path: reason".
struct Phrases {
    std::vector<std::string> phrases;
    std::vector<std::string> errors;
};
Phrases load_phrases_text(std::string_view text, const std::string& file);

/// Whether `text` holds a figure: a number (Arabic or Chinese) next to a unit or a percent sign.
bool has_figure(std::string_view text);

}  // namespace bot::handlers::quality
