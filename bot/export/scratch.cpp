#include "bot/export/scratch.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <unistd.h>

namespace bot::exporting {

std::string scratch_file(std::string_view prefix) {
    std::string name = (std::filesystem::temp_directory_path() / (std::string(prefix) + "XXXXXX")).string();
    const int fd = ::mkstemp(name.data());
    if (fd < 0) {
        return {};
    }
    ::close(fd);
    return name;
}

std::optional<std::string> take_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::string bytes{std::istreambuf_iterator<char>(in), {}};
    std::remove(path.c_str());
    if (bytes.empty()) {
        return std::nullopt;
    }
    return bytes;
}

}  // namespace bot::exporting
