#include "tests/support/prometheus.hpp"

#include <cmath>
#include <optional>
#include <regex>
#include <sstream>

namespace bot::test {

double PrometheusText::value(const std::string& series) const {
    const auto it = samples.find(series);
    return it == samples.end() ? -1 : it->second;
}

namespace {

/// A sample's value: a number, +Inf, -Inf or NaN; nullopt when it is none of them.
std::optional<double> sample_value(const std::string& raw) {
    if (raw == "+Inf") {
        return INFINITY;
    }
    if (raw == "-Inf") {
        return -INFINITY;
    }
    if (raw == "NaN") {
        return NAN;
    }
    std::size_t used = 0;
    double v = 0;
    try {
        v = std::stod(raw, &used);
    } catch (...) {
        used = 0;
    }
    return used == raw.size() ? std::optional<double>(v) : std::nullopt;
}

}  // namespace

PrometheusText parse_prometheus(const std::string& text) {
    PrometheusText out;
    static const std::regex help(R"re(^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .*$)re");
    static const std::regex type(
        R"re(^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$)re");
    static const std::regex sample(
        R"re(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*",?)*)\})? ([^ ]+)$)re");
    static const std::regex le_re(R"re((^|,)le="([^"]*)",?)re");
    std::map<std::string, std::string> types;
    // histogram family + labels without le → (last bucket value, +Inf value)
    std::map<std::string, double> last_bucket;
    std::map<std::string, double> inf_bucket;
    std::istringstream in(text);
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
        ++n;
        std::smatch m;
        const std::string where = "line " + std::to_string(n) + ": ";
        if (line.empty()) {
            continue;
        }
        if (std::regex_match(line, m, type)) {
            if (!types.emplace(m[1], m[2]).second) {
                out.errors.push_back(where + "second TYPE for " + m[1].str());
            }
            continue;
        }
        if (std::regex_match(line, m, help)) {
            continue;
        }
        if (line[0] == '#') {
            out.errors.push_back(where + "unknown comment form");
            continue;
        }
        if (!std::regex_match(line, m, sample)) {
            out.errors.push_back(where + "not a valid sample: " + line);
            continue;
        }
        const std::string name = m[1];
        const std::string labels = m[3];
        const std::string raw = m[4];
        const auto parsed = sample_value(raw);
        if (!parsed) {
            out.errors.push_back(where + "bad value " + raw);
            continue;
        }
        const double v = *parsed;
        std::string family = name;
        for (const char* suffix : {"_bucket", "_sum", "_count"}) {
            const std::string s(suffix);
            if (family.size() > s.size() && family.compare(family.size() - s.size(), s.size(), s) == 0 &&
                types.count(family.substr(0, family.size() - s.size())) != 0) {
                family = family.substr(0, family.size() - s.size());
                break;
            }
        }
        if (types.count(family) == 0) {
            out.errors.push_back(where + "sample before TYPE of " + family);
            continue;
        }
        const std::string series = name + (m[2].matched ? "{" + labels + "}" : "");
        if (!out.samples.emplace(series, v).second) {
            out.errors.push_back(where + "duplicate series " + series);
        }
        if (types[family] == "histogram" && name == family + "_bucket") {
            std::smatch le;
            if (!std::regex_search(labels, le, le_re)) {
                out.errors.push_back(where + "bucket without le");
                continue;
            }
            std::string rest = std::regex_replace(labels, le_re, "$1");
            const std::string key = family + "{" + rest + "}";
            if (last_bucket.count(key) != 0 && v < last_bucket[key]) {
                out.errors.push_back(where + "buckets not cumulative");
            }
            last_bucket[key] = v;
            if (le[2] == "+Inf") {
                inf_bucket[key] = v;
            }
        }
        if (types[family] == "histogram" && name == family + "_count") {
            std::string key = family + "{" + labels + (labels.empty() ? "" : ",") + "}";
            if (inf_bucket.count(key) == 0 || inf_bucket[key] != v) {
                out.errors.push_back(where + "_count differs from the +Inf bucket or +Inf missing");
            }
        }
    }
    return out;
}

}  // namespace bot::test
