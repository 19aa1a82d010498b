#include "bot/core/json_reader.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>

namespace bot::json_check {
namespace {

using json = nlohmann::json;

/// Byte offset → "line L, column C" (1-based; columns count bytes).
std::string position(std::string_view text, std::size_t offset) {
    std::size_t line = 1;
    std::size_t col = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            col = 1;
        } else {
            ++col;
        }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(col);
}

/// Runs `parse` (which returns the document or throws nlohmann's exceptions) and turns a failure
/// into one problem at `$`; problems added during the failed parse are dropped.
template <class Parse>
std::optional<json> guarded(std::string_view text, std::vector<Problem>& problems, Parse&& parse) {
    const std::size_t before = problems.size();
    try {
        return parse();
    } catch (const json::parse_error& e) {
        problems.resize(before);
        // nlohmann's text is "[json.exception.parse_error.101] parse error at line 3, column 5: ...";
        // keep the reason after the first ": " and compute the position from the byte offset.
        const std::string what = e.what();
        const auto colon = what.find(": ");
        const std::string reason = colon == std::string::npos ? what : what.substr(colon + 2);
        problems.push_back(
            {"$", "not valid JSON at " + position(text, e.byte == 0 ? 0 : e.byte - 1) + ": " + reason});
        return std::nullopt;
    } catch (const json::exception& e) {
        problems.resize(before);
        // Not a syntax error but a value the parser cannot hold, e.g. a number beyond a double
        // ("1E400": out_of_range.406, found by fuzz_loaders); it used to end the process.
        const std::string what = e.what();
        const auto bracket = what.find("] ");
        problems.push_back(
            {"$", "not valid JSON: " + (bracket == std::string::npos ? what : what.substr(bracket + 2))});
        return std::nullopt;
    }
}

/// nlohmann SAX events building the document as json::parse does, except that each element of the
/// top-level array `key` goes to the sink once complete and is dropped. (nlohmann's parser callback
/// does the same but looks through the whole parent array after every object it ends: quadratic
/// for a roster's 100,000 units.)
class StreamingBuilder {
public:
    StreamingBuilder(std::string_view key, const ElementSink& sink) : key_(key), sink_(sink) {}

    json take() { return std::move(root_); }

    bool null() { return value(nullptr); }
    bool boolean(bool b) { return value(b); }
    bool number_integer(json::number_integer_t n) { return value(n); }
    bool number_unsigned(json::number_unsigned_t n) { return value(n); }
    bool number_float(json::number_float_t n, const json::string_t& /*text*/) { return value(n); }
    bool string(json::string_t& s) { return value(std::move(s)); }
    bool binary(json::binary_t& b) { return value(json::binary(std::move(b))); }

    bool start_object(std::size_t /*elements*/) {
        stack_.push_back(place(json::object()));
        return true;
    }
    bool key(json::string_t& k) {
        if (stack_.size() == 1) {
            member_ = k;
        }
        member_slot_ = &(*stack_.back())[k];  // a repeated key: the later value wins, as in json::parse
        return true;
    }
    bool end_object() { return end(); }
    bool start_array(std::size_t /*elements*/) {
        json* array = place(json::array());
        if (stack_.size() == 1 && member_ == key_) {
            streamed_ = array;
            index_ = 0;
        }
        stack_.push_back(array);
        return true;
    }
    bool end_array() {
        if (stack_.back() == streamed_) {
            streamed_ = nullptr;
        }
        return end();
    }

    template <class Exception>
    bool parse_error(std::size_t /*position*/, const std::string& /*token*/, const Exception& e) {
        throw e;
    }

private:
    json* place(json v) {
        if (stack_.empty()) {
            root_ = std::move(v);
            return &root_;
        }
        json& parent = *stack_.back();
        if (parent.is_array()) {
            parent.push_back(std::move(v));
            return &parent.back();
        }
        *member_slot_ = std::move(v);
        return member_slot_;
    }
    bool value(json v) {
        place(std::move(v));
        complete();
        return true;
    }
    bool end() {
        stack_.pop_back();
        complete();
        return true;
    }
    /// After a value is placed or a container closed: an element of the streamed array is done.
    void complete() {
        if (streamed_ != nullptr && !stack_.empty() && stack_.back() == streamed_) {
            sink_(index_++, streamed_->back());
            streamed_->get_ref<json::array_t&>().pop_back();
        }
    }

    std::string_view key_;
    const ElementSink& sink_;
    json root_;
    std::vector<json*> stack_;
    json* member_slot_ = nullptr;
    std::string member_;  // the root's member being read
    json* streamed_ = nullptr;
    std::size_t index_ = 0;
};

}  // namespace

bool is_identifier(std::string_view s) {
    if (s.empty() || std::isdigit(static_cast<unsigned char>(s.front())) != 0) {
        return false;
    }
    return std::all_of(s.begin(), s.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
    });
}

std::optional<json> parse_with_comments(std::string_view text, std::vector<Problem>& problems) {
    return guarded(text, problems, [&] {
        return json::parse(text.begin(), text.end(), nullptr, true, /*ignore_comments=*/true);
    });
}

