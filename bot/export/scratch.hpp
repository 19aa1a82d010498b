#pragma once

#include <optional>
#include <string>
#include <string_view>

/// The libraries that write workbooks and documents (libxlsxwriter, libzip) write to a file: a
/// private temporary one, read back whole and removed.
namespace bot::exporting {

/// A new, empty temporary file named `<prefix>XXXXXX` (created, so no one else takes the name);
/// empty when none can be made.
std::string scratch_file(std::string_view prefix);

/// The bytes of `path`, which is removed; nullopt when it is empty or unreadable.
std::optional<std::string> take_file(const std::string& path);

}  // namespace bot::exporting
