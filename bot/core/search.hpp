#pragma once

#include <string>
#include <string_view>

/// Full-text search over reports that works for Chinese (docs/desk.md, "Search"). SQLite FTS5's
/// trigram tokenizer finds nothing for a two-character word — most Chinese words are two (物业,
/// 党建) — so the index holds words of our own: a run of Chinese (or Japanese, Korean) characters
/// as its overlapping character pairs and its last character, any other run of letters and digits
/// as one word, all case- and width-folded (NFKC). A typed phrase becomes the same pairs, matched
/// as an FTS5 phrase (consecutive tokens): exactly "contains this phrase" within a run. Pure.
namespace bot::search {

/// The index's words for `text`, separated by spaces (what the FTS5 unicode61 tokenizer splits
/// again into the same tokens).
std::string index_text(std::string_view text);

/// The text a report is found by: its title, its author's name and its answers (the values of the
/// fields JSON object: strings, and the strings of arrays; photos and attachments left out).
std::string report_text(std::string_view title, std::string_view author, std::string_view fields_json);

/// An FTS5 MATCH expression for what a person typed: each whitespace-separated term a phrase, all
/// required; empty when nothing in it can be searched for. At most 8 terms of 64 characters.
std::string match_expression(std::string_view typed);

}  // namespace bot::search
