#include "bot/web/html.hpp"

namespace bot::web::html {
namespace {

bool is_void(std::string_view tag) {
    return tag == "input" || tag == "meta" || tag == "link" || tag == "br" || tag == "hr" || tag == "img";
}

}  // namespace

Node Node::text(std::string s) {
    Node n;
    n.text_ = std::move(s);
    return n;
}

Node Node::element(Name tag, std::vector<Attr> attrs, std::vector<Node> children) {
    Node n;
    n.is_text_ = false;
    n.tag_ = tag.view();
    n.attrs_ = std::move(attrs);
    n.children_ = std::move(children);
    if (is_void(n.tag_)) {
        n.children_.clear();
    }
    return n;
}

void Node::render(std::string& out) const {
    if (is_text_) {
        out += escape(text_);
        return;
    }
    out += '<';
    out += tag_;
    for (const auto& a : attrs_) {
        out += ' ';
        out += a.name.view();
        out += "=\"";
        out += escape(a.value);
        out += '"';
    }
    out += '>';
    if (is_void(tag_)) {
        return;
    }
    for (const auto& c : children_) {
        c.render(out);
    }
    out += "</";
    out += tag_;
    out += '>';
}

std::string escape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (const char c : s) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string document(std::string_view lang, std::string title, std::string_view stylesheet, Node body) {
    std::string out = "<!DOCTYPE html>";
    std::vector<Node> head;
    head.push_back(el("meta", {{"charset", "utf-8"}}));
    head.push_back(el("meta", {{"name", "viewport"}, {"content", "width=device-width, initial-scale=1"}}));
    head.push_back(el("title", {}, std::move(title)));
    head.push_back(el("link", {{"rel", "stylesheet"}, {"href", std::string(stylesheet)}}));
    head.push_back(el("link", {{"rel", "icon"}, {"href", "data:,"}}));  // no request for a favicon
    std::vector<Node> html;
    html.push_back(el("head", {}, std::move(head)));
    html.push_back(std::move(body));
    el("html", {{"lang", std::string(lang)}}, std::move(html)).render(out);
    return out;
}

}  // namespace bot::web::html
