#pragma once

#include "templates/model.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace bot::templates {

/// One problem in a template file: which file, where in it (JSON path), and why.
struct LoadError {
    std::string file;
    std::string path;
    std::string message;
    std::string to_string() const { return file + ": " + path + ": " + message; }
};

/// The loaded templates, in file-name order.
class TemplateSet {
public:
    TemplateSet() = default;
    explicit TemplateSet(std::vector<Template> all) : all_(std::move(all)) {}
    const std::vector<Template>& all() const { return all_; }
    const Template* find(std::string_view id) const;
    /// Templates an officer of `unit` may fill in `chat`.
    std::vector<const Template*> available(std::string_view chat, std::string_view unit) const;

private:
    std::vector<Template> all_;
};

struct LoadResult {
    TemplateSet set;                ///< only templates without errors
    std::vector<LoadError> errors;  ///< every problem of every file
};

/// Parses one template (JSON with comments).
LoadResult load_text(std::string_view text, const std::string& file);

/// Parses several templates, each (file name, text) in the order given; template ids must be unique
/// across them. Reading them from a directory is the application's (bot/loaders.hpp).
LoadResult load_texts(const std::vector<std::pair<std::string, std::string>>& files);

}  // namespace bot::templates
