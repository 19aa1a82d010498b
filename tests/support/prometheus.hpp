#pragma once

#include <map>
#include <string>
#include <vector>

namespace bot::test {

/// A strict reader of the Prometheus text exposition format (0.0.4), used to check /metrics:
/// metric and label names, label quoting, numeric values, a TYPE line before each family's samples,
/// no duplicate series, cumulative histogram buckets ending in +Inf equal to _count.
struct PrometheusText {
    std::map<std::string, double> samples;  ///< "name{labels}" as written → value
    std::vector<std::string> errors;
    /// The value of a series, or -1 when absent.
    double value(const std::string& series) const;
};

PrometheusText parse_prometheus(const std::string& text);

}  // namespace bot::test
