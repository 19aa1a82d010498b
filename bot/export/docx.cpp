#include "bot/export/docx.hpp"

#include "bot/export/scratch.hpp"

#include <initializer_list>
#include <pugixml.hpp>
#include <sstream>
#include <utility>
#include <zip.h>

namespace bot::exporting {
namespace {

using Attrs = std::initializer_list<std::pair<const char*, std::string>>;

constexpr const char* kMain = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
constexpr const char* kRel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

// GB/T 9704-2012 in Word's units (twentieths of a point; 1 mm = 56.7): A4, the margins around a
// 156 × 225 mm text block, 22 lines of it (a line pitch of 225 mm / 22 ≈ 29 pt).
constexpr int kPageWidth = 11906;
constexpr int kPageHeight = 16838;
constexpr int kTop = 2098;
constexpr int kBottom = 1984;
constexpr int kLeft = 1588;
constexpr int kRight = 1474;
constexpr int kTextWidth = kPageWidth - kLeft - kRight;  // 156 mm
constexpr int kLinePitch = 579;
constexpr int kFooter = 1247;  // the page number about 7 mm below the text block

/// The fonts the standard names, and what a machine without one uses instead.
struct Font {
    const char* name;
    const char* alt;
};
constexpr Font kFangSong{"仿宋_GB2312", "仿宋"};
constexpr Font kXiaoBiaoSong{"方正小标宋简体", "宋体"};
constexpr Font kHei{"黑体", "SimHei"};
constexpr Font kKai{"楷体_GB2312", "楷体"};
constexpr Font kSong{"宋体", "SimSun"};

pugi::xml_node add(pugi::xml_node parent, const char* name, Attrs attrs = {}) {
    pugi::xml_node n = parent.append_child(name);
    for (const auto& [k, v] : attrs) {
        n.append_attribute(k).set_value(v.c_str());
    }
    return n;
}

/// A part's XML with its declaration, as Word writes it.
std::string text_of(const pugi::xml_document& doc) {
    std::ostringstream out;
    out << R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)";
    doc.save(out, "", pugi::format_raw | pugi::format_no_declaration, pugi::encoding_utf8);
    return out.str();
}

/// Run properties: `font` for Chinese (and Times New Roman for Latin), `half_points` size.
void run_props(
    pugi::xml_node rpr, const Font& font, int half_points, bool bold = false, const char* color = nullptr) {
    add(rpr,
        "w:rFonts",
        {{"w:ascii", "Times New Roman"}, {"w:hAnsi", "Times New Roman"}, {"w:eastAsia", font.name}});
    if (bold) {
        add(rpr, "w:b");
    }
    if (color != nullptr) {
        add(rpr, "w:color", {{"w:val", color}});
    }
    add(rpr, "w:sz", {{"w:val", std::to_string(half_points)}});
    add(rpr, "w:szCs", {{"w:val", std::to_string(half_points)}});
}

/// A paragraph style based on Normal.
void style(pugi::xml_node styles,
           const char* id,
           const char* name,
           const Font& font,
           int half_points,
           const char* jc,
           bool indent,
           const char* color = nullptr) {
    auto s = add(styles, "w:style", {{"w:type", "paragraph"}, {"w:styleId", id}});
    add(s, "w:name", {{"w:val", name}});
    add(s, "w:basedOn", {{"w:val", "Normal"}});
    auto ppr = add(s, "w:pPr");
    if (jc != nullptr) {
        add(ppr, "w:jc", {{"w:val", jc}});
    }
    if (!indent) {
        add(ppr, "w:ind", {{"w:firstLineChars", "0"}, {"w:firstLine", "0"}});
    }
    run_props(add(s, "w:rPr"), font, half_points, false, color);
}

std::string styles_part() {
    pugi::xml_document doc;
    auto styles = add(doc, "w:styles", {{"xmlns:w", kMain}});
    auto defaults = add(styles, "w:docDefaults");
    run_props(add(add(defaults, "w:rPrDefault"), "w:rPr"), kFangSong, 32);
    // The body: 3号 仿宋, each line exactly the grid's pitch, the first line indented two characters.
    auto normal =
        add(styles, "w:style", {{"w:type", "paragraph"}, {"w:default", "1"}, {"w:styleId", "Normal"}});
    add(normal, "w:name", {{"w:val", "Normal"}});
    auto ppr = add(normal, "w:pPr");
    add(ppr,
        "w:spacing",
        {{"w:before", "0"},
         {"w:after", "0"},
         {"w:line", std::to_string(kLinePitch)},
         {"w:lineRule", "exact"}});
    add(ppr, "w:ind", {{"w:firstLineChars", "200"}, {"w:firstLine", "640"}});
    add(ppr, "w:jc", {{"w:val", "both"}});
    run_props(add(normal, "w:rPr"), kFangSong, 32);
    style(styles, "BriefTitle", "Brief Title", kXiaoBiaoSong, 88, "center", false, "FF0000");
    style(styles, "BriefNumber", "Brief Number", kFangSong, 32, "center", false);
    style(styles, "BriefMasthead", "Brief Masthead", kFangSong, 32, nullptr, false);
    style(styles, "Heading1", "heading 1", kHei, 32, "center", false);
    style(styles, "BriefByline", "Brief Byline", kKai, 32, "center", false);
    style(styles, "BriefDistribution", "Brief Distribution", kFangSong, 28, nullptr, false);
    return text_of(doc);
}

std::string font_table_part() {
    pugi::xml_document doc;
    auto fonts = add(doc, "w:fonts", {{"xmlns:w", kMain}});
    for (const Font& f : {kFangSong, kXiaoBiaoSong, kHei, kKai, kSong}) {
        auto font = add(fonts, "w:font", {{"w:name", f.name}});
        add(font, "w:altName", {{"w:val", f.alt}});
        add(font, "w:charset", {{"w:val", "86"}});  // GB2312
        add(font, "w:family", {{"w:val", "auto"}});
    }
    return text_of(doc);
}

/// "— 1 —": the page number between two dashes, 4号 宋体, centred.
std::string footer_part() {
    pugi::xml_document doc;
    auto ftr = add(doc, "w:ftr", {{"xmlns:w", kMain}});
    auto p = add(ftr, "w:p");
    auto ppr = add(p, "w:pPr");
    add(ppr, "w:jc", {{"w:val", "center"}});
    add(ppr, "w:ind", {{"w:firstLineChars", "0"}, {"w:firstLine", "0"}});
    const auto run = [&](pugi::xml_node parent, const char* text) {
        auto r = add(parent, "w:r");
        run_props(add(r, "w:rPr"), kSong, 28);
        auto t = add(r, "w:t", {{"xml:space", "preserve"}});
        t.text().set(text);
    };
    run(p, "— ");
    run(add(p, "w:fldSimple", {{"w:instr", " PAGE "}}), "1");
    run(p, " —");
    return text_of(doc);
}

/// A paragraph of `style_id` holding `text` (a tab where it has one).
pugi::xml_node paragraph(pugi::xml_node body, const char* style_id, const std::string& text) {
    auto p = add(body, "w:p");
    add(add(p, "w:pPr"), "w:pStyle", {{"w:val", style_id}});
    std::size_t from = 0;
    while (true) {
        const std::size_t tab = text.find('\t', from);
        auto r = add(p, "w:r");
        add(r, "w:t", {{"xml:space", "preserve"}}).text().set(text.substr(from, tab - from).c_str());
        if (tab == std::string::npos) {
            break;
        }
        add(r, "w:tab");
        from = tab + 1;
    }
    return p;
}

/// A rule under (or over) a paragraph: `side` "bottom" or "top", in `color`.
void rule(pugi::xml_node p, const char* side, const char* color, const char* eighths) {
    auto ppr = p.child("w:pPr");
    auto bdr = ppr.child("w:pBdr") ? ppr.child("w:pBdr") : add(ppr, "w:pBdr");
    add(bdr, side, {{"w:val", "single"}, {"w:sz", eighths}, {"w:space", "1"}, {"w:color", color}});
}

std::string document_part(const BriefLayout& b) {
    pugi::xml_document doc;
    auto document = add(doc, "w:document", {{"xmlns:w", kMain}, {"xmlns:r", kRel}});
    auto body = add(document, "w:body");
    // The masthead: the series in red, the issue, the compiling unit and the date over a red rule.
    paragraph(body, "BriefTitle", b.series);
    paragraph(body, "BriefNumber", b.number);
    auto masthead = paragraph(body, "BriefMasthead", b.compiler + "\t" + b.date);
    add(add(masthead.child("w:pPr"), "w:tabs"),
        "w:tab",
        {{"w:val", "right"}, {"w:pos", std::to_string(kTextWidth)}});
    rule(masthead, "w:bottom", "FF0000", "18");
    for (const auto& item : b.items) {
        paragraph(body, "Heading1", item.heading);
        if (!item.byline.empty()) {
            paragraph(body, "BriefByline", item.byline);
        }
        for (const auto& text : item.paragraphs) {
            paragraph(body, "Normal", text);
        }
    }
    // The distribution lines between two rules, at the end.
    for (std::size_t i = 0; i < b.distribution.size(); ++i) {
        auto p = paragraph(body, "BriefDistribution", b.distribution[i]);
        if (i == 0) {
            rule(p, "w:top", "000000", "8");
        }
        if (i + 1 == b.distribution.size()) {
            rule(p, "w:bottom", "000000", "8");
        }
    }
    auto sect = add(body, "w:sectPr");
    add(sect, "w:footerReference", {{"w:type", "default"}, {"r:id", "rIdFooter"}});
    add(sect, "w:pgSz", {{"w:w", std::to_string(kPageWidth)}, {"w:h", std::to_string(kPageHeight)}});
    add(sect,
        "w:pgMar",
        {{"w:top", std::to_string(kTop)},
         {"w:right", std::to_string(kRight)},
         {"w:bottom", std::to_string(kBottom)},
         {"w:left", std::to_string(kLeft)},
         {"w:header", "851"},
         {"w:footer", std::to_string(kFooter)},
         {"w:gutter", "0"}});
    add(sect, "w:docGrid", {{"w:type", "lines"}, {"w:linePitch", std::to_string(kLinePitch)}});
    return text_of(doc);
}

/// The package's parts, in the order they are zipped ([Content_Types].xml first).
std::vector<std::pair<std::string, std::string>> parts_of(const BriefLayout& b) {
    const std::string ct =
        R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
        R"(<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">)"
        R"(<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>)"
        R"(<Default Extension="xml" ContentType="application/xml"/>)"
        R"(<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>)"
        R"(<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>)"
        R"(<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>)"
        R"(<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>)"
        R"(</Types>)";
    const std::string rels =
        R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
        R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
        R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>)"
        R"(</Relationships>)";
    const std::string document_rels =
        R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
        R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
        R"(<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>)"
        R"(<Relationship Id="rIdFonts" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/>)"
        R"(<Relationship Id="rIdFooter" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>)"
        R"(</Relationships>)";
    return {{"[Content_Types].xml", ct},
            {"_rels/.rels", rels},
            {"word/_rels/document.xml.rels", document_rels},
            {"word/document.xml", document_part(b)},
            {"word/styles.xml", styles_part()},
            {"word/fontTable.xml", font_table_part()},
            {"word/footer1.xml", footer_part()}};
}

}  // namespace

result<std::string> docx(const BriefLayout& brief) {
    const auto parts = parts_of(brief);  // alive until zip_close has read them
    const std::string path = scratch_file("liaison-brief-");
    if (path.empty()) {
        return errc::store_failure;
    }
    int error = 0;
    zip_t* za = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
    bool ok = za != nullptr;
    for (const auto& [name, bytes] : parts) {
        zip_source_t* src = ok ? zip_source_buffer(za, bytes.data(), bytes.size(), 0) : nullptr;
        ok = src != nullptr && zip_file_add(za, name.c_str(), src, ZIP_FL_ENC_UTF_8) >= 0;
        if (!ok && src != nullptr) {
            zip_source_free(src);
        }
    }
    if (za != nullptr && (!ok || zip_close(za) != 0)) {
        zip_discard(za);
        ok = false;
    }
    auto bytes = take_file(path);
    if (!ok || !bytes) {
        return errc::store_failure;
    }
    return std::move(*bytes);
}

}  // namespace bot::exporting
