#pragma once

#include <functional>
#include <map>
#include <string>

namespace bot::test {

/// The shipped templates and the seeds, by their path in the repository ("templates/data/…",
/// "seeds/…"), compiled into the domain's tests.
const std::map<std::string, std::string, std::less<>>& embedded_files();

}  // namespace bot::test
