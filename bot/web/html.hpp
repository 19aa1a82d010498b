#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

/// HTML by construction (docs/web.md): a page is a tree of elements and text; rendering escapes
/// every text and every attribute value, and tag and attribute names can only be string literals
/// (consteval), so nothing a person typed can become markup. There is no way to insert raw HTML.
namespace bot::web::html {

/// A tag or attribute name: a string literal, checked when the program is compiled.
class Name {
public:
    template <std::size_t N>
    consteval Name(const char (&s)[N]) : value_(s, N - 1) {  // NOLINT: implicit from a literal on purpose
        for (std::size_t i = 0; i + 1 < N; ++i) {
            const char c = s[i];
            const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
            if (!ok) {
                throw "an HTML name is lower-case letters, digits and '-'";  // a compile error
            }
        }
    }
    std::string_view view() const noexcept { return value_; }

private:
    std::string_view value_;
};

struct Attr {
    Name name;
    std::string value;  ///< escaped when rendered
};

class Node {
public:
    /// Text, escaped when rendered.
    static Node text(std::string s);
    /// An element with attributes and children. Void elements (input, meta, link, br) take none.
    static Node element(Name tag, std::vector<Attr> attrs, std::vector<Node> children);

    /// Appends the HTML of this node to `out`.
    void render(std::string& out) const;

private:
    Node() = default;
    bool is_text_ = true;
    std::string text_;
    std::string_view tag_;
    std::vector<Attr> attrs_;
    std::vector<Node> children_;
};

/// Shorthands: el("p", {{"class", "x"}}, {text("…")}).
inline Node text(std::string s) {
    return Node::text(std::move(s));
}
inline Node el(Name tag, std::vector<Attr> attrs = {}, std::vector<Node> children = {}) {
    return Node::element(tag, std::move(attrs), std::move(children));
}
inline Node el(Name tag, std::vector<Attr> attrs, std::string s) {
    std::vector<Node> children;
    children.push_back(text(std::move(s)));
    return Node::element(tag, std::move(attrs), std::move(children));
}

/// `&`, `<`, `>`, `"` and `'` as character references.
std::string escape(std::string_view s);

/// A whole document: doctype, `lang`, the viewport for phones, the title, the stylesheet (served
/// by the binary), `body`.
std::string document(std::string_view lang, std::string title, std::string_view stylesheet, Node body);

}  // namespace bot::web::html
