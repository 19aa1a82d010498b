#pragma once

#include "bot/core/errors.hpp"

#include <string>
#include <string_view>
#include <vector>

/// A brief's issue (简报, 《组工信息》 第 N 期) as an Office Open XML document (.docx) in the layout of
/// GB/T 9704-2012 as briefs use it: A4, margins 37 / 26 / 35 / 28 mm (top, right, bottom, left: a
/// text block of 156 × 225 mm), 22 lines of 28 characters, the series title in red 方正小标宋简体,
/// the issue number, the compiling unit and the date above a red rule, each item's heading in 黑体
/// and its byline in 楷体_GB2312 over a 仿宋_GB2312 16 pt body, page numbers "— 1 —", and the
/// distribution lines (报 / 送 / 发) at the end between two rules. Fonts are named as the standard
/// names them, each with the name a machine without it substitutes (the font table's altName). The
/// XML is built with pugixml and zipped with libzip.
namespace bot::exporting {

struct BriefItem {
    std::string heading;                  ///< the item's title, as published
    std::string byline;                   ///< who reported it (the unit), may be empty
    std::vector<std::string> paragraphs;  ///< the body, a paragraph each
};

struct BriefLayout {
    std::string series;    ///< 组工信息
    std::string number;    ///< 第 12 期 (or 2026 年第 12 期)
    std::string compiler;  ///< 中共××区委组织部编
    std::string date;      ///< 2026 年 12 月 8 日
    std::vector<BriefItem> items;
    std::vector<std::string> distribution;  ///< "报:…", "送:…", "发:…", a line each
};

/// The document's bytes; errc::store_failure when it cannot be written (its temporary file).
result<std::string> docx(const BriefLayout& brief);

/// application/vnd.openxmlformats-officedocument.wordprocessingml.document
inline constexpr std::string_view kDocxType =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

}  // namespace bot::exporting