std::optional<json> parse_streaming(std::string_view text,
                                    std::string_view key,
                                    const ElementSink& sink,
                                    std::vector<Problem>& problems) {
    return guarded(text, problems, [&] {
        StreamingBuilder builder(key, sink);
        json::sax_parse(text.begin(),
                        text.end(),
                        &builder,
                        json::input_format_t::json,
                        true,
                        /*ignore_comments=*/true);
        return builder.take();
    });
}

const char* type_name(const json& j) {
    switch (j.type()) {
        case json::value_t::null:
            return "null";
        case json::value_t::boolean:
            return "boolean";
        case json::value_t::string:
            return "string";
        case json::value_t::number_integer:
        case json::value_t::number_unsigned:
            return "integer";
        case json::value_t::number_float:
            return "number";
        case json::value_t::object:
            return "object";
        case json::value_t::array:
            return "array";
        default:
            return "value";
    }
}

Reader::Reader(const json& j, std::string path, std::vector<Problem>& problems)
    : j_(j), path_(std::move(path)), problems_(problems) {}

bool Reader::object(std::initializer_list<std::string_view> allowed) {
    return object(std::vector<std::string_view>(allowed));
}

bool Reader::object(const std::vector<std::string_view>& allowed) {
    if (!j_.is_object()) {
        problem(path_, std::string("expected an object, got ") + type_name(j_));
        return false;
    }
    for (const auto& [key, value] : j_.items()) {
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
            problem(child_path(key), "unknown key");
        }
    }
    return true;
}

bool Reader::array() {
    if (!j_.is_array()) {
        problem(path_, std::string("expected an array, got ") + type_name(j_));
        return false;
    }
    return true;
}

const json* Reader::get(std::string_view key, bool required) {
    const auto it = j_.is_object() ? j_.find(key) : j_.end();
    if (!j_.is_object() || it == j_.end()) {
        if (required) {
            problem(child_path(key), "required key is missing");
        }
        return nullptr;
    }
    return &*it;
}

bool Reader::has(std::string_view key) const {
    return j_.is_object() && j_.contains(key);
}

bool Reader::string(std::string_view key, std::string& out, bool required) {
    const json* v = get(key, required);
    if (v == nullptr) {
        return false;
    }
    if (!v->is_string()) {
        problem(child_path(key), std::string("expected a string, got ") + type_name(*v));
        return false;
    }
    out = v->get<std::string>();
    return true;
}

bool Reader::boolean(std::string_view key, bool& out, bool required) {
    const json* v = get(key, required);
    if (v == nullptr) {
        return false;
    }
    if (!v->is_boolean()) {
        problem(child_path(key), std::string("expected true or false, got ") + type_name(*v));
        return false;
    }
    out = v->get<bool>();
    return true;
}

bool Reader::number(std::string_view key, double& out, double min, double max, bool required) {
    const json* v = get(key, required);
    if (v == nullptr) {
        return false;
    }
    if (!v->is_number()) {
        problem(child_path(key), std::string("expected a number, got ") + type_name(*v));
        return false;
    }
    const double d = v->get<double>();
    if (!(d >= min && d <= max)) {
        problem(child_path(key), "must be between " + json(min).dump() + " and " + json(max).dump());
        return false;
    }
    out = d;
    return true;
}

bool Reader::integer64(
    std::string_view key, std::int64_t& out, std::int64_t min, std::int64_t max, bool required) {
    const json* v = get(key, required);
    if (v == nullptr) {
        return false;
    }
    if (!v->is_number_integer()) {
        problem(child_path(key), std::string("expected an integer, got ") + type_name(*v));
        return false;
    }
    // Unsigned values above int64's range would wrap: treat them as too large.
    const std::int64_t n =
        v->is_number_unsigned() && v->get<std::uint64_t>() > static_cast<std::uint64_t>(max)
            ? max
            : v->get<std::int64_t>();
    const bool too_big = v->is_number_unsigned() && v->get<std::uint64_t>() > static_cast<std::uint64_t>(max);
    if (too_big || n < min || n > max) {
        problem(child_path(key), "must be between " + std::to_string(min) + " and " + std::to_string(max));
        return false;
    }
    out = n;
    return true;
}

bool Reader::string_list(std::string_view key, std::vector<std::string>& out, bool required) {
    const json* v = get(key, required);
    if (v == nullptr) {
        return false;
    }
    if (!v->is_array()) {
        problem(child_path(key), std::string("expected an array of strings, got ") + type_name(*v));
        return false;
    }
    out.clear();
    for (std::size_t i = 0; i < v->size(); ++i) {
        const auto& e = (*v)[i];
        if (!e.is_string() || e.get_ref<const std::string&>().empty()) {
            problem(child_path(key) + "[" + std::to_string(i) + "]", "expected a non-empty string");
        } else {
            out.push_back(e.get<std::string>());
        }
    }
    return true;
}

Reader Reader::child(std::string_view key) const {
    return {j_.at(std::string(key)), child_path(key), problems_};
}

Reader Reader::element(std::size_t index) const {
    return {j_.at(index), path_ + "[" + std::to_string(index) + "]", problems_};
}

std::string Reader::child_path(std::string_view key) const {
    if (is_identifier(key)) {
        return path_ + "." + std::string(key);
    }
    return path_ + "[" + json(std::string(key)).dump() + "]";
}

void Reader::problem(std::string path, std::string message) const {
    problems_.push_back({std::move(path), std::move(message)});
}

}  // namespace bot::json_check
